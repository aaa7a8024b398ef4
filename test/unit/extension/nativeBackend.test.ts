import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { explainFailure, installedNativePackages, installNativeBackend, NativeInstallError, nativeModulesDir, verifyLoads } from '../../../src/extension/nativeBackend';

describe('native backend installer', () => {
  let storage: string;
  beforeEach(() => (storage = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-native-'))));
  afterEach(() => fs.rmSync(storage, { recursive: true, force: true }));

  it('explains a failed libtensorflow download with the host and the next step', () => {
    const output = 'npm error * Downloading libtensorflow\nnpm error Error: getaddrinfo ENOTFOUND storage.googleapis.com';
    const message = explainFailure('@tensorflow/tfjs-node@4.22.0', output, '/x');
    assert.match(message, /the libtensorflow library could not be downloaded from storage\.googleapis\.com/);
    assert.match(message, /Check the network connection/);
  });

  it('names a missing npm', async () => {
    await assert.rejects(
      installNativeBackend({ globalStorage: storage, flavour: 'cpu', onLine: () => undefined, npmCommand: path.join(storage, 'no-npm-here') }),
      (err: Error) => err instanceof NativeInstallError && /npm was not found on PATH/.test(err.message),
    );
  });

  it('stops an npm that does not finish in time, saying so', async function () {
    if (process.platform === 'win32') this.skip();
    const npm = path.join(storage, 'slow-npm');
    fs.writeFileSync(npm, '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    await assert.rejects(
      installNativeBackend({ globalStorage: storage, flavour: 'cpu', onLine: () => undefined, npmCommand: npm, timeoutMs: 300 }),
      (err: Error) => err instanceof NativeInstallError && /npm install did not finish within 300 ms and was stopped/.test(err.message),
    );
  });

  it('gives up on a load check that hangs, saying so', async () => {
    const dir = path.join(nativeModulesDir(storage), 'hangs');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.js'), 'setInterval(() => undefined, 1000);');
    await assert.rejects(verifyLoads('hangs', path.dirname(nativeModulesDir(storage)), 500), /hangs installed but cannot load: .*did not finish within 500 ms/);
  });

  it('loads the package it checks from the native folder, not from a node_modules folder above it', async () => {
    const above = path.join(storage, 'node_modules', 'only-above');
    fs.mkdirSync(above, { recursive: true });
    fs.writeFileSync(path.join(above, 'index.js'), '');
    fs.mkdirSync(nativeModulesDir(storage), { recursive: true });
    await assert.rejects(verifyLoads('only-above', path.dirname(nativeModulesDir(storage)), 30_000), /only-above installed but cannot load/);
  });

  it('finds packages installed in the native folder', () => {
    const dir = path.join(nativeModulesDir(storage), '@tensorflow', 'tfjs-node');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"@tensorflow/tfjs-node"}');
    assert.deepEqual(installedNativePackages(storage), ['@tensorflow/tfjs-node']);
  });

  it('really runs npm and, offline, fails at the libtensorflow download with a clear error', async function () {
    this.timeout(240_000);
    const lines: string[] = [];
    const error = await installNativeBackend({ globalStorage: storage, flavour: 'cpu', onLine: (l) => lines.push(l) }).then(
      () => undefined,
      (err: Error) => err,
    );
    if (!error) {
      // A machine with a network completes the install: then the package must be where the trainer looks.
      assert.deepEqual(installedNativePackages(storage), ['@tensorflow/tfjs-node']);
      return;
    }
    assert.ok(error instanceof NativeInstallError, String(error));
    console.log(`      offline install error: ${error.message}`);
    assert.match(error.message, /^Installing @tensorflow\/tfjs-node@4\.22\.0 failed: the libtensorflow library could not be downloaded/);
    assert.ok(lines.some((l) => /libtensorflow/.test(l)), 'npm output was streamed line by line');
  });
});
