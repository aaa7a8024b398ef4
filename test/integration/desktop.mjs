// Runs the integration suite in a desktop VS Code, downloaded by @vscode/test-electron (needs the internet),
// or in the one named by VSCODE_EXECUTABLE. The CI machine has no internet and uses run.mjs (code-server) instead.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { compileSuite } from './compile.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const suiteOut = join(repoRoot, 'test', 'harness', '.state', 'integration-desktop', 'suite');

await compileSuite(suiteOut);
const scratch = mkdtempSync(join(tmpdir(), 'ganscope-desktop-'));
const userDataDir = join(scratch, 'user-data');
mkdirSync(join(userDataDir, 'User'), { recursive: true });
writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'ganscope.trainer.preset': 'mnist-tiny' }));
mkdirSync(join(scratch, 'workspace'));

try {
  await runTests({
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(suiteOut, 'index.js'),
    launchArgs: [join(scratch, 'workspace'), '--user-data-dir', userDataDir, '--extensions-dir', join(scratch, 'extensions'), '--disable-workspace-trust'],
  });
} catch (error) {
  console.error(`The desktop integration suite failed: ${error.message}`);
  process.exitCode = 1;
}
