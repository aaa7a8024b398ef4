import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { CLI_NAME, installTerminalCli, windowsLauncher, writeLaunchers } from '../../../src/extension/terminalCli';

/** A stand-in for out/cli.js that prints its arguments and the variables the launcher sets. */
const ECHO_CLI = `console.log(JSON.stringify({ args: process.argv.slice(2), electron: process.env.ELECTRON_RUN_AS_NODE, native: process.env.GANSCOPE_NATIVE_MODULES }));\n`;

describe('the terminal CLI launchers', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ganscope-cli it's here-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes an executable sh launcher that runs the CLI with the given Node, passing every argument through', () => {
    const cli = path.join(dir, 'out', 'cli.js');
    fs.mkdirSync(path.dirname(cli));
    fs.writeFileSync(cli, ECHO_CLI);
    const [launcher] = writeLaunchers(path.join(dir, 'bin'), { node: process.execPath, cli, nativeModules: path.join(dir, 'native modules') });
    assert.equal(path.basename(launcher), CLI_NAME);
    assert.ok(fs.statSync(launcher).mode & 0o100, 'the owner may execute it');
    const output = JSON.parse(execFileSync(launcher, ['--steps', '10', 'a b', "it's"], { encoding: 'utf8' }));
    assert.deepEqual(output, { args: ['--steps', '10', 'a b', "it's"], electron: '1', native: path.join(dir, 'native modules') });
  });

  it('writes a cmd launcher beside it with CRLF line ends, quoted paths, doubled percent signs and every argument passed on', () => {
    const files = writeLaunchers(dir, { node: 'C:\\Program Files\\Code\\Code.exe', cli: 'C:\\ext 100%\\out\\cli.js', nativeModules: 'C:\\s\\native' });
    assert.equal(path.basename(files[1]), `${CLI_NAME}.cmd`);
    const text = fs.readFileSync(files[1], 'utf8');
    assert.equal(text, windowsLauncher({ node: 'C:\\Program Files\\Code\\Code.exe', cli: 'C:\\ext 100%\\out\\cli.js', nativeModules: 'C:\\s\\native' }));
    assert.ok(text.split('\n').slice(0, -1).every((line) => line.endsWith('\r')), 'every line ends in CRLF');
    assert.match(text, /^set "ELECTRON_RUN_AS_NODE=1"\r$/m);
    assert.match(text, /^"C:\\Program Files\\Code\\Code\.exe" "C:\\ext 100%%\\out\\cli\.js" %\*\r$/m);
  });

  it('replaces an older launcher whole', () => {
    const target = { node: '/old/node', cli: '/old/cli.js', nativeModules: '/n' };
    writeLaunchers(dir, target);
    const [launcher] = writeLaunchers(dir, { ...target, node: '/new/node' });
    assert.doesNotMatch(fs.readFileSync(launcher, 'utf8'), /\/old\/node/);
    assert.deepEqual(fs.readdirSync(dir).sort(), [CLI_NAME, `${CLI_NAME}.cmd`]);
  });

  it('prepends the launchers\' folder in global storage to PATH, with a description', () => {
    const prepended: [string, string][] = [];
    const collection = { description: undefined as string | undefined, prepend: (name: string, value: string) => prepended.push([name, value]) };
    const context = {
      globalStorageUri: { fsPath: dir },
      asAbsolutePath: (p: string) => path.join('/extension', p),
      environmentVariableCollection: collection,
    } as unknown as vscode.ExtensionContext;
    installTerminalCli(context, (line) => assert.fail(line));
    assert.deepEqual(prepended, [['PATH', `${path.join(dir, 'bin')}${path.delimiter}`]]);
    assert.match(collection.description ?? '', /ganscope-train/);
    assert.match(fs.readFileSync(path.join(dir, 'bin', CLI_NAME), 'utf8'), new RegExp(`exec '${process.execPath}' '/extension/out/cli\\.js' "\\$@"`));
  });

  it('logs why, and leaves PATH alone, when the launchers cannot be written', () => {
    fs.writeFileSync(path.join(dir, 'bin'), 'a file where the folder should be');
    const lines: string[] = [];
    const context = {
      globalStorageUri: { fsPath: dir },
      asAbsolutePath: (p: string) => p,
      environmentVariableCollection: { prepend: () => assert.fail('PATH changed') },
    } as unknown as vscode.ExtensionContext;
    installTerminalCli(context, (line) => lines.push(line));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /ganscope-train is not on the terminal's PATH: its launcher could not be written to .*bin \(/);
  });
});
