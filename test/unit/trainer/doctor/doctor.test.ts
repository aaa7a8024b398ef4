import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { Finding } from '../../../../src/protocol/findings';
import { Adam, NonFiniteUpdate } from '../../../../src/trainer/adam';
import { Doctor, MEASURE_EVERY } from '../../../../src/trainer/doctor/doctor';
import { presetFile } from '../../../../src/ganFile/presets';
import { presetsDir } from '../../../../src/trainer/assets';
import { TrainingSession } from '../../../../src/trainer/session';
import { BROKEN_DIR, trainFixture } from '../../../doctor/fixtureRun';
import { MNIST_DIR, tempDir, useWasm } from '../helpers';

describe('trainer/doctor (mnist-tiny on wasm)', function () {
  this.timeout(120_000);
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    await useWasm();
  });

  const open = () => TrainingSession.open({ preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 5, runsDir: tempDir('doctor'), sampleEvery: 0, checkpointEvery: 0, probeEvery: 0 }, { backend: 'wasm', device: '', threads: 1, skipped: [], tfjsVersion: '' });

  it('never changes the run: the same losses with the doctor measuring and checking as without it', async () => {
    const losses = async (doctored: boolean) => {
      const s = open();
      const doctor = new Doctor(s, () => undefined);
      const out: number[] = [];
      try {
        for (let i = 0; i < MEASURE_EVERY + 5; i++) {
          const m = await s.trainOneStep();
          out.push(m.dLoss, m.gLoss);
          if (doctored) await doctor.afterStep(m);
        }
      } finally {
        s.close();
      }
      return out;
    };
    assert.deepEqual(await losses(true), await losses(false));
  });

  it('leaves no tensor behind after a measurement', async () => {
    const s = open();
    const doctor = new Doctor(s, () => undefined);
    try {
      for (let i = 1; i < MEASURE_EVERY; i++) await doctor.afterStep(await s.trainOneStep());
      const metrics = await s.trainOneStep();
      const before = tf.memory().numTensors;
      await doctor.afterStep(metrics);
      assert.equal(tf.memory().numTensors, before);
      assert.equal(doctor.history.measurements.length, 1);
    } finally {
      s.close();
    }
  });

  it('Adam applies no update whose values are not finite (β2 = 1 divides 0 by 0)', async () => {
    const x = tf.variable(tf.tensor1d([1, 2]));
    const adam = new Adam([x], { learningRate: 0.1, beta1: 0.5, beta2: 1, epsilon: 1e-8 });
    await assert.rejects(adam.minimize(() => tf.sum(tf.square(x))), (e) => e instanceof NonFiniteUpdate && e.where === 'update');
    assert.deepEqual(Array.from(x.dataSync()), [1, 2]);
    assert.equal(adam.step, 0);
    adam.dispose();
    x.dispose();
  });

  it('a run whose G has β2 = 1 (refused by the format) halts at its first step with one error finding and its remedy', async () => {
    const run = await trainFixture(presetFile(presetsDir(), 'mnist-tiny'), 5, tempDir('doctor-fixture'), await useWasm(), { generator: { beta2: 1 } });
    assert.equal(run.steps, 0);
    assert.deepEqual(run.findings.map((f: Finding) => [f.kind, f.severity, f.step]), [['non-finite', 'error', 1]]);
    assert.ok(run.findings[0].remedies.some((r) => JSON.stringify(r.change).includes('"beta2":0.999')));
  });

  it('the vanishing-gradient fixture (sigmoid units in D at 500× the rate) finds its kind within 300 steps, and nothing else', async function () {
    this.timeout(600_000);
    const run = await trainFixture(path.join(BROKEN_DIR, 'vanishing-gradient.gan.json'), 300, tempDir('doctor-fixture'), await useWasm());
    assert.deepEqual([...new Set(run.findings.map((f: Finding) => f.kind))], ['vanishing-gradient']);
  });

  it('the oscillation fixture (G 50× faster than D, β1 0.95) finds its kind within 500 steps, and nothing else', async function () {
    this.timeout(600_000);
    const run = await trainFixture(path.join(BROKEN_DIR, 'oscillation.gan.json'), 500, tempDir('doctor-fixture'), await useWasm());
    assert.deepEqual([...new Set(run.findings.map((f: Finding) => f.kind))], ['oscillation']);
  });
});
