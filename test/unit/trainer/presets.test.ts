import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { bceWithLogits, discriminatorLoss, generatorLoss } from '../../../src/trainer/losses';
import { buildGan, Gan } from '../../../src/trainer/models/dcgan';
import { PRESET_NAMES } from '../../../src/protocol/runOptions';
import { getPreset, imageShapeFor, PRESETS } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { useWasm } from './helpers';

const params = (vars: tf.Variable[]) => vars.reduce((n, v) => n + v.size, 0);
const dispose = (gan: Gan) => [gan.generator, gan.discriminator].forEach((n) => n.dispose());

describe('trainer/presets', function () {
  this.timeout(60_000);
  before(async () => {
    await useWasm();
  });

  it('talk-dcgan-64 is the talk\'s Generator and Discriminator layer for layer, with their parameter counts', () => {
    const preset = getPreset('talk-dcgan-64');
    const gan = buildGan(preset, imageShapeFor(preset, 28, 1), seededRandom(1));
    try {
      assert.deepEqual(gan.generator.layers.map((l) => l.type), [
        'dense', 'reshape',
        'conv2dTranspose', 'batchNorm', 'relu', 'conv2dTranspose', 'batchNorm', 'relu', 'conv2dTranspose', 'batchNorm', 'relu',
        'conv2dTranspose', 'tanh',
      ]);
      assert.deepEqual(gan.discriminator.layers.map((l) => l.type), [
        'conv2d', 'leakyRelu', 'conv2d', 'batchNorm', 'leakyRelu', 'conv2d', 'batchNorm', 'leakyRelu', 'conv2d', 'batchNorm', 'leakyRelu',
        'flatten', 'dense',
      ]);
      assert.deepEqual(gan.generator.layers.filter((l) => l.type === 'conv2dTranspose').map((l) => l.trainable[0].shape), [
        [4, 4, 512, 1024], [4, 4, 256, 512], [4, 4, 128, 256], [4, 4, 1, 128],
      ]);
      assert.deepEqual(gan.discriminator.layers.filter((l) => l.type === 'conv2d').map((l) => l.trainable[0].shape), [
        [4, 4, 1, 128], [4, 4, 128, 256], [4, 4, 256, 512], [4, 4, 512, 1024],
      ]);
      // The same counts as sum(p.numel() for p in model.parameters()) of the talk's PyTorch modules.
      assert.equal(params(gan.generator.trainableVariables), 12_668_672);
      assert.equal(params(gan.discriminator.trainableVariables), 11_032_065);
      tf.tidy(() => {
        const images = gan.generator.apply(tf.randomNormal([2, 100]), true);
        assert.deepEqual(images.shape, [2, 64, 64, 1]);
        assert.deepEqual(gan.discriminator.apply(images, true).shape, [2, 1]);
      });
    } finally {
      dispose(gan);
    }
  });

  it('takes image channels and side from the dataset: mnist-dcgan on 32×32 RGB makes 32×32×3 images', () => {
    const preset = getPreset('mnist-dcgan');
    const shape = imageShapeFor(preset, 32, 3);
    assert.deepEqual(shape, { size: 32, channels: 3 });
    const gan = buildGan(preset, shape, seededRandom(1));
    try {
      tf.tidy(() => {
        const images = gan.generator.apply(tf.randomNormal([2, 100]), true);
        assert.deepEqual(images.shape, [2, 32, 32, 3]);
        assert.deepEqual(gan.discriminator.apply(images, true).shape, [2, 1]);
      });
    } finally {
      dispose(gan);
    }
  });

  it('keeps the talk preset at 64×64 whatever the data\'s size, and refuses sides G cannot make', () => {
    assert.deepEqual(imageShapeFor(getPreset('talk-dcgan-64'), 32, 3), { size: 64, channels: 3 });
    assert.throws(() => imageShapeFor(getPreset('mnist-tiny'), 30, 1), /Preset "mnist-tiny" needs an image side divisible by 4; the dataset's images are 30×30/);
  });

  it('mnist-ssgan-100 is Salimans et al.\'s MNIST model: a dense D with Gaussian noise and weight norm, one logit per digit', () => {
    const preset = getPreset('mnist-ssgan-100');
    assert.deepEqual(preset.semiSupervised?.labelled, 100);
    assert.equal(preset.loss, 'feature-matching');
    const gan = buildGan(preset, imageShapeFor(preset, 28, 1), seededRandom(1));
    try {
      const dense = gan.discriminator.layers.filter((l) => l.type === 'dense');
      assert.deepEqual(dense.map((l) => l.weights.kernel.shape), [[784, 1000], [1000, 500], [500, 250], [250, 250], [250, 250], [250, 10]]);
      assert.ok(dense.every((l) => 'scale' in l.weights), 'weight-normalised: each unit has a learnt length g');
      assert.equal(gan.discriminator.layers.filter((l) => l.type === 'gaussianNoise').length, 6);
      tf.tidy(() => {
        const images = gan.generator.apply(tf.randomNormal([2, 100]), true);
        assert.deepEqual(images.shape, [2, 28, 28, 1]);
        assert.deepEqual(gan.discriminator.apply(images, true).shape, [2, 10]);
      });
    } finally {
      dispose(gan);
    }
  });

  it('defines exactly the presets the run options list, in their order, each with a description', () => {
    assert.deepEqual(Object.keys(PRESETS), PRESET_NAMES);
    for (const p of Object.values(PRESETS)) assert.ok(p.description.length > 20);
  });
});

describe('trainer/losses: minimax, non-saturating, label smoothing', () => {
  before(async () => {
    await useWasm();
  });
  const value = (t: tf.Scalar) => t.dataSync()[0];

  it('minimax G loss is log(1 − D(G(z))), the negative of D\'s fake term', () => {
    tf.tidy(() => {
      const fake = tf.tensor1d([-1, 2]);
      const expected = (Math.log(1 - 1 / (1 + Math.exp(1))) + Math.log(1 - 1 / (1 + Math.exp(-2)))) / 2;
      assert.ok(Math.abs(value(generatorLoss(fake, 'minimax')) - expected) < 1e-5);
      assert.ok(Math.abs(value(generatorLoss(fake, 'minimax')) + value(bceWithLogits(fake, 0))) < 1e-6);
    });
  });

  it('minimax saturates where non-saturating does not: G\'s gradient when D rejects fakes confidently', () => {
    const grad = (loss: 'minimax' | 'non-saturating') => tf.tidy(() => tf.grad((l: tf.Tensor) => generatorLoss(l, loss))(tf.tensor1d([-8])).dataSync()[0]);
    assert.ok(Math.abs(grad('minimax')) < 1e-3, `minimax ${grad('minimax')}`);
    assert.ok(Math.abs(grad('non-saturating')) > 0.99, `non-saturating ${grad('non-saturating')}`);
  });

  it('one-sided label smoothing targets real images at 1 − ε and leaves fakes at 0', () => {
    tf.tidy(() => {
      const real = tf.tensor1d([3]);
      const fake = tf.tensor1d([-3]);
      const smoothed = value(discriminatorLoss(real, fake, 0.9));
      const expected = value(bceWithLogits(real, 0.9)) + value(bceWithLogits(fake, 0));
      assert.ok(Math.abs(smoothed - expected) < 1e-6);
      assert.ok(smoothed > value(discriminatorLoss(real, fake)), 'a confident D pays for it');
    });
  });
});
