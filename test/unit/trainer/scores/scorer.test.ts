import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '../../../../src/trainer/data/mnist';
import { runLoop } from '../../../../src/trainer/loop';
import { buildGan } from '../../../../src/trainer/models/dcgan';
import { getPreset, imageShapeFor } from '../../../../src/trainer/presets';
import { Prober } from '../../../../src/trainer/probes/prober';
import { seededRandom } from '../../../../src/trainer/random';
import { toUnitRange } from '../../../../src/trainer/scores/classifier';
import { Scorer, ScorerSetup, scoreNow, scorerSetup } from '../../../../src/trainer/scores/scorer';
import { TrainingSession } from '../../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from '../helpers';
import { readMetrics } from '../runFolders';

const SAMPLES = 500;
const setup = (extra: Partial<ScorerSetup> = {}): ScorerSetup => ({
  every: 5, samples: SAMPLES, latentDim: 16, side: 28, seed: 1, dataset: 'mnist', classify: true, ...extra,
});
/** `n` training images (never in the test set the scores compare against), in [-1, 1]. */
const trainImages = (n: number, from = 0) => toUnitRange(loadMnist(MNIST_DIR, 'train').pixels.subarray(from * 784, (from + n) * 784));

describe('trainer/scores/scorer', function () {
  this.timeout(300_000);
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    await useWasm();
  });

  it('scores real digits as a near-perfect generator: high IS, every class, small FID', async () => {
    const { scores, classHistogram } = await scoreNow(trainImages(SAMPLES), setup());
    assert.ok(scores.inceptionScore > 9, `IS ${scores.inceptionScore}`);
    assert.equal(scores.classesCovered, 10);
    assert.ok(scores.classEntropy > 0.97 * Math.log(10));
    assert.equal(classHistogram!.length, 10);
    // Not 0: real training digits differ from the test set's statistics by FID's bias at this sample count (~9 at 500).
    assert.ok(scores.frechetDistance < 15, `FID ${scores.frechetDistance}`);
    for (const name of ['swd', 'swd28', 'swd14', 'swd7']) assert.ok(Number.isFinite(scores[name]), name);
  });

  it('flags a collapsed generator (one digit drawn over and over): IS 1, one class, far larger FID and SWD', async () => {
    const real = await scoreNow(trainImages(SAMPLES), setup());
    const one = trainImages(1);
    const collapsed = new Float32Array(SAMPLES * 784).map((_, i) => one[i % 784]);
    const { scores } = await scoreNow(collapsed, setup());
    assert.ok(Math.abs(scores.inceptionScore - 1) < 1e-3, `IS ${scores.inceptionScore}`);
    assert.equal(scores.classesCovered, 1);
    assert.equal(scores.classEntropy, 0);
    assert.ok(scores.frechetDistance > 20 * real.scores.frechetDistance, `FID ${scores.frechetDistance} vs ${real.scores.frechetDistance}`);
    assert.ok(scores.swd > 3 * real.scores.swd, `SWD ${scores.swd} vs ${real.scores.swd}`);
  });

  it('spreads a score over several steps, labels it with the step it started at, and leaks no tensors', async () => {
    const preset = getPreset('mnist-tiny');
    const gan = buildGan(preset, imageShapeFor(preset, 28, 1), seededRandom(2));
    const scorer = new Scorer(setup({ latentDim: preset.latentDim }));
    await scoreNow(trainImages(SAMPLES), setup()); // the reference, once per process, outside the count below
    const tensors = tf.memory().numTensors;
    const calls: { step: number; record?: unknown }[] = [];
    for (let step = 1; step <= 40 && !calls.some((c) => c.record); step++) {
      calls.push({ step, record: await scorer.afterStep({ step, time: step, dLoss: 0, gLoss: 0, dReal: 0, dFake: 0, imagesPerSec: 0 }, gan.generator) });
    }
    const done = calls.find((c) => c.record)!;
    assert.ok(done.step > 6, `done at step ${done.step}: the work should take several steps`);
    assert.equal((done.record as { step: number }).step, 5);
    assert.equal(tf.memory().numTensors, tensors);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });

  it('scores one-channel MNIST with everything, Fashion-MNIST with SWD only, and RGB data not at all', () => {
    const config = { preset: 'mnist-tiny', steps: 0, seed: 1, runsDir: '', sampleEvery: 0 };
    const mnist = scorerSetup({ ...config, dataset: 'mnist' }, 16, { size: 28, channels: 1 }, 'mnist');
    assert.ok(!('skip' in mnist) && mnist.classify && mnist.every === 500);
    const fashion = scorerSetup({ ...config, dataset: 'fashion-mnist:/data/f' }, 16, { size: 28, channels: 1 }, 'mnist');
    assert.ok(!('skip' in fashion) && !fashion.classify);
    assert.ok('skip' in scorerSetup({ ...config, dataset: 'cifar10:/data/c' }, 16, { size: 32, channels: 3 }, 'mnist'));
    assert.ok('skip' in scorerSetup({ ...config, dataset: 'mnist', scoreEvery: 0 }, 16, { size: 28, channels: 1 }, 'mnist'));
  });

  it('appends score lines to metrics.jsonl every scoreEvery steps of a training run, beside the step lines', async () => {
    const backend = await useWasm();
    const s = TrainingSession.open({ preset: 'mnist-tiny', dataset: 'mnist', steps: 4, seed: 3, runsDir: tempDir('scores'), sampleEvery: 0, scoreEvery: 2, probeEvery: 0 }, backend);
    const prober = new Prober(s);
    const sent: number[] = [];
    try {
      await runLoop(s, { onStep: () => undefined, onSamples: () => undefined, onScores: (r) => sent.push(r.step), stopRequested: () => false, whilePaused: async () => undefined }, prober);
    } finally {
      prober.dispose();
      s.close();
    }
    const parsed = readMetrics(s.writer.dir);
    assert.equal(parsed.invalid, 0);
    assert.deepEqual(parsed.steps.map((r) => r.step), [1, 2, 3, 4]);
    // A score takes several steps: the one started at step 2 is still running at 4 and is finished when the run completes.
    assert.deepEqual(parsed.scores.map((r) => r.step), [2]);
    assert.deepEqual(sent, [2]);
    assert.ok(parsed.scores[0].scores.inceptionScore >= 1);
  });
});
