import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { checkProbeResult, ProbeResult } from '../../../../src/protocol/probes';
import { RunConfig } from '../../../../src/protocol/trainer';
import { Prober } from '../../../../src/trainer/probes/prober';
import { TrainingSession } from '../../../../src/trainer/session';
import { useLiveProber } from './liveProber';
import { MNIST_DIR, tempDir, useWasm } from '../helpers';

type Gradients = Extract<ProbeResult, { kind: 'inputGradients' }>;

const config = (extra: Partial<RunConfig> = {}): RunConfig => ({
  preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 5, runsDir: tempDir('gradients'), sampleEvery: 0, ...extra,
});
const query = (stepSize: number) => ({ kind: 'inputGradients' as const, cells: [0, 1, 2, 3, 4, 5], indices: [0, 1, 2], stepSize });

async function gradients(prober: Prober, stepSize = 0.05): Promise<Gradients> {
  const result = await prober.answer(query(stepSize));
  const checked = checkProbeResult(result);
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  assert.equal(result.kind, 'inputGradients');
  return result as Gradients;
}

const largest = (values: Float32Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('trainer/probes: what G and D learn from (input gradients)', function () {
  this.timeout(120_000);
  const live = useLiveProber(() => config());

  it('gives every generated image a non-zero, finite ∂L_G/∂x of its own shape, and its verdict in (0, 1)', async () => {
    const r = await gradients(live.prober);
    assert.deepEqual(r.shape, [6, 28, 28, 1]);
    assert.equal(r.generated.gradients.length, 6 * 28 * 28);
    assert.equal(r.loss, 'non-saturating');
    for (let i = 0; i < 6; i++) {
      const own = r.generated.gradients.subarray(i * 784, (i + 1) * 784);
      assert.ok(own.every(Number.isFinite) && largest(own) > 0, `image ${i}: max |∂L_G/∂x| ${largest(own)}`);
    }
    assert.ok(r.generated.verdicts.every((v) => v > 0 && v < 1));
  });

  it('gives every real image a non-zero ∂L_D/∂x', async () => {
    const r = await gradients(live.prober);
    assert.equal(r.real.gradients.length, 3 * 28 * 28);
    for (let i = 0; i < 3; i++) assert.ok(largest(r.real.gradients.subarray(i * 784, (i + 1) * 784)) > 0, `real image ${i}`);
  });

  it('raises D(G(z)) of every sample by a small step against ∂L_G/∂x (the non-saturating loss)', async () => {
    const r = await gradients(live.prober, 0.05);
    r.after.verdicts.forEach((v, i) => assert.ok(v > r.generated.verdicts[i], `sample ${i}: D(G(z)) ${r.generated.verdicts[i]} → ${v}`));
  });

  it('moves no pixel further than the step size, and leaves the images as they were at step size 0', async () => {
    const r = await gradients(live.prober, 0.2);
    const moved = r.after.images.reduce((m, v, i) => Math.max(m, Math.abs(v - r.generated.images[i])), 0);
    assert.ok(moved > 0.19 && moved <= 0.2 + 1e-6, `largest change ${moved}`);
    const still = await gradients(live.prober, 0);
    assert.deepEqual(Array.from(still.after.images), Array.from(still.generated.images));
  });

  it('refuses more images than it answers for, and cells outside the fixed-noise grid', async () => {
    await assert.rejects(live.prober.answer({ ...query(0.1), cells: new Array(17).fill(0) }), /1 to 16 cells, not 17/);
    await assert.rejects(live.prober.answer({ ...query(0.1), cells: [1000] }), /cell 1000 is outside the fixed-noise grid/);
  });

  it('leaks no tensors', async () => {
    await gradients(live.prober);
    const before = tf.memory().numTensors;
    await gradients(live.prober);
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('trainer/probes: input gradients do not change the run', function () {
  this.timeout(120_000);

  it('leaves every weight and batch-norm statistic, and the next steps\' losses, as they were', async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const backend = await useWasm();
    const run = async (probe: boolean) => {
      const s = TrainingSession.open(config({ seed: 13 }), backend);
      const prober = new Prober(s);
      const weights = async () => Promise.all([...s.gan.generator.namedWeights, ...s.gan.discriminator.namedWeights].map(async ([name, v]) => [name, Array.from(await v.data())]));
      try {
        const losses: number[][] = [];
        for (let i = 0; i < 3; i++) {
          const m = await s.trainOneStep();
          losses.push([m.dLoss, m.gLoss, m.dReal, m.dFake]);
          if (!probe) continue;
          const before = await weights();
          await prober.answer(query(0.5));
          assert.deepEqual(await weights(), before, `the weights after step ${i + 1}`);
        }
        return losses;
      } finally {
        prober.dispose();
        s.close();
      }
    };
    assert.deepEqual(await run(true), await run(false));
  });
});
