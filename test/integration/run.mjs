// Runs GANscope's integration suite inside a real extension host: code-server loads the extension from source
// (smoke-test-driver payload) with test/integration/suite as extensionTestsPath, and Chromium hosts the workbench.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { compileSuite } from './compile.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
// The extension under test: this repository, unless GANSCOPE_EXTENSION_PATH names another build of it.
const extensionPath = process.env.GANSCOPE_EXTENSION_PATH || repoRoot;
const suiteOut = join(repoRoot, 'test', 'harness', '.state', 'integration', 'suite');
const startMarker = 'GANSCOPE_INTEGRATION_START';
const resultMarker = 'GANSCOPE_INTEGRATION_RESULT';
const suiteTimeoutMs = 10 * 60_000;

try {
  const counts = await runSuite();
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  process.exitCode = counts.failed === 0 && counts.passed > 0 ? 0 : 1;
} catch (error) {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
}

async function runSuite() {
  if (!existsSync(join(extensionPath, 'out', 'extension.js'))) throw new Error(`${extensionPath}/out/extension.js is missing: run \`npm run build\` first.`);
  await compileSuite(suiteOut);
  const { launchBrowser } = await import('../harness/browser.mjs');
  const { createScratch, removeScratch, startCodeServer, writeUserSettings } = await import('../harness/codeServer.mjs');

  const scratch = createScratch('integration');
  writeUserSettings(scratch, { 'ganscope.trainer.preset': 'mnist-tiny' });
  const server = await startCodeServer(scratch, { smokeTestDriver: true });
  const log = [];
  let browser;
  let counts;
  let exitCode;
  let timer;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const exited = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    // The workbench forwards every console line here; only the suite's own output (between the markers) is echoed.
    let echo = false;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...args);
      log.push(`[${type}] ${line}`);
      const result = line.match(new RegExp(`${resultMarker} (\\{.*\\})`));
      if (result) {
        counts = JSON.parse(result[1]);
        echo = false;
      } else if (line.includes(startMarker)) echo = true;
      // Workbench components interleave their own lines ("[AgentHost] …"); mocha's never start with a bracketed tag.
      else if (echo && !/^\[[\w:.-]+\] /.test(line)) console.log(line);
    });
    await page.goto(
      server.workbenchUrl(scratch.workspace, [
        ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
        ['extensionTestsPath', server.remoteUri(join(suiteOut, 'index.js'))],
      ]),
    );
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`The suite did not finish within ${suiteTimeoutMs / 60_000} min.`)), suiteTimeoutMs);
    });
    exitCode = await Promise.race([exited, timedOut]);
  } finally {
    clearTimeout(timer);
    writeFileSync(join(scratch.root, 'workbench-console.log'), log.join('\n'));
    await browser?.close();
    await server.stop();
  }
  if (!counts) {
    console.log(log.slice(-40).join('\n'));
    console.log(`The extension host exited with ${exitCode} before the suite reported results; workbench-console.log and code-server.log are in ${scratch.root}.`);
    return { passed: 0, failed: 1 };
  }
  if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
  if (counts.failed === 0) removeScratch(scratch);
  else console.log(`integration scratch (code-server.log, runs) kept at ${scratch.root}`);
  return counts;
}
