import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MNIST_DIR, REPO, tempDir, WASM_DIR } from './helpers';

const env = { ...process.env, GANSCOPE_DATA_DIR: MNIST_DIR, GANSCOPE_WASM_DIR: WASM_DIR };

function run(script: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, script), ...args], { env, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('npm run eval (a checkpoint scored)', function () {
  this.timeout(600_000);

  it('scores a run that keeps a weight average with the average, and reports the last weights beside it', () => {
    const dir = tempDir('eval');
    const gan = path.join(dir, 'ema.gan.json');
    fs.writeFileSync(gan, JSON.stringify({ extends: 'mnist-tiny', generatorEma: 0.9 }));
    const runDir = run('src/trainer/cli.ts', '--gan', gan, '--steps', '20', '--out', dir, '--backend', 'wasm', '--score-every', '0', '--probe-every', '0').trim();
    const result = JSON.parse(run('src/trainer/eval.ts', runDir, '--samples', '50', '--backend', 'wasm'));
    assert.equal(result.step, 20);
    assert.match(result.weights, /generatorEma 0\.9/);
    assert.ok(result.scores.inceptionScore >= 1 && result.lastWeights.scores.inceptionScore >= 1);
    // After 20 steps a 0.9 average lags the last weights: their samples differ, so do their scores.
    assert.notEqual(result.scores.frechetDistance, result.lastWeights.scores.frechetDistance);
  });
});
