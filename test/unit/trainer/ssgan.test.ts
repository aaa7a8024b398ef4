import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '../../../src/trainer/data/mnist';
import { classCrossEntropy, discriminatorLoss, realFakeLogit } from '../../../src/trainer/losses';
import { buildGan } from '../../../src/trainer/models/dcgan';
import { dense, flatten } from '../../../src/trainer/models/layers';
import { Sequential } from '../../../src/trainer/models/sequential';
import { getPreset } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { readCheckpoint } from '../../../src/trainer/runDir/checkpoint';
import { TrainingSession } from '../../../src/trainer/session';
import { LabelledBatches, LabelledSet, loadTestSet, pickLabelled, ssganStep, TestAccuracy } from '../../../src/trainer/ssgan';
import { makeOptimizers } from '../../../src/trainer/train';
import { MNIST_DIR, tempDir, useWasm } from './helpers';

const value = (t: tf.Tensor) => t.dataSync()[0];
const close = (a: number, b: number, tolerance = 1e-5) => assert.ok(Math.abs(a - b) < tolerance, `${a} ≠ ${b}`);

describe('trainer: semi-supervised GAN (Salimans et al. 2016)', function () {
  this.timeout(120_000);
  let mnist: LabelledSet;
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    await useWasm();
    mnist = loadMnist(MNIST_DIR, 'train');
  });

  describe('losses', () => {
    it('reads D(x) = Z/(Z + 1), Z = Σ exp(l_k), as the sigmoid of logsumexp(l)', () => {
      tf.tidy(() => {
        const logits = [0.5, -1, 2];
        const z = logits.reduce((s, l) => s + Math.exp(l), 0);
        close(value(tf.sigmoid(realFakeLogit(tf.tensor2d([logits])))), z / (z + 1));
      });
    });

    it('makes the unsupervised loss −log D(x) − log(1 − D(G(z))) of those probabilities', () => {
      tf.tidy(() => {
        const real = [1, 0, -2];
        const fake = [-3, -1, 0.5];
        const d = (l: number[]) => { const z = l.reduce((s, v) => s + Math.exp(v), 0); return z / (z + 1); };
        const loss = discriminatorLoss(realFakeLogit(tf.tensor2d([real])), realFakeLogit(tf.tensor2d([fake])));
        close(value(loss), -Math.log(d(real)) - Math.log(1 - d(fake)));
      });
    });

    it('stays finite where Z overflows float32', () => {
      tf.tidy(() => {
        const huge = tf.tensor2d([[200, 150, -50]]);
        close(value(discriminatorLoss(realFakeLogit(huge), realFakeLogit(huge))), 200, 1e-3); // −log D(x) ≈ 0, −log(1 − D) ≈ 200
      });
    });

    it('classifies with the softmax cross-entropy of the K logits against the labels', () => {
      tf.tidy(() => {
        const logits = tf.tensor2d([[2, 0, -1], [0, 1, 0]]);
        const expected = ((Math.log(Math.exp(2) + 1 + Math.exp(-1)) - 2) + (Math.log(2 + Math.E) - 1)) / 2;
        close(value(classCrossEntropy(logits, tf.tensor1d([0, 1], 'int32'))), expected);
      });
    });
  });

  describe('labelled data', () => {
    it('picks a balanced subset, the same for the same seed', () => {
      const picked = pickLabelled(mnist.labels, 10, 100, seededRandom(1));
      const perClass = Array.from({ length: 10 }, (_, k) => [...picked].filter((i) => mnist.labels[i] === k).length);
      assert.deepEqual(perClass, Array(10).fill(10));
      assert.equal(new Set(picked).size, 100);
      assert.deepEqual(pickLabelled(mnist.labels, 10, 100, seededRandom(1)), picked);
      assert.notDeepEqual(pickLabelled(mnist.labels, 10, 100, seededRandom(2)), picked);
    });

    it('refuses counts it cannot balance, saying why', () => {
      assert.throws(() => pickLabelled(mnist.labels, 10, 95, seededRandom(1)), /95 labels cannot be split evenly over 10 classes/);
      assert.throws(() => pickLabelled(Uint8Array.from([0, 0, 1]), 2, 4, seededRandom(1)), /1 images of class 1; 2 are needed/);
    });

    it('cycles through every labelled image once a pass, each batch fixed by its step alone', () => {
      const indices = pickLabelled(mnist.labels, 10, 20, seededRandom(3));
      const batches = new LabelledBatches(mnist, indices, 10, 7);
      const seen = [batches.batch(0).labels, batches.batch(1).labels].flatMap((l) => [...l]).sort();
      assert.deepEqual(seen, [...indices].map((i) => mnist.labels[i]).sort(), 'one pass: each labelled image once');
      const fresh = new LabelledBatches(mnist, indices, 10, 7);
      assert.deepEqual(fresh.batch(5), batches.batch(5), 'a resumed run draws the same batch');
      assert.ok(batches.batch(0).images.every((v) => v >= -1 && v <= 1));
    });

    it('says which datasets have a test split to measure on', () => {
      assert.equal(loadTestSet('mnist').count, 10_000);
      assert.throws(() => loadTestSet('folder:/nowhere'), /needs labelled data with a test split/);
    });
  });

  describe('test accuracy', () => {
    it('classifies the test set a chunk at a time and reports the accuracy after the last chunk', async () => {
      // A real two-class D: class 1 when the first pixel is bright.
      const d = new Sequential('discriminator', [flatten('D.flatten1'), dense('D.dense1', 4, 2, seededRandom(1))]);
      tf.tidy(() => d.layers[1].weights.kernel.assign(tf.tensor2d([[-1, 1], [0, 0], [0, 0], [0, 0]])));
      const pixels = Uint8Array.from([0, 9, 9, 9, 255, 0, 0, 0, 200, 0, 0, 0, 10, 0, 0, 0, 250, 0, 0, 0]); // 5 images of 2×2
      const test: LabelledSet = { count: 5, rows: 2, cols: 2, channels: 1, pixels, labels: Uint8Array.from([0, 1, 1, 1, 0]) };
      const accuracy = new TestAccuracy(test, 2);
      accuracy.start();
      const gan = { generator: d, discriminator: d };
      assert.equal(await accuracy.advance(gan), undefined);
      assert.equal(await accuracy.advance(gan), undefined);
      assert.equal(await accuracy.advance(gan), 0.6); // the last image is bright but labelled 0; the 4th is dark but labelled 1
      assert.equal(accuracy.measuring, false);
      d.dispose();
    });

    it('an untrained mnist-ssgan-100 D is near chance on the 10,000 MNIST test digits', async () => {
      const gan = buildGan(getPreset('mnist-ssgan-100'), { size: 28, channels: 1 }, seededRandom(1));
      const accuracy = new TestAccuracy(loadTestSet('mnist'), 5000);
      accuracy.start();
      await accuracy.advance(gan);
      const result = await accuracy.advance(gan);
      assert.ok(result !== undefined && result > 0.02 && result < 0.25, `accuracy ${result}`);
      gan.generator.dispose();
      gan.discriminator.dispose();
    });
  });

  it('weights D\'s unsupervised loss ½ beside the supervised one, as Salimans et al.\'s code does', async () => {
    // Batches of one image, so D(x) and D(G(z)) as reported are the probabilities inside the loss.
    const random = seededRandom(4);
    const gan = {
      generator: new Sequential('generator', [dense('G.dense1', 3, 4, random)]),
      discriminator: new Sequential('discriminator', [flatten('D.flatten1'), dense('D.dense1', 4, 3, random, 0.5)]),
    };
    const image = (values: number[]) => tf.tensor4d(values, [1, 2, 2, 1]);
    const [labelled, real, z, labels] = [image([0.5, -1, 0.2, 0.9]), image([-0.3, 0.8, 0.1, -0.6]), tf.tensor2d([[0.4, -1.2, 0.7]]), tf.tensor1d([2], 'int32')];
    const optimizers = makeOptimizers(gan);
    const r = await ssganStep(gan, optimizers, labelled, labels, real, z, { loss: 'feature-matching', realLabel: 1 });
    close(r.dLoss, r.supervisedLoss + 0.5 * (-Math.log(r.dReal) - Math.log(1 - r.dFake)), 1e-4);
    tf.dispose([labelled, real, z, labels]);
    [gan.generator, gan.discriminator, optimizers.d, optimizers.g].forEach((x) => x.dispose());
  });

  it('with testEma, classifies the test set with the average of D\'s weights, which checkpoints hold and a resumed run keeps', async () => {
    const dir = tempDir('testEma');
    const file = path.join(dir, 'avg.gan.json');
    fs.writeFileSync(file, JSON.stringify({ extends: 'mnist-ssgan-100', semiSupervised: { testEvery: 3, testChunk: 10_000, testEma: 0.5 } }));
    const config = { preset: 'avg', gan: file, dataset: 'mnist', steps: 0, seed: 1, runsDir: dir, sampleEvery: 0 };
    const backend = await useWasm();
    const s = TrainingSession.open(config, backend);
    const accuracyAfter = async (session: TrainingSession, steps: number) => {
      let accuracy: number | undefined;
      for (let i = 0; i < steps; i++) accuracy = (await session.trainOneStep()).extra?.testAccuracy;
      return accuracy;
    };
    let reported: number | undefined;
    let later: number | undefined;
    let checkpoint: string;
    try {
      reported = await accuracyAfter(s, 3);
      checkpoint = await s.writeCheckpoint();
      later = await accuracyAfter(s, 3);
    } finally {
      s.close();
    }
    // The accuracy of a D holding the checkpoint's averaged weights, and of one holding its trained ones.
    const saved = new Map(readCheckpoint(checkpoint).arrays.map((a) => [a.name, a]));
    const accuracyOf = async (prefix: string) => {
      const gan = buildGan(getPreset('mnist-ssgan-100'), { size: 28, channels: 1 }, seededRandom(1));
      for (const [name, v] of gan.discriminator.namedWeights) v.assign(tf.tensor(saved.get(prefix + name)!.data, v.shape));
      const test = new TestAccuracy(loadTestSet('mnist'), 10_000);
      test.start();
      const accuracy = await test.advance(gan);
      gan.generator.dispose();
      gan.discriminator.dispose();
      return accuracy;
    };
    assert.equal(reported, await accuracyOf('ema.'), 'the reported accuracy is the averaged D\'s');
    assert.notEqual(reported, await accuracyOf(''), 'and not the trained D\'s');

    const resumed = TrainingSession.open({ ...config, resume: s.writer.dir }, backend);
    try {
      assert.equal(await accuracyAfter(resumed, 3), later, 'resumed from the checkpoint, the run measures what it measured going on');
    } finally {
      resumed.close();
    }
  });

  it('mnist-ssgan-100 trains with feature matching and logs its supervised loss', async () => {
    const s = TrainingSession.open({ preset: 'mnist-ssgan-100', dataset: 'mnist', steps: 0, seed: 1, runsDir: tempDir('ssgan'), sampleEvery: 0 }, await useWasm());
    try {
      assert.equal(s.lossOptions.loss, 'feature-matching', 'the preset\'s own G loss when the run names none');
      const m = await s.trainOneStep();
      assert.ok(m.extra && m.extra.supervisedLoss > 1.5 && m.extra.supervisedLoss < 4, `an untrained D's cross-entropy is near ln 10: ${m.extra?.supervisedLoss}`);
      assert.ok(m.dReal > 0 && m.dReal < 1 && m.dFake > 0 && m.dFake < 1);
    } finally {
      s.close();
    }
  });
});
