// Runs GANscope's end-to-end suite: the packaged VSIX installed in code-server, driven through Chromium as a user would.
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// Every suite, or only the files named on the command line (`node test/e2e/run.mjs test/e2e/panels.test.mjs`). The
// long walks (`*.long.mjs`, e.g. `npm run test:learner-walk`) run only when named.
const named = process.argv.slice(2).map((f) => resolve(f));
const files = named.length ? named : readdirSync(here).filter((f) => f.endsWith('.test.mjs')).map((f) => join(here, f));

try {
  const { runMocha } = await import('../harness/mochaRun.mjs');
  process.exitCode = await runMocha(files, { timeout: 180_000 });
} catch (error) {
  console.error(error);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
}
