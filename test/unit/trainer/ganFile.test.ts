import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { GanDefinition, LayerSpec } from '../../../src/ganFile/types';
import { inferShapes } from '../../../src/ganFile/shapes';
import { RUN_FILE } from '../../../src/protocol/runDir';
import { metricsTail } from '../../../src/runFolder/reader';
import { RunConfig } from '../../../src/protocol/trainer';
import { discriminatorLoss, generatorLoss } from '../../../src/trainer/losses';
import { buildGan } from '../../../src/trainer/models/dcgan';
import { countParams } from '../../../src/trainer/probes/graph';
import { getPreset, PRESETS } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { TrainingSession } from '../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from './helpers';

const MNIST = { size: 28, channels: 1 };
const tiny = getPreset('mnist-tiny');
const withD = (discriminator: LayerSpec[], extra: Partial<GanDefinition> = {}): GanDefinition => ({ ...tiny, discriminator, ...extra });

/** Every trainable weight's gradient of D's loss on a small batch is finite, and D's output has `outShape`. */
function checkDiscriminator(def: GanDefinition, outShape: number[]): void {
  const gan = buildGan(def, MNIST, seededRandom(1));
  try {
    tf.tidy(() => {
      const x = tf.randomUniform([4, 28, 28, 1], -1, 1);
      assert.deepEqual(gan.discriminator.apply(x, true).shape, [4, ...outShape]);
      const { grads } = tf.variableGrads(() => discriminatorLoss(gan.discriminator.apply(x, true), tf.zeros([4, 1]), 0.9, def.loss), gan.discriminator.trainableVariables);
      for (const [name, g] of Object.entries(grads)) assert.ok(tf.all(tf.isFinite(g)).dataSync()[0], `${name} has a non-finite gradient`);
    });
  } finally {
    gan.generator.dispose();
    gan.discriminator.dispose();
  }
}

describe('trainer: GANs from .gan.json definitions', function () {
  this.timeout(120_000);
  before(async () => {
    await useWasm();
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
  });

  it('builds every preset with the parameter counts shape inference gives', () => {
    for (const name of ['mnist-dcgan', 'mnist-tiny', 'mnist-ssgan-100']) {
      const gan = buildGan(PRESETS[name], MNIST, seededRandom(1));
      const shapes = inferShapes(PRESETS[name], MNIST);
      const built = (layers: { trainable: tf.Variable[] }[]) => layers.reduce((n, l) => n + countParams(l as never), 0);
      assert.equal(built(gan.generator.layers), shapes.generator.params, `${name} G`);
      assert.equal(built(gan.discriminator.layers), shapes.discriminator.params, `${name} D`);
      gan.generator.dispose();
      gan.discriminator.dispose();
    }
  });

  it('trains new layers with finite gradients: padding, dropout, layer and instance norm, upsample, minibatch stddev', () => {
    checkDiscriminator(withD([
      { type: 'conv2d', filters: 4, kernel: 4, stride: 2, padding: 1 }, { type: 'instanceNorm' }, { type: 'leakyRelu' },
      { type: 'conv2d', filters: 4, kernel: 3, padding: 'valid' }, { type: 'layerNorm' }, { type: 'dropout', rate: 0.3 },
      { type: 'upsample' }, { type: 'minibatchStddev' }, { type: 'sigmoid' }, { type: 'flatten' }, { type: 'dense', units: 1 },
    ]), [1]);
  });

  it('spectral norm divides a kernel by its largest singular value: σ of the used kernel nears 1', () => {
    const def = withD([{ type: 'flatten' }, { type: 'dense', units: 1, spectralNorm: true }]);
    checkDiscriminator(def, [1]);
    const gan = buildGan(withD([{ type: 'flatten' }, { type: 'dense', units: 8, spectralNorm: true }, { type: 'dense', units: 1 }]), MNIST, seededRandom(1));
    const layer = gan.discriminator.layers[1];
    tf.tidy(() => {
      const x = tf.eye(784); // D's dense layer applied to the identity is its kernel, W/σ(W)
      for (let i = 0; i < 30; i++) layer.apply(x, true); // power iterations
      const used = tf.sub(layer.apply(x, false), layer.weights.bias);
      const norm = (t: tf.Tensor) => tf.norm(t).dataSync()[0];
      let v: tf.Tensor = tf.ones([8, 1]);
      for (let i = 0; i < 50; i++) v = tf.div(tf.matMul(used, tf.matMul(used, v), true), norm(tf.matMul(used, tf.matMul(used, v), true)));
      assert.ok(Math.abs(norm(tf.matMul(used, v)) - 1) < 0.02, `σ ${norm(tf.matMul(used, v))}`);
    });
    gan.generator.dispose();
    gan.discriminator.dispose();
  });

  it('initialises kernels by init: he and glorot scale with the fan-in', () => {
    const std = (init: GanDefinition['init']) => {
      const gan = buildGan({ ...tiny, init }, MNIST, seededRandom(1));
      const w = gan.discriminator.layers[2].weights.kernel; // D.conv2d2: 4·4·8 → 16
      const s = tf.tidy(() => Math.sqrt(tf.moments(w).variance.dataSync()[0]));
      gan.generator.dispose();
      gan.discriminator.dispose();
      return s;
    };
    assert.ok(Math.abs(std('dcgan') - 0.02) < 0.003);
    assert.ok(Math.abs(std('he') - Math.sqrt(2 / 128)) < 0.02);
    assert.ok(Math.abs(std('glorot') - Math.sqrt(2 / (128 + 256))) < 0.01);
  });

  it('hinge and least-squares losses: D and G gradients are finite and point the right way', () => {
    tf.tidy(() => {
      const grad = (f: (l: tf.Tensor) => tf.Scalar, at: number) => tf.grad(f)(tf.tensor1d([at])).dataSync()[0];
      assert.ok(grad((l) => generatorLoss(l, 'hinge'), 0) < 0, 'G raises the score of its fakes');
      assert.ok(grad((l) => generatorLoss(l, 'least-squares'), 0) < 0, 'G pulls its fakes\' score toward 1');
      assert.ok(grad((l) => discriminatorLoss(l, tf.tensor1d([-2]), 1, 'hinge'), 0.5) < 0, 'D raises a real score below the margin');
      assert.equal(Math.abs(grad((l) => discriminatorLoss(l, tf.tensor1d([-2]), 1, 'hinge'), 2)), 0, 'and leaves one past it');
      assert.ok(Math.abs(discriminatorLoss(tf.tensor1d([1]), tf.tensor1d([0]), 1, 'least-squares').dataSync()[0]) < 1e-7);
    });
  });

  it('trains a .gan.json with two D steps, instance noise, hinge loss and a generator average, and records it in run.json', async () => {
    const dir = tempDir('ganfile');
    const file = path.join(dir, 'mine.gan.json');
    fs.writeFileSync(file, JSON.stringify({ extends: 'mnist-tiny', loss: 'hinge', discriminatorSteps: 2, instanceNoise: { stddev: 0.1, annealSteps: 10 }, generatorEma: 0.9 }));
    const config: RunConfig = { preset: 'mine', gan: file, dataset: 'mnist', steps: 0, seed: 1, runsDir: dir, sampleEvery: 0 };
    const s = TrainingSession.open(config, await useWasm());
    try {
      for (let i = 0; i < 2; i++) assert.ok(Number.isFinite((await s.trainOneStep()).dLoss));
      await s.writeSamples();
      const record = JSON.parse(fs.readFileSync(path.join(s.writer.dir, RUN_FILE), 'utf8'));
      assert.deepEqual([record.definition.name, record.definition.loss, record.definition.discriminatorSteps, record.definition.seed], ['mine', 'hinge', 2, 1]);
      const checkpoint = await s.writeCheckpoint();
      assert.match(fs.readFileSync(path.join(checkpoint, 'checkpoint.json'), 'utf8'), /"name": "ema\.G\.dense1\.kernel"/);
    } finally {
      s.close();
    }
  });

  it('applies a saved file\'s learning rate at the next step and marks it in metrics.jsonl; layers wait for a new run', async () => {
    const dir = tempDir('live');
    const config: RunConfig = { preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 1, runsDir: dir, sampleEvery: 0 };
    const s = TrainingSession.open(config, await useWasm());
    try {
      await s.trainOneStep();
      const saved: GanDefinition = { ...tiny, optimizer: { ...tiny.optimizer, discriminator: { ...tiny.optimizer.discriminator, learningRate: 1e-4 } }, latentDim: 64 };
      const { changed, structural } = s.applyDefinition(saved);
      assert.deepEqual(changed, { 'optimizer.discriminator.learningRate': 1e-4 });
      assert.deepEqual(structural, ['latentDim']);
      const metrics = await s.trainOneStep();
      assert.equal(metrics.extra?.lrD, 1e-4);
      const parsed = metricsTail(s.writer.dir).readSync();
      assert.equal(parsed.invalid, 0);
      const changes = parsed.records.flatMap((line) => (line.kind === 'changed' ? [line.record] : []));
      assert.deepEqual(changes.map((c) => [c.step, c.changed]), [[1, { 'optimizer.discriminator.learningRate': 1e-4 }]]);
      assert.equal(s.preset.latentDim, 100);
    } finally {
      s.close();
    }
  });
});
