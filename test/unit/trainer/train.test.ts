import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ImageSet, loadMnist } from '../../../src/trainer/data/mnist';
import { BatchSampler } from '../../../src/trainer/data/sampler';
import { buildGan, Gan } from '../../../src/trainer/models/dcgan';
import { getPreset } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { NonFiniteUpdate } from '../../../src/trainer/adam';
import { discriminatorUpdate, generatorUpdate, makeOptimizers, Optimizers, StepResult, trainStep } from '../../../src/trainer/train';
import { MNIST_DIR, useWasm } from './helpers';

describe('trainer/train (mnist-tiny on wasm)', function () {
  this.timeout(60_000);
  const preset = getPreset('mnist-tiny');
  let gan: Gan;
  let optimizers: Optimizers;
  let data: ImageSet;
  let sampler: BatchSampler;
  const random = seededRandom(7);

  async function step(): Promise<StepResult> {
    const real = tf.tensor4d(sampler.next(), [preset.batchSize, 28, 28, 1]);
    const z = tf.randomNormal([preset.batchSize, preset.latentDim]) as tf.Tensor2D;
    try {
      return await trainStep(gan, optimizers, real, z);
    } finally {
      tf.dispose([real, z]);
    }
  }

  const snapshot = (vars: tf.Variable[]) => vars.map((v) => Float32Array.from(v.dataSync()));
  const changed = (before: Float32Array[], vars: tf.Variable[]) => vars.filter((v, i) => v.dataSync().some((x, j) => x !== before[i][j])).length;

  before(async () => {
    await useWasm();
    gan = buildGan(preset, { size: 28, channels: 1 }, random);
    optimizers = makeOptimizers(gan);
    data = loadMnist(MNIST_DIR, 'train');
    sampler = new BatchSampler(data, preset.batchSize, 1);
  });

  after(() => {
    gan.generator.dispose();
    gan.discriminator.dispose();
    optimizers.d.dispose();
    optimizers.g.dispose();
  });

  it('gives finite losses, and D(x), D(G(z)) that are probabilities', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await step();
      for (const v of [r.dLoss, r.gLoss]) assert.ok(Number.isFinite(v) && v > 0, `loss ${v}`);
      for (const v of [r.dReal, r.dFake]) assert.ok(v > 0 && v < 1, `probability ${v}`);
    }
  });

  it('updates every weight of D and of G in one step', async () => {
    const dVars = gan.discriminator.trainableVariables;
    const gVars = gan.generator.trainableVariables;
    const d0 = snapshot(dVars);
    const g0 = snapshot(gVars);
    await step();
    assert.equal(changed(d0, dVars), dVars.length, 'D weights changed');
    assert.equal(changed(g0, gVars), gVars.length, 'G weights changed');
  });

  it('updates the running batch-norm statistics of both networks', async () => {
    const state = [...gan.generator.layers, ...gan.discriminator.layers].flatMap((l) => l.state);
    assert.equal(state.length, 6, 'running mean and variance of three batch norms');
    const before = snapshot(state);
    await step();
    assert.equal(changed(before, state), state.length);
  });

  it('keeps the live tensor count flat across steps', async () => {
    await step(); // Adam creates its slots on the first step
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await step();
    assert.equal(tf.memory().numTensors, before);
  });

  /** A fresh GAN, its optimisers and one batch, all from `seed`; `run` gets them, then everything is freed. */
  async function withFresh<T>(seed: number, run: (g: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D) => Promise<T>): Promise<T> {
    const g = buildGan(preset, { size: 28, channels: 1 }, seededRandom(seed));
    const opt = makeOptimizers(g);
    const real = tf.tensor4d(new BatchSampler(data, preset.batchSize, seed).next(), [preset.batchSize, 28, 28, 1]);
    const z = tf.randomNormal([preset.batchSize, preset.latentDim], 0, 1, 'float32', seed) as tf.Tensor2D;
    try {
      return await run(g, opt, real, z);
    } finally {
      tf.dispose([real, z]);
      [g.generator, g.discriminator, opt.d, opt.g].forEach((x) => x.dispose());
    }
  }

  it('gives the same losses and weights on wasm as on the cpu reference backend', async () => {
    async function oneStep(backend: string): Promise<number[]> {
      await tf.setBackend(backend);
      return withFresh(5, async (g, opt, real, z) => {
        const r = await trainStep(g, opt, real, z);
        const weights = [...g.generator.trainableVariables, ...g.discriminator.trainableVariables].flatMap((v) => Array.from(v.dataSync()));
        return [r.dLoss, r.gLoss, r.dReal, r.dFake, ...weights];
      });
    }
    const cpu = await oneStep('cpu');
    const wasm = await oneStep('wasm');
    const maxDiff = Math.max(...cpu.map((v, i) => Math.abs(v - wasm[i])));
    console.log(`      max |Δ| over losses and ${cpu.length - 4} updated weights: ${maxDiff.toExponential(2)}`);
    assert.ok(maxDiff < 1e-4, `wasm and cpu differ by ${maxDiff}`);
  });

  it('runs G once a step and still matches D\'s update followed by G\'s through the updated D', async () => {
    await tf.setBackend('wasm');
    const state = (g: Gan) => [...g.generator.trainableVariables, ...g.discriminator.trainableVariables, ...[...g.generator.layers, ...g.discriminator.layers].flatMap((l) => l.state)]
      .flatMap((v) => Array.from(v.dataSync()));
    let passes = 0;
    const oneStep = await withFresh(9, async (g, opt, real, z) => {
      const apply = g.generator.apply.bind(g.generator);
      g.generator.apply = (...args) => (passes++, apply(...args));
      const r = await trainStep(g, opt, real, z);
      return [r.dLoss, r.gLoss, r.dReal, r.dFake, ...r.gradSquares.d, ...r.gradSquares.g, ...state(g)];
    });
    const inTurn = await withFresh(9, async (g, opt, real, z) => {
      const d = await discriminatorUpdate(g, opt, real, z, { loss: 'non-saturating', realLabel: 1 }, (x) => x);
      const gu = await generatorUpdate(g, opt, real, z);
      return [d.loss, gu.loss, d.dReal, d.dFake, ...d.gradSquares, ...gu.gradSquares, ...state(g)];
    });
    assert.equal(passes, 1, 'forward passes of G in one step');
    assert.equal(oneStep.length, inTurn.length);
    const maxDiff = Math.max(...oneStep.map((v, i) => Math.abs(v - inTurn[i]) / Math.max(1, Math.abs(inTurn[i]))));
    assert.ok(maxDiff < 1e-5, `the one-pass step differs from D's then G's update by ${maxDiff}`);
  });

  it('applies neither update when D\'s is not finite, and says it was D\'s', async () => {
    await withFresh(3, async (g, opt, real, z) => {
      const gBefore = snapshot(g.generator.trainableVariables);
      const dBefore = snapshot(g.discriminator.trainableVariables);
      const poisoned = tf.mul(real, Infinity) as tf.Tensor4D;
      try {
        await assert.rejects(trainStep(g, opt, poisoned, z), (e) => e instanceof NonFiniteUpdate && e.network === 'discriminator');
      } finally {
        poisoned.dispose();
      }
      assert.equal(changed(gBefore, g.generator.trainableVariables), 0, 'G unchanged');
      assert.equal(changed(dBefore, g.discriminator.trainableVariables), 0, 'D unchanged');
      const ok = await trainStep(g, opt, real, z); // and the next step goes on
      assert.ok(Number.isFinite(ok.dLoss) && Number.isFinite(ok.gLoss));
    });
  });
});
