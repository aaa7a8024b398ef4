// Puts `ganscope-train` on the integrated terminal's PATH for people who installed the VSIX: a launcher per platform
// in the extension's global storage runs the bundled out/cli.js with the Node that runs the extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { nativeModulesDir } from './nativeBackend';

export const CLI_NAME = 'ganscope-train';

/** What a launcher starts: `node` (the extension host's executable), the CLI bundle, and where native backends live. */
export interface LauncherTarget {
  node: string;
  cli: string;
  nativeModules: string;
}

/** `'…'` for sh: everything literal, a single quote closed, escaped and reopened. */
const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** `"…"` for cmd.exe, where a literal % must be doubled. */
const cmdQuote = (s: string) => `"${s.replace(/%/g, '%%')}"`;

/**
 * A POSIX sh script. ELECTRON_RUN_AS_NODE makes VS Code's Electron executable behave as plain Node (a plain Node,
 * as in code-server, ignores it); GANSCOPE_NATIVE_MODULES lets the CLI find native backends the extension installed.
 */
export function posixLauncher(target: LauncherTarget): string {
  return [
    '#!/bin/sh',
    `# ${CLI_NAME}: GANscope's command-line trainer, run by the Node of the VS Code that wrote this file.`,
    'ELECTRON_RUN_AS_NODE=1; export ELECTRON_RUN_AS_NODE',
    `GANSCOPE_NATIVE_MODULES=${shQuote(target.nativeModules)}; export GANSCOPE_NATIVE_MODULES`,
    `exec ${shQuote(target.node)} ${shQuote(target.cli)} "$@"`,
    '',
  ].join('\n');
}

/** The same for Windows' cmd.exe (CRLF line ends; setlocal keeps the variables out of the calling shell). */
export function windowsLauncher(target: LauncherTarget): string {
  return [
    '@echo off',
    `rem ${CLI_NAME}: GANscope's command-line trainer, run by the Node of the VS Code that wrote this file.`,
    'setlocal',
    'set "ELECTRON_RUN_AS_NODE=1"',
    `set "GANSCOPE_NATIVE_MODULES=${target.nativeModules.replace(/%/g, '%%')}"`,
    `${cmdQuote(target.node)} ${cmdQuote(target.cli)} %*`,
    '',
  ].join('\r\n');
}

/** Writes `ganscope-train` (executable) and `ganscope-train.cmd` into `binDir`, each replaced whole. Returns their paths. */
export function writeLaunchers(binDir: string, target: LauncherTarget): string[] {
  fs.mkdirSync(binDir, { recursive: true });
  const launchers: [string, string][] = [[CLI_NAME, posixLauncher(target)], [`${CLI_NAME}.cmd`, windowsLauncher(target)]];
  return launchers.map(([name, text]) => {
    const file = path.join(binDir, name);
    // Renamed into place, so a terminal that runs the launcher while the extension rewrites it never reads half of it.
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text, { mode: 0o755 });
    fs.renameSync(tmp, file);
    return file;
  });
}

/**
 * Writes the launchers for this installation (its path changes with every update, so on every activation) and prepends
 * their folder to PATH in new integrated terminals. A failure is logged, not thrown: the extension works without it.
 */
export function installTerminalCli(context: vscode.ExtensionContext, log: (line: string) => void): void {
  const storage = context.globalStorageUri.fsPath;
  const binDir = path.join(storage, 'bin');
  try {
    writeLaunchers(binDir, { node: process.execPath, cli: context.asAbsolutePath(path.join('out', 'cli.js')), nativeModules: nativeModulesDir(storage) });
  } catch (e) {
    log(`${CLI_NAME} is not on the terminal's PATH: its launcher could not be written to ${binDir} (${(e as Error).message}). Run the trainer with Start Training instead, or free that folder and reload the window.`);
    return;
  }
  const env = context.environmentVariableCollection;
  env.description = `Puts ${CLI_NAME}, GANscope's command-line trainer, on PATH.`;
  env.prepend('PATH', `${binDir}${path.delimiter}`);
}
