// Runs every test suite and prints, alone on its last line, "N passed, N failed" summed over all of them.
import { spawn } from 'node:child_process';

const suites = [
  { name: 'build', cmd: 'npm', args: ['run', '--silent', 'package'], counts: false },
  { name: 'unit', cmd: 'npx', args: ['mocha', '--reporter', 'spec'] },
  { name: 'integration', cmd: 'node', args: ['test/integration/run.mjs'] },
  { name: 'e2e', cmd: 'node', args: ['test/e2e/run.mjs'] },
];

let passed = 0;
let failed = 0;
for (const suite of suites) {
  console.log(`\n=== ${suite.name} ===`);
  const { code, output } = await run(suite.cmd, suite.args);
  if (suite.counts === false) {
    if (code !== 0) {
      failed += 1;
      console.log(`${suite.name} failed with exit code ${code}; the suites that need it cannot run.`);
      break;
    }
    continue;
  }
  const counts = parseCounts(output);
  if (!counts) {
    failed += 1;
    console.log(`${suite.name}: no "N passed, N failed" line (exit code ${code}); counted as one failure.`);
    continue;
  }
  passed += counts.passed;
  failed += counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

/** Reads the last "N passed, N failed" line, or mocha's "N passing" / "N failing". */
function parseCounts(output) {
  const plain = [...output.matchAll(/^(\d+) passed, (\d+) failed\s*$/gm)].pop();
  if (plain) return { passed: Number(plain[1]), failed: Number(plain[2]) };
  const passing = output.match(/^\s*(\d+) passing/m);
  if (!passing) return undefined;
  const failing = output.match(/^\s*(\d+) failing/m);
  const pending = output.match(/^\s*(\d+) pending/m);
  return { passed: Number(passing[1]), failed: Number(failing?.[1] ?? 0) + Number(pending?.[1] ?? 0) };
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (stream, sink) => stream.on('data', (chunk) => {
      output += chunk;
      sink.write(chunk);
    });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code, output }));
  });
}
