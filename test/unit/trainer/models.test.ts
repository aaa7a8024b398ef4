import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { bceWithLogits, discriminatorLoss, generatorLoss } from '../../../src/trainer/losses';
import { avgPool, batchNorm, gaussianNoise, minibatchStddev, relu, upsample, weightNormDense } from '../../../src/trainer/models/layers';
import { initFromData, Sequential } from '../../../src/trainer/models/sequential';
import { buildGan } from '../../../src/trainer/models/dcgan';
import { PRESETS } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { useWasm } from './helpers';

const MNIST = { size: 28, channels: 1 };

describe('trainer/models', function () {
  this.timeout(30_000);
  before(async () => {
    await useWasm();
  });

  for (const preset of [PRESETS['mnist-dcgan'], PRESETS['mnist-tiny']]) {
    it(`${preset.name}: G maps z to 28×28×1 images in [-1, 1] and D gives one logit per image`, () => {
      const gan = buildGan(preset, MNIST, seededRandom(1));
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const images = gan.generator.apply(tf.randomNormal([3, preset.latentDim]), true);
        assert.deepEqual(images.shape, [3, 28, 28, 1]);
        assert.ok(tf.max(tf.abs(images)).dataSync()[0] <= 1);
        assert.deepEqual(gan.discriminator.apply(images, true).shape, [3, 1]);
      });
      assert.equal(tf.memory().numTensors, before);
      gan.generator.dispose();
      gan.discriminator.dispose();
    });
  }

  it('names every layer uniquely with its network and type, so probes can address it', () => {
    const gan = buildGan(PRESETS['mnist-dcgan'], MNIST, seededRandom(1));
    const names = [...gan.generator.layers, ...gan.discriminator.layers].map((l) => l.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(gan.discriminator.layers.map((l) => l.name).slice(0, 3), ['D.conv2d1', 'D.leakyRelu1', 'D.conv2d2']);
    assert.ok(gan.generator.layers.every((l) => l.name.startsWith(`G.${l.type}`)));
    gan.generator.dispose();
    gan.discriminator.dispose();
  });

  it('initialises weights N(0, 0.02) as the DCGAN paper does', () => {
    const gan = buildGan(PRESETS['mnist-dcgan'], MNIST, seededRandom(1));
    const w = Array.from(gan.discriminator.layers[2].trainable[0].dataSync()); // D.conv2d2: 4·4·32·64 weights
    const mean = w.reduce((a, b) => a + b) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    assert.ok(Math.abs(mean) < 0.002 && Math.abs(std - 0.02) < 0.002, `mean ${mean} std ${std}`);
    gan.generator.dispose();
    gan.discriminator.dispose();
  });

  it('batch norm normalises with batch statistics in training and with running ones in inference', () => {
    const bn = batchNorm('bn', 2, seededRandom(1));
    tf.tidy(() => {
      bn.trainable[0].assign(tf.ones([2])); // γ = 1 for an exact check
      const x = tf.tensor2d([[1, 10], [3, 30]]); // per-channel mean 2, 20; biased var 1, 100
      const y = bn.apply(x, true).arraySync() as number[][];
      assert.ok(Math.abs(y[0][0] + 1) < 1e-3 && Math.abs(y[1][1] - 1) < 1e-3, `normalised ${JSON.stringify(y)}`);
      const [runningMean, runningVar] = bn.state.map((v) => Array.from(v.dataSync()));
      assert.deepEqual(runningMean.map((v) => +v.toFixed(4)), [0.2, 2]); // 0.9·0 + 0.1·mean
      assert.deepEqual(runningVar.map((v) => +v.toFixed(4)), [1.1, 20.9]); // 0.9·1 + 0.1·unbiased var (2, 200)
      const inference = bn.apply(x, false).arraySync() as number[][];
      assert.ok(Math.abs(inference[0][0] - (1 - 0.2) / Math.sqrt(1.1 + 1e-5)) < 1e-4);
    });
  });
});

describe('trainer/models: the layers of the semi-supervised and progressive GANs', () => {
  before(async () => {
    await useWasm();
  });

  it('weight norm gives each unit\'s weights the length g, whatever the length of v', () => {
    const layer = weightNormDense('wn', 3, 2, seededRandom(1));
    tf.tidy(() => {
      layer.weights.kernel.assign(tf.tensor2d([[3, 0], [4, 0], [0, 10]])); // columns of length 5 and 10
      layer.weights.scale.assign(tf.tensor1d([2, 0.5]));
      const y = layer.apply(tf.tensor2d([[1, 1, 1]]), true).arraySync() as number[][];
      assert.ok(Math.abs(y[0][0] - 2 * 7 / 5) < 1e-5 && Math.abs(y[0][1] - 0.5) < 1e-5, JSON.stringify(y));
    });
  });

  it('weight norm\'s data-dependent initialisation starts every unit at mean 0 and deviation 1 (the logits 0.1), layer after layer', () => {
    const random = seededRandom(2);
    const net = new Sequential('D', [weightNormDense('wn1', 20, 30, random), relu('relu'), gaussianNoise('noise', 0.5, random), weightNormDense('wn2', 30, 8, random)]);
    tf.tidy(() => {
      const x = tf.add(tf.mul(tf.randomNormal([400, 20], 0, 1, 'float32', 3), 7), 3); // far from unit scale
      const stats = () => net.trace(x, false).filter(({ layer }) => layer.initFromData).map(({ output }) => tf.moments(output, 0));
      const before = stats();
      assert.ok(before.some(({ mean }) => tf.max(tf.abs(mean)).dataSync()[0] > 0.5), 'not normalised before');
      initFromData(net, x);
      stats().forEach(({ mean, variance }, i) => {
        assert.ok(tf.max(tf.abs(mean)).dataSync()[0] < 1e-4, `means ${mean.dataSync()}`);
        const deviation = i === 0 ? 1 : 0.1; // the second is the network's last layer
        assert.ok(tf.max(tf.abs(tf.sub(tf.sqrt(variance), deviation))).dataSync()[0] < 1e-3 * deviation, `variances ${variance.dataSync()}`);
      });
    });
    net.dispose();
  });

  it('Gaussian noise adds N(0, σ²) while training and nothing at inference', () => {
    const noise = gaussianNoise('noise', 0.5, seededRandom(1));
    tf.tidy(() => {
      const x = tf.zeros([100, 100]);
      assert.equal(tf.max(tf.abs(noise.apply(x, false))).dataSync()[0], 0);
      const { mean, variance } = tf.moments(noise.apply(x, true));
      assert.ok(Math.abs(mean.dataSync()[0]) < 0.02 && Math.abs(Math.sqrt(variance.dataSync()[0]) - 0.5) < 0.02);
    });
  });

  it('minibatch standard deviation appends the batch\'s spread as a channel: zero for a batch of copies', () => {
    const layer = minibatchStddev('mbstd');
    tf.tidy(() => {
      const spread = (x: tf.Tensor) => Array.from(tf.slice(layer.apply(x, true), [0, 0, 0, 2], [-1, -1, -1, 1]).dataSync());
      const one = tf.randomNormal([1, 2, 2, 2], 0, 1, 'float32', 1);
      assert.ok(spread(tf.concat([one, one, one])).every((v) => v < 1e-3));
      const pair = tf.concat([tf.zeros([1, 2, 2, 2]), tf.fill([1, 2, 2, 2], 2)]); // std 1 everywhere
      assert.ok(spread(pair).every((v) => Math.abs(v - 1) < 1e-4));
      assert.deepEqual(layer.apply(pair, true).shape, [2, 2, 2, 3]);
    });
  });

  it('upsampling repeats each pixel in a 2×2 block; average pooling undoes it', () => {
    tf.tidy(() => {
      const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
      const up = upsample('up', 2).apply(x, true);
      assert.deepEqual(Array.from(up.dataSync()), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
      assert.deepEqual(Array.from(avgPool('pool', 2).apply(up, true).dataSync()), [1, 2, 3, 4]);
    });
  });
});

describe('trainer/losses', () => {
  before(async () => {
    await useWasm();
  });

  it('binary cross-entropy from logits equals −log σ(l) and −log(1 − σ(l)) for moderate logits', () => {
    tf.tidy(() => {
      const l = tf.tensor1d([-2, 0.5, 3]);
      const naive1 = tf.mean(tf.neg(tf.log(tf.sigmoid(l)))).dataSync()[0];
      const naive0 = tf.mean(tf.neg(tf.log(tf.sub(1, tf.sigmoid(l))))).dataSync()[0];
      assert.ok(Math.abs(bceWithLogits(l, 1).dataSync()[0] - naive1) < 1e-5);
      assert.ok(Math.abs(bceWithLogits(l, 0).dataSync()[0] - naive0) < 1e-5);
    });
  });

  it('stays finite for logits where σ saturates to 0 or 1 in float32', () => {
    tf.tidy(() => {
      const l = tf.tensor1d([-200, 200]);
      assert.ok(Math.abs(bceWithLogits(l, 1).dataSync()[0] - 100) < 1e-3); // (200 + 0) / 2
      assert.ok(Math.abs(bceWithLogits(l, 0).dataSync()[0] - 100) < 1e-3);
    });
  });

  it('D sums its real and fake terms; G\'s non-saturating loss labels fakes real', () => {
    tf.tidy(() => {
      const real = tf.tensor1d([2]);
      const fake = tf.tensor1d([-1]);
      const d = discriminatorLoss(real, fake).dataSync()[0];
      assert.ok(Math.abs(d - (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)))) < 1e-5);
      assert.ok(Math.abs(generatorLoss(fake).dataSync()[0] - Math.log1p(Math.exp(1))) < 1e-5);
    });
  });
});
