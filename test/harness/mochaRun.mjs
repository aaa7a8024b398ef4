// Runs mocha test files in this process and ends with the line "N passed, N failed" that scripts/test-all.mjs sums.
import Mocha from 'mocha';

/** Runs the files; resolves with the process exit code (0 only when every test passed and at least one ran). */
export async function runMocha(files, { timeout = 120_000 } = {}) {
  // MOCHA_GREP runs only the tests whose titles match, e.g. while debugging one scenario.
  const grep = process.env.MOCHA_GREP;
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout, color: process.stdout.isTTY, ...(grep && { grep }) });
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  // A hook failure counts as a failure; a pending (skipped) test counts as one too, as the suites must not skip.
  const failed = stats.failures + stats.pending;
  printCounts(stats.passes, failed);
  return failed === 0 && stats.passes > 0 ? 0 : 1;
}

export function printCounts(passed, failed) {
  console.log(`${passed} passed, ${failed} failed`);
}
