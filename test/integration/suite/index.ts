// Entry point VS Code calls in the extension host (extensionTestsPath): runs the *.test.js files beside it with mocha.
import * as path from 'node:path';
import * as fs from 'node:fs';
import * as vscode from 'vscode';

/** Printed around the suite's output so the runner outside the browser can pick it out and read the counts. */
const START_MARKER = 'GANSCOPE_INTEGRATION_START';
const RESULT_MARKER = 'GANSCOPE_INTEGRATION_RESULT';

export async function run(): Promise<void> {
  const extension = vscode.extensions.getExtension('ganscope.ganscope');
  if (!extension) throw new Error('The extension ganscope.ganscope is not loaded in this extension host.');
  // mocha comes from the extension's own node_modules, as it would when the suite runs on a desktop VS Code.
  const Mocha: typeof import('mocha') = require(require.resolve('mocha', { paths: [extension.extensionPath] }));
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 180_000 });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  console.log(START_MARKER);
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats!));
  });
  const failed = stats.failures + stats.pending;
  console.log(`${RESULT_MARKER} ${JSON.stringify({ passed: stats.passes, failed })}`);
  if (failed > 0 || stats.passes === 0) throw new Error(`${failed} integration test(s) failed.`);
}
