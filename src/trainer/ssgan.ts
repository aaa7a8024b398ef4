// The semi-supervised GAN (Salimans et al. 2016): D classifies images into K classes, the fake class implied; it
// learns from a small balanced labelled subset, the unlabelled real images and G's fakes. Its test accuracy is measured.
import * as tf from '@tensorflow/tfjs-core';
import { parseDatasetSpec } from '../protocol/dataset';
import { mnistDir } from './assets';
import { loadCifar10 } from './data/cifar10';
import { resolvePath } from './data/dataset';
import { ImageSet, loadMnist } from './data/mnist';
import { classCrossEntropy, discriminatorLoss, generatorObjective, realFakeLogit } from './losses';
import { Gan } from './models/dcgan';
import { seededRandom } from './random';
import { LossOptions, Optimizers, StepResult, update } from './train';

/** The unsupervised loss's weight beside the supervised one: Salimans et al.'s code halves it. */
const UNSUPERVISED_WEIGHT = 0.5;

export type LabelledSet = ImageSet & { labels: Uint8Array };

export interface SsganStepResult extends StepResult {
  /** Cross-entropy of D's classes on the labelled batch. */
  supervisedLoss: number;
}

/**
 * One step: D minimises L_supervised + ½·L_unsupervised, where L_unsupervised = −log D(x) − log(1 − D(G(z))) with
 * D(x) = sigmoid(logsumexp(l(x))), weighted ½ as in Salimans et al.'s code; then G's update (feature matching in the
 * paper) through the updated D.
 * labelled: [B, H, W, C] with labels [B]; real: an unlabelled batch [B, H, W, C]; z: [B, latentDim].
 */
export async function ssganStep(
  gan: Gan, opt: Optimizers, labelled: tf.Tensor4D, labels: tf.Tensor1D, real: tf.Tensor4D, z: tf.Tensor2D, losses: LossOptions,
): Promise<SsganStepResult> {
  const { generator: G, discriminator: D } = gan;
  const fake = tf.tidy(() => G.apply(z, true, false)); // constants to D's update; G (the small network here) runs again for its own
  const kept: tf.Tensor[] = [];
  try {
    const d = await update(opt.d, 'discriminator', () => {
      const supervised = classCrossEntropy(D.apply(labelled, true), labels);
      const realLogit = realFakeLogit(D.apply(real, true));
      const fakeLogit = realFakeLogit(D.apply(fake, true));
      kept.push(...[tf.mean(tf.sigmoid(realLogit)), tf.mean(tf.sigmoid(fakeLogit)), supervised].map((t) => tf.keep(t)));
      return tf.add(supervised, tf.mul(discriminatorLoss(realLogit, fakeLogit, losses.realLabel, losses.loss), UNSUPERVISED_WEIGHT));
    });
    const g = await update(opt.g, 'generator', () => generatorObjective(D, G.apply(z, true), real, losses.loss, realFakeLogit));
    const [dReal, dFake, supervisedLoss] = await Promise.all(kept.map(async (t) => (await t.data())[0]));
    return { dLoss: d.loss, gLoss: g.loss, dReal, dFake, supervisedLoss, gradSquares: { d: d.gradSquares, g: g.gradSquares } };
  } finally {
    tf.dispose([fake, ...kept]);
  }
}

/** A balanced subset: `count / classes` training images of each class, picked with `random`; their indices by class. */
export function pickLabelled(labels: Uint8Array, classes: number, count: number, random: () => number): Uint32Array {
  if (count % classes !== 0) throw new Error(`${count} labels cannot be split evenly over ${classes} classes: use a multiple of ${classes}`);
  const perClass = count / classes;
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((y, i) => byClass[y]?.push(i));
  return Uint32Array.from(byClass.flatMap((pool, k) => {
    if (pool.length < perClass) throw new Error(`The training set has ${pool.length} images of class ${k}; ${perClass} are needed for ${count} balanced labels`);
    for (let i = 0; i < perClass; i++) { // a partial Fisher–Yates shuffle: the first perClass of a random order
      const j = i + Math.floor(random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return pool.slice(0, perClass);
  }));
}

/**
 * Batches of the labelled subset, cycling through it in a fresh seeded order each pass, as Salimans et al. repeat their
 * 100 labels. A batch depends only on the step, so a resumed run draws the batches it would have drawn.
 */
export class LabelledBatches {
  private pass = -1;
  private order = new Uint32Array(0);

  constructor(private readonly data: LabelledSet, readonly indices: Uint32Array, readonly batchSize: number, private readonly seed: number) {}

  /** Images [batchSize, side, side, channels] in [-1, 1], flattened, and their labels, for step `step` (from 0). */
  batch(step: number): { images: Float32Array; labels: Int32Array } {
    const size = this.data.rows * this.data.cols * this.data.channels;
    const images = new Float32Array(this.batchSize * size);
    const labels = new Int32Array(this.batchSize);
    for (let b = 0; b < this.batchSize; b++) {
      const at = step * this.batchSize + b;
      const index = this.orderOf(Math.floor(at / this.indices.length))[at % this.indices.length];
      const pixels = this.data.pixels.subarray(index * size, (index + 1) * size);
      for (let i = 0; i < size; i++) images[b * size + i] = pixels[i] / 127.5 - 1;
      labels[b] = this.data.labels[index];
    }
    return { images, labels };
  }

  private orderOf(pass: number): Uint32Array {
    if (pass !== this.pass) {
      const random = seededRandom((this.seed ^ Math.imul(pass + 1, 0x9e3779b9)) >>> 0);
      this.order = Uint32Array.from(this.indices);
      for (let i = this.order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
      }
      this.pass = pass;
    }
    return this.order;
  }
}

/** The labelled test split of a dataset spec: MNIST, Fashion-MNIST and CIFAR-10 have one. */
export function loadTestSet(spec: string): LabelledSet {
  const parsed = parseDatasetSpec(spec);
  const where = parsed.path === undefined ? undefined : resolvePath(parsed.path);
  switch (parsed.kind) {
    case 'mnist':
      return loadMnist(where ?? mnistDir(), 'test');
    case 'fashion-mnist':
      return loadMnist(where!, 'test', 'a semi-supervised run measures its accuracy on the test split: put t10k-*-ubyte files beside the training ones');
    case 'cifar10':
      return loadCifar10(where!, 'test');
    default:
      throw new Error(`A semi-supervised run needs labelled data with a test split (mnist, fashion-mnist:<folder> or cifar10:<folder>), not "${spec}"`);
  }
}

/**
 * D's accuracy on the test set, measured a chunk at a time between training steps so the run never stalls for the whole
 * set. D runs in inference mode: no noise, running statistics.
 */
export class TestAccuracy {
  private cursor = -1; // the next test image; -1 while not measuring
  private correct = 0;

  constructor(private readonly test: LabelledSet, private readonly chunk: number) {}

  get measuring(): boolean {
    return this.cursor >= 0;
  }

  start(): void {
    this.cursor = 0;
    this.correct = 0;
  }

  /** Classifies the next chunk; returns the accuracy (0 to 1) once the whole test set is done, else undefined. */
  async advance(gan: Gan): Promise<number | undefined> {
    const { rows, cols, channels, count } = this.test;
    const size = rows * cols * channels;
    const n = Math.min(this.chunk, count - this.cursor);
    const pixels = this.test.pixels.subarray(this.cursor * size, (this.cursor + n) * size);
    const predicted = tf.tidy(() => {
      const x = tf.sub(tf.div(tf.tensor4d(pixels, [n, rows, cols, channels], 'float32'), 127.5), 1);
      return tf.argMax(gan.discriminator.apply(x, false), 1); // [n]
    });
    const classes = await predicted.data();
    predicted.dispose();
    for (let i = 0; i < n; i++) if (classes[i] === this.test.labels[this.cursor + i]) this.correct++;
    this.cursor += n;
    if (this.cursor < count) return undefined;
    this.cursor = -1;
    return this.correct / count;
  }
}
