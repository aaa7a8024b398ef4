// Scores the generator every `scoreEvery` steps (Inception Score, Fréchet distance, SWD, class histogram) a piece at a
// time between training steps, so scoring never stalls training for more than a chunk of samples.
import * as tf from '@tensorflow/tfjs-core';
import { parseDatasetSpec } from '../../protocol/dataset';
import { DEFAULT_SCORE_EVERY } from '../../protocol/scoreAxes';
import { RunConfig, ScoreRecord, StepMetrics } from '../../protocol/trainer';
import { mnistDir } from '../assets';
import { loadDataset, resolvePath } from '../data/dataset';
import { ImageSet, loadMnist } from '../data/mnist';
import { Network } from '../models/network';
import { nextSeed, seededRandom } from '../random';
import { CLASSES, Classifier, CLASSIFIER_SIDE, FEATURES, toUnitRange } from './classifier';
import { frechetDistance, GaussianStats, gaussianStats } from './frechet';
import { inceptionScore } from './inception';
import { classModes } from './modes';
import { SwdProfile, swdByLevel, swdProfileSteps } from './swd';

export { DEFAULT_SCORE_EVERY };
/** Generated samples per score: FID and SWD are biased by the sample count, so compare scores of the same count only. */
export const SCORE_SAMPLES = 1000;
/** Samples generated and classified per training step while a score is being computed. */
export const SCORE_CHUNK = 100;
/** SWD reported ×10³, as in the Progressive GAN paper's tables. */
export const SWD_SCALE = 1e3;
/** Test images classified per piece of work when the real-data reference is first computed. */
const REFERENCE_CHUNK = 500;

/** The real images scores compare against: MNIST's test set for MNIST. */
interface Reference {
  /** The classifier's features of every real reference image (MNIST only). */
  features?: GaussianStats;
  /** SWD profile of SCORE_SAMPLES real images. */
  swd: SwdProfile;
}

/** Computed once per trainer process and dataset: the 10,000 test images take seconds to classify. */
const references = new Map<string, Reference>();
/** Loaded for a score and released after it, so its tensors do not stay alive between scores. */
let sharedClassifier: Classifier | undefined;

function releaseClassifier(): void {
  sharedClassifier?.dispose();
  sharedClassifier = undefined;
}

export interface ScorerSetup {
  every: number;
  samples: number;
  latentDim: number;
  /** The generated images' side, which is the reference images' side. */
  side: number;
  seed: number;
  /** The dataset spec whose real images are the reference. */
  dataset: string;
  /** IS, FID and the class histogram: only for MNIST (the classifier knows digits); SWD always. */
  classify: boolean;
}

/**
 * What scoring a run would use, or why its data cannot be scored: every score needs one-channel images whose side is
 * the data's own; IS, FID and the class histogram need MNIST (Fashion-MNIST gets SWD only).
 */
export function scorerSetup(config: RunConfig, latentDim: number, image: { size: number; channels: number }, defaultDataset: string): ScorerSetup | { skip: string } {
  const dataset = config.dataset || defaultDataset;
  const oneChannel28 = image.channels === 1 && image.size === CLASSIFIER_SIDE;
  const every = config.scoreEvery ?? (oneChannel28 ? DEFAULT_SCORE_EVERY : 0);
  if (every === 0) return { skip: 'scores are off (scoreEvery 0)' };
  if (image.channels !== 1) return { skip: `scores (IS, FID, SWD) are computed for one-channel images; this run's have ${image.channels} channels` };
  const kind = parseDatasetSpec(dataset).kind;
  return { every, samples: SCORE_SAMPLES, latentDim, side: image.size, seed: config.seed, dataset, classify: kind === 'mnist' && image.size === CLASSIFIER_SIDE };
}

/**
 * The scorer of a training run, or undefined when its data cannot be scored (said on the trainer's log when the user
 * asked for scores). `warn` hears why scoring stopped if it fails later (e.g. missing classifier weights): training
 * goes on without scores.
 */
export function scorerFor(
  s: { config: RunConfig; preset: { latentDim: number; dataset: string }; image: { size: number; channels: number } },
  warn: (message: string) => void,
): Scorer | undefined {
  const setup = scorerSetup(s.config, s.preset.latentDim, s.image, s.preset.dataset);
  if ('skip' in setup) {
    if ((s.config.scoreEvery ?? 0) > 0) warn(`No scores for this run: ${setup.skip}`);
    return undefined;
  }
  return new Scorer(setup, warn);
}

export class Scorer {
  private round: AsyncGenerator<void, ScoreRecord> | undefined;
  private failed = false;

  constructor(readonly setup: ScorerSetup, private readonly warn: (message: string) => void = () => undefined) {}

  /** Called after every training step: starts a score every `every` steps, and advances one in progress by a piece. */
  async afterStep(metrics: StepMetrics, generator: Network): Promise<ScoreRecord | undefined> {
    if (this.failed) return undefined;
    if (!this.round && metrics.step % this.setup.every === 0) this.round = this.score(metrics.step, metrics.time, generator);
    if (!this.round) return undefined;
    return this.guard(async () => {
      const next = await this.round!.next();
      if (!next.done) return undefined;
      this.round = undefined;
      return next.value;
    });
  }

  /** Completes a score in progress at once (a run that completes mid-score); undefined when none is. */
  async finish(): Promise<ScoreRecord | undefined> {
    const round = this.round;
    this.round = undefined;
    return round && !this.failed ? this.guard(() => drain(round)) : undefined;
  }

  private async guard(work: () => Promise<ScoreRecord | undefined>): Promise<ScoreRecord | undefined> {
    try {
      return await work();
    } catch (e) {
      releaseClassifier();
      this.failed = true;
      this.round = undefined;
      this.warn(`Scoring stopped, training goes on: ${(e as Error).message}`);
      return undefined;
    }
  }

  /**
   * One score, labelled with the step it started at. Its samples come from the generator of that step and the few
   * after it (SCORE_SAMPLES / SCORE_CHUNK steps): Adam moves G little in so few steps.
   */
  private async *score(step: number, time: number, generator: Network): AsyncGenerator<void, ScoreRecord> {
    const { samples, latentDim, side, classify } = this.setup;
    const reference = yield* referenceFor(this.setup);
    const seed = (this.setup.seed ^ Math.imul(step, 0x9e3779b1)) >>> 0; // its own noise: the run's RNG stays untouched
    const images = yield* generateInPieces(generator, samples, latentDim, side, seed);
    try {
      return yield* scoreImages(images, side, reference, classify, step, time);
    } finally {
      releaseClassifier();
    }
  }
}

/** `samples` images of `generator` (n side×side, in [-1, 1]), SCORE_CHUNK per piece of work, from noise seeded by `seed`. */
export async function* generateInPieces(generator: Network, samples: number, latentDim: number, side: number, seed: number): AsyncGenerator<void, Float32Array> {
  const random = seededRandom(seed);
  const images = new Float32Array(samples * side * side);
  for (let start = 0; start < samples; start += SCORE_CHUNK) {
    const n = Math.min(SCORE_CHUNK, samples - start);
    const fakes = tf.tidy(() => {
      const z = tf.randomNormal([n, latentDim], 0, 1, 'float32', nextSeed(random));
      const x = generator.apply(z, false) as tf.Tensor4D; // inference mode, as the sample grids are drawn
      // A growing generator may still draw smaller images: scored as shown, scaled up to the data's side.
      return x.shape[1] === side ? x : tf.image.resizeBilinear(x, [side, side]);
    });
    images.set(await fakes.data(), start * side * side);
    fakes.dispose();
    yield;
  }
  return images;
}

/** Scores `images` (n side×side, in [-1, 1]) against the reference; yields between pieces of work. */
async function* scoreImages(images: Float32Array, side: number, reference: Reference, classify: boolean, step: number, time: number): AsyncGenerator<void, ScoreRecord> {
  const scores: Record<string, number> = {};
  let classHistogram: number[] | undefined;
  if (classify) {
    const { probs, features } = yield* classifyInPieces(images);
    scores.inceptionScore = inceptionScore(probs, CLASSES);
    scores.frechetDistance = frechetDistance(reference.features!, gaussianStats(features, FEATURES));
    const modes = classModes(probs, CLASSES);
    scores.classEntropy = modes.entropy;
    scores.classesCovered = modes.covered;
    classHistogram = modes.histogram;
  }
  const levels = swdByLevel(reference.swd, yield* swdProfileSteps(images, side));
  scores.swd = (levels.reduce((sum, l) => sum + l.distance, 0) / levels.length) * SWD_SCALE;
  for (const l of levels) scores[`swd${l.side}`] = l.distance * SWD_SCALE;
  return { step, time, scores, ...(classHistogram && { classHistogram }) };
}

/** The classifier's probabilities and features of `images`, REFERENCE_CHUNK images per piece of work. */
async function* classifyInPieces(images: Float32Array): AsyncGenerator<void, { probs: Float32Array; features: Float32Array }> {
  sharedClassifier ??= Classifier.load().classifier;
  const pixels = CLASSIFIER_SIDE * CLASSIFIER_SIDE;
  const count = images.length / pixels;
  const probs = new Float32Array(count * CLASSES);
  const features = new Float32Array(count * FEATURES);
  for (let start = 0; start < count; start += REFERENCE_CHUNK) {
    const end = Math.min(count, start + REFERENCE_CHUNK);
    const part = await sharedClassifier.predict(images.subarray(start * pixels, end * pixels));
    probs.set(part.probs, start * CLASSES);
    features.set(part.features, start * FEATURES);
    if (end < count) yield;
  }
  return { probs, features };
}

/** The real-data side of every score of runs on `setup.dataset`: computed in pieces once per process, then cached. */
async function* referenceFor(setup: ScorerSetup): AsyncGenerator<void, Reference> {
  const key = `${setup.dataset}|${setup.side}|${setup.samples}|${setup.classify}`;
  const cached = references.get(key);
  if (cached) return cached;
  const real = referenceImages(setup.dataset);
  if (real.channels !== 1 || real.rows !== setup.side || real.cols !== setup.side) {
    throw new Error(`scores compare against the dataset's own images, which are ${real.rows}×${real.cols}×${real.channels}; this run draws ${setup.side}×${setup.side}×1`);
  }
  const all = toUnitRange(real.pixels);
  yield;
  const features = setup.classify ? gaussianStats((yield* classifyInPieces(all)).features, FEATURES) : undefined;
  const swd = yield* swdProfileSteps(pickImages(all, real.count, setup.samples, setup.side * setup.side), setup.side);
  const reference = { features, swd };
  references.set(key, reference);
  return reference;
}

/**
 * The real images scores compare against: the test split of MNIST and Fashion-MNIST (images the generator never saw),
 * else the dataset's training images.
 */
export function referenceImages(dataset: string): ImageSet {
  const spec = parseDatasetSpec(dataset);
  if (spec.kind === 'mnist' && spec.path === undefined) return loadMnist(mnistDir(), 'test');
  if (spec.kind === 'mnist' || spec.kind === 'fashion-mnist') {
    try {
      return loadMnist(resolvePath(spec.path!), 'test');
    } catch {
      return loadDataset(dataset); // a folder with only the training files
    }
  }
  return loadDataset(dataset);
}

/** `wanted` of `count` images (each `pixels` values), drawn at random without replacement while there are enough. */
function pickImages(all: Float32Array, count: number, wanted: number, pixels: number): Float32Array {
  const random = seededRandom(count);
  const order = Array.from({ length: count }, (_, i) => i);
  const out = new Float32Array(wanted * pixels);
  for (let i = 0; i < wanted; i++) {
    let index: number;
    if (count >= wanted) {
      const j = i + Math.floor(random() * (count - i));
      [order[i], order[j]] = [order[j], order[i]];
      index = order[i];
    } else index = Math.floor(random() * count);
    out.set(all.subarray(index * pixels, (index + 1) * pixels), i * pixels);
  }
  return out;
}

export async function drain<T>(steps: AsyncGenerator<void, T>): Promise<T> {
  for (;;) {
    const next = await steps.next();
    if (next.done) return next.value;
  }
}

/** Scores `images` (n side×side, in [-1, 1]; n = setup.samples) at once: `npm run eval` and the measurements. */
export function scoreNow(images: Float32Array, setup: ScorerSetup, step = 0): Promise<ScoreRecord> {
  return drain((async function* () {
    try {
      const reference = yield* referenceFor(setup);
      return yield* scoreImages(images, setup.side, reference, setup.classify, step, 0);
    } finally {
      releaseClassifier();
    }
  })());
}

/** The Inception Score of every real reference image (MNIST's 10,000 test images): the score a perfect generator gets. */
export async function realInceptionScore(dataset: string): Promise<number> {
  try {
    const { probs } = await drain(classifyInPieces(toUnitRange(referenceImages(dataset).pixels)));
    return inceptionScore(probs, CLASSES);
  } finally {
    releaseClassifier();
  }
}
