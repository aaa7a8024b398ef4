// The MNIST classifier behind the Inception Score and the Fréchet distance: its layers, its shipped weights, and
// batched predictions of class probabilities and penultimate-layer features.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { nextSeed } from '../random';

/** The side and channels the classifier reads: MNIST's, in G's tanh range [-1, 1]. */
export const CLASSIFIER_SIDE = 28;
export const CLASSES = 10;
/** Width of the penultimate layer, the features the Fréchet distance compares. */
export const FEATURES = 128;

/** What `data/classifier/classifier.json` records beside `weights.bin`. */
export interface ClassifierRecord {
  architecture: string;
  /** Every tensor of weights.bin in file order, float32 little-endian. */
  weights: { name: string; shape: number[] }[];
  params: number;
  testAccuracy: number;
  testImages: number;
  epochs: number;
  trainingSeconds: number;
  trainedAt: string;
  machine: string;
  backend: string;
  /** How the weights came to be, when more than one run of the script made them. */
  recipe?: string;
}

export const CLASSIFIER_FILE = 'classifier.json';
export const CLASSIFIER_WEIGHTS_FILE = 'weights.bin';
export const ARCHITECTURE =
  'conv 5×5 32 valid + ReLU → max-pool 2 → conv 5×5 64 valid + ReLU → max-pool 2 → dense 1024→128 + ReLU (features) → dense 128→10';

/** [name, shape] of every weight, in the order weights.bin stores them. */
const SHAPES: [string, number[]][] = [
  ['conv1.kernel', [5, 5, 1, 32]], ['conv1.bias', [32]],
  ['conv2.kernel', [5, 5, 32, 64]], ['conv2.bias', [64]],
  ['dense1.kernel', [4 * 4 * 64, FEATURES]], ['dense1.bias', [FEATURES]],
  ['dense2.kernel', [FEATURES, CLASSES]], ['dense2.bias', [CLASSES]],
];

/**
 * Where the shipped weights are: GANSCOPE_CLASSIFIER_DIR, else `data/classifier` beside the bundle's folder (out/ →
 * ../data) or, running from sources, at the repository root.
 */
export function classifierDir(): string {
  if (process.env.GANSCOPE_CLASSIFIER_DIR) return process.env.GANSCOPE_CLASSIFIER_DIR;
  const candidates = [path.join(__dirname, '..', 'data', 'classifier'), path.join(__dirname, '..', '..', '..', 'data', 'classifier')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, CLASSIFIER_FILE))) ?? candidates[0];
}

export class Classifier {
  private constructor(readonly weights: Record<string, tf.Variable>) {}

  /** Fresh weights for training: He-normal kernels (ReLU layers), zero biases. */
  static init(random: () => number): Classifier {
    const weights: Record<string, tf.Variable> = {};
    for (const [name, shape] of SHAPES) {
      const fanIn = shape.length === 1 ? 0 : shape.slice(0, -1).reduce((a, b) => a * b);
      const std = Math.sqrt(2 / fanIn);
      weights[name] = tf.tidy(() => tf.variable(fanIn === 0 ? tf.zeros(shape) : tf.randomNormal(shape, 0, std, 'float32', nextSeed(random)), true, `classifier.${name}`));
    }
    return new Classifier(weights);
  }

  /**
   * Loads `classifier.json` + `weights.bin` from `dir`; errors name the file and the way to get it back. `trainable`:
   * to train it further (`npm run train-classifier -- --from <dir>`).
   */
  static load(dir = classifierDir(), trainable = false): { classifier: Classifier; record: ClassifierRecord } {
    const file = path.join(dir, CLASSIFIER_FILE);
    const hint = 'reinstall the extension, or run `npm run train-classifier` in the GANscope repository';
    let record: ClassifierRecord;
    try {
      record = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read the scoring classifier's ${file} (${(e as Error).message}): ${hint}`);
    }
    const expected = SHAPES.map(([n, s]) => `${n}[${s}]`).join(' ');
    const found = Array.isArray(record.weights) ? record.weights.map((w) => `${w.name}[${w.shape}]`).join(' ') : '';
    if (found !== expected) throw new Error(`${file} lists weights ${found || '(none)'}, expected ${expected}: ${hint}`);
    const binFile = path.join(dir, CLASSIFIER_WEIGHTS_FILE);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(binFile);
    } catch (e) {
      throw new Error(`Cannot read the scoring classifier's ${binFile} (${(e as Error).message}): ${hint}`);
    }
    const total = SHAPES.reduce((n, [, s]) => n + s.reduce((a, b) => a * b), 0);
    if (bytes.length !== total * 4) throw new Error(`${binFile} has ${bytes.length} bytes, expected ${total * 4} (${total} float32 weights): ${hint}`);
    const all = new Float32Array(new Uint8Array(bytes).buffer); // a copy: Buffer's offset into its pool need not be aligned
    const weights: Record<string, tf.Variable> = {};
    let at = 0;
    for (const [name, shape] of SHAPES) {
      const size = shape.reduce((a, b) => a * b);
      // In a tidy: a variable shares its initial tensor's data, and that tensor would otherwise stay alive after dispose().
      weights[name] = tf.tidy(() => tf.variable(tf.tensor(all.subarray(at, at + size), shape), trainable, `classifier.${name}`));
      at += size;
    }
    return { classifier: new Classifier(weights), record };
  }

  get variables(): tf.Variable[] {
    return SHAPES.map(([name]) => this.weights[name]);
  }

  get shapes(): { name: string; shape: number[] }[] {
    return SHAPES.map(([name, shape]) => ({ name, shape }));
  }

  /** Writes weights.bin and classifier.json (with `record`'s facts) into `dir`. */
  async save(dir: string, record: Omit<ClassifierRecord, 'weights' | 'params' | 'architecture'>): Promise<void> {
    fs.mkdirSync(dir, { recursive: true });
    const parts = await Promise.all(this.variables.map((v) => v.data() as Promise<Float32Array>));
    fs.writeFileSync(path.join(dir, CLASSIFIER_WEIGHTS_FILE), Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
    const params = parts.reduce((n, p) => n + p.length, 0);
    const full: ClassifierRecord = { architecture: ARCHITECTURE, weights: this.shapes, params, ...record };
    fs.writeFileSync(path.join(dir, CLASSIFIER_FILE), JSON.stringify(full, null, 2) + '\n');
  }

  /** x: [B, 28, 28, 1] in [-1, 1] → the penultimate features [B, 128] and the logits [B, 10]. */
  forward(x: tf.Tensor4D, dropoutRate = 0, seed?: number): { features: tf.Tensor2D; logits: tf.Tensor2D } {
    const w = this.weights;
    const conv = (h: tf.Tensor4D, layer: string) =>
      tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w[`${layer}.kernel`] as tf.Tensor4D, 1, 'valid'), w[`${layer}.bias`])) as tf.Tensor4D, 2, 2, 'valid');
    const h = conv(conv(x, 'conv1'), 'conv2'); // [B, 4, 4, 64]
    const flat = tf.reshape(h, [x.shape[0], 4 * 4 * 64]) as tf.Tensor2D;
    const features = tf.relu(tf.add(tf.matMul(flat, w['dense1.kernel'] as tf.Tensor2D), w['dense1.bias'])) as tf.Tensor2D;
    const dropped = dropoutRate > 0 ? tf.dropout(features, dropoutRate, undefined, seed) : features;
    const logits = tf.add(tf.matMul(dropped as tf.Tensor2D, w['dense2.kernel'] as tf.Tensor2D), w['dense2.bias']) as tf.Tensor2D;
    return { features, logits };
  }

  /**
   * Class probabilities [n·10] and features [n·128] of `images` (n × 28 × 28, in [-1, 1]), `batch` at a time so memory
   * stays bounded for the 10,000 test images.
   */
  async predict(images: Float32Array, batch = 500): Promise<{ probs: Float32Array; features: Float32Array; count: number }> {
    const pixels = CLASSIFIER_SIDE * CLASSIFIER_SIDE;
    if (images.length % pixels !== 0) throw new Error(`the classifier reads ${CLASSIFIER_SIDE}×${CLASSIFIER_SIDE} one-channel images; got ${images.length} values`);
    const count = images.length / pixels;
    const probs = new Float32Array(count * CLASSES);
    const features = new Float32Array(count * FEATURES);
    for (let start = 0; start < count; start += batch) {
      const n = Math.min(batch, count - start);
      const [p, f] = tf.tidy(() => {
        const x = tf.tensor4d(images.subarray(start * pixels, (start + n) * pixels), [n, CLASSIFIER_SIDE, CLASSIFIER_SIDE, 1]);
        const out = this.forward(x);
        return [tf.softmax(out.logits), out.features];
      });
      probs.set(await p.data(), start * CLASSES);
      features.set(await f.data(), start * FEATURES);
      tf.dispose([p, f]);
    }
    return { probs, features, count };
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** MNIST bytes (0 background … 255 ink) → floats in G's range [-1, 1], as the trainer's sampler scales them. */
export function toUnitRange(pixels: Uint8Array): Float32Array {
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 127.5 - 1;
  return out;
}
