import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadNativePackage, softwareAdapterReason } from '../../../src/trainer/backend';
import { tempDir } from './helpers';

/** Writes a package `name` into node_modules folder `dir` whose main runs `body`. */
function fakePackage(dir: string, name: string, body: string, deps: Record<string, string> = {}): void {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version: '4.22.0', main: 'index.js' }));
  fs.writeFileSync(path.join(folder, 'index.js'), body);
  for (const [dep, code] of Object.entries(deps)) fakePackage(dir, dep, code);
}

describe('trainer/backend: finding the native tensorflow packages', () => {
  const packages = ['@fake/tfjs-node-gpu', '@fake/tfjs-node'];
  // Resolves from an empty folder: the project's own node_modules has none of the fake packages.
  const noOwn = () => createRequire(path.join(tempDir('own'), 'index.js'));

  it('reports each package missing when neither node_modules has it', () => {
    const tried = loadNativePackage(tempDir('empty'), packages, tf, noOwn());
    assert.deepEqual(tried, packages.map((pkg) => ({ pkg, error: 'is not installed' })));
  });

  it('loads from the GANSCOPE_NATIVE_MODULES folder, serving the package our own tfjs-core', () => {
    const dir = path.join(tempDir('native'), 'node_modules'); // what the extension passes: a node_modules folder
    fakePackage(dir, '@fake/tfjs-node', `global.__ganscopeCore = require('@tensorflow/tfjs-core');`,
      { '@tensorflow/tfjs-core': `module.exports = { another: 'copy' };` });
    const tried = loadNativePackage(dir, packages, tf, noOwn());
    assert.deepEqual(tried, [{ pkg: '@fake/tfjs-node-gpu', error: 'is not installed' }, { pkg: '@fake/tfjs-node', from: dir }]);
    assert.equal((global as { __ganscopeCore?: unknown }).__ganscopeCore, tf, 'the package got the trainer\'s tfjs-core');
  });

  it('says why a package that throws on require failed, and goes on to the next', () => {
    const dir = tempDir('broken');
    fakePackage(dir, '@fake/tfjs-node-gpu', `throw new Error('libcudart.so.11.0: cannot open shared object file\\nstack');`);
    fakePackage(dir, '@fake/tfjs-node', `module.exports = {};`);
    const tried = loadNativePackage(dir, packages, tf, noOwn());
    assert.deepEqual(tried[0], { pkg: '@fake/tfjs-node-gpu', error: `failed to load from ${dir}: libcudart.so.11.0: cannot open shared object file` });
    assert.deepEqual(tried[1], { pkg: '@fake/tfjs-node', from: dir });
  });

  it('never loads from a node_modules folder above the native folder, nor from the one the trainer sits in', () => {
    const parent = tempDir('parent');
    fakePackage(path.join(parent, 'node_modules'), '@fake/tfjs-node', `module.exports = {};`);
    const own = path.join(parent, 'extension');
    fakePackage(path.join(own, 'node_modules'), '@fake/tfjs-node-gpu', `module.exports = {};`);
    const native = path.join(parent, 'storage', 'native', 'node_modules');
    fs.mkdirSync(native, { recursive: true });
    const tried = loadNativePackage(native, packages, tf, createRequire(path.join(own, 'index.js')));
    assert.deepEqual(tried, packages.map((pkg) => ({ pkg, error: 'is not installed' })));
  });

  it('says where to install a native package when no native folder is named', () => {
    const tried = loadNativePackage(undefined, packages, tf, noOwn());
    assert.match((tried[0] as { error: string }).error, /GANSCOPE_NATIVE_MODULES names no folder: run "GANscope: Install Native TensorFlow Backend"/);
  });
});

describe('trainer/backend: WebGPU adapters', () => {
  it('rejects fallback and software adapters, accepts real GPUs', () => {
    assert.match(softwareAdapterReason({ isFallbackAdapter: true })!, /fallback/);
    assert.match(softwareAdapterReason({ info: { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)' } })!, /software renderer/);
    assert.match(softwareAdapterReason({ info: { description: 'SwiftShader Device (Subzero)' } })!, /software renderer/);
    assert.match(softwareAdapterReason({ info: { vendor: 'mesa', architecture: 'lavapipe' } })!, /software renderer/);
    assert.equal(softwareAdapterReason({ info: { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H200' } }), undefined);
  });
});
