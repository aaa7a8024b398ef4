import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { discriminatorFeatures, featureMatchingLoss, generatorObjective } from '../../../src/trainer/losses';
import { buildGan, Gan } from '../../../src/trainer/models/dcgan';
import { getPreset } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { TrainingSession } from '../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from './helpers';

const MNIST = { size: 28, channels: 1 };
const value = (t: tf.Tensor) => t.dataSync()[0];
const dispose = (gan: Gan) => [gan.generator, gan.discriminator].forEach((n) => n.dispose());

describe('trainer: feature matching (Salimans et al. 2016)', function () {
  this.timeout(120_000);
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    await useWasm();
  });

  it('is the squared distance between the batch means of the features, ‖E f(x) − E f(G(z))‖²', () => {
    tf.tidy(() => {
      const real = tf.tensor2d([[1, 0], [3, 2]]); // mean [2, 1]
      const fake = tf.tensor2d([[0, 0], [0, 1]]); // mean [0, 0.5]
      assert.ok(Math.abs(value(featureMatchingLoss(real, fake)) - (4 + 0.25)) < 1e-6);
    });
  });

  it('is zero when only the means match: it asks G for the statistics of real data, not for copies of it', () => {
    tf.tidy(() => {
      const real = tf.tensor2d([[1, 5], [3, -1]]);
      const fake = tf.tensor2d([[2, 2], [2, 2]]);
      assert.equal(value(featureMatchingLoss(real, fake)), 0);
    });
  });

  it('matches the input of D\'s output layer: the flattened last conv block of a DCGAN D', () => {
    const gan = buildGan(getPreset('mnist-tiny'), MNIST, seededRandom(1));
    try {
      tf.tidy(() => {
        const x = tf.randomUniform([3, 28, 28, 1], -1, 1);
        const features = discriminatorFeatures(gan.discriminator, x, false);
        assert.deepEqual(features.shape, [3, 7 * 7 * 16]); // mnist-tiny's D: 8 then 16 channels at 7×7
        const trace = gan.discriminator.trace(x, false);
        assert.equal(trace[trace.length - 2].layer.type, 'flatten');
      });
    } finally {
      dispose(gan);
    }
  });

  it('skips the Gaussian noise in front of a semi-supervised D\'s output layer', () => {
    const gan = buildGan(getPreset('mnist-ssgan-100'), MNIST, seededRandom(1));
    try {
      tf.tidy(() => {
        const x = tf.randomUniform([4, 28, 28, 1], -1, 1);
        const trace = gan.discriminator.trace(x, false);
        assert.equal(trace[trace.length - 2].layer.type, 'gaussianNoise');
        assert.deepEqual(discriminatorFeatures(gan.discriminator, x, false).shape, [4, 250]);
        assert.equal(trace[trace.length - 3].layer.type, 'relu');
      });
    } finally {
      dispose(gan);
    }
  });

  it('gives every weight of G a gradient through D\'s last hidden layer', () => {
    const gan = buildGan(getPreset('mnist-tiny'), MNIST, seededRandom(2));
    try {
      tf.tidy(() => {
        const z = tf.randomNormal([8, 100], 0, 1, 'float32', 3);
        const real = tf.randomUniform([8, 28, 28, 1], -1, 1, 'float32', 4);
        const f = () => generatorObjective(gan.discriminator, gan.generator.apply(z, true, false), real, 'feature-matching');
        const { grads } = tf.variableGrads(f, gan.generator.trainableVariables);
        const norms = gan.generator.trainableVariables.map((v) => (grads[v.name] ? value(tf.norm(grads[v.name])) : 0));
        assert.ok(norms.every((n) => n > 0), `gradient norms ${norms}`);
      });
    } finally {
      dispose(gan);
    }
  });

  it('trains any preset with loss "feature-matching", logging G\'s feature distance as its loss', async () => {
    const backend = await useWasm();
    const run = async (loss: 'feature-matching' | 'non-saturating') => {
      const s = TrainingSession.open({ preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 5, runsDir: tempDir('fm'), sampleEvery: 0, loss }, backend);
      try {
        return [await s.trainOneStep(), await s.trainOneStep()];
      } finally {
        s.close();
      }
    };
    const fm = await run('feature-matching');
    const ns = await run('non-saturating');
    assert.deepEqual(fm.map((m) => m.dLoss)[0], ns.map((m) => m.dLoss)[0], 'D\'s first update does not depend on G\'s loss');
    assert.notEqual(fm[0].gLoss, ns[0].gLoss);
    for (const m of fm) assert.ok(Number.isFinite(m.gLoss) && m.gLoss >= 0, `feature distance ${m.gLoss}`);
  });
});
