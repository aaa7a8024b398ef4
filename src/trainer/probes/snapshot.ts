// A ProbeSnapshot: D(x), D(G(z)), weight and gradient norms per layer, batch-norm statistics, on a fresh probe batch.
import * as tf from '@tensorflow/tfjs-core';
import { BatchNormStats, LayerNorms, ProbeSnapshot, VERDICT_BINS } from '../../protocol/probes';
import { discriminatorFeatures, discriminatorLoss, featureMatchingLoss, generatorLoss, realFakeLogit } from '../losses';
import { Layer } from '../models/layers';
import { Network } from '../models/network';
import { seededRandom } from '../random';
import { LossOptions } from '../train';
import { GraphSource } from './graph';

/** What probes need of a run (a TrainingSession has all of it). */
export interface ProbeSource extends GraphSource {
  readonly config: { seed: number };
  /** The fixed-noise grid's latents, [cells, latentDim]. */
  readonly noise: tf.Tensor2D;
  /** The training images by index, as batches hold them: [side, side, channels] in [-1, 1]. */
  readonly images: { readonly count: number; readonly batchSize: number; image(index: number): Float32Array };
  readonly image: { size: number; channels: number };
  readonly lossOptions: LossOptions;
  /** Real images as D sees them now; absent: D works at the data's side. */
  realForDiscriminator?(images: tf.Tensor4D): tf.Tensor4D;
  /** Runs a probe without changing the run's random stream. */
  preservingRandom<T>(probe: () => Promise<T>): Promise<T>;
}

/** The gradients a snapshot computed, by layer name: what histogram probes show as "last gradients". */
export type LayerGradients = Map<string, tf.Tensor[]>;

/** A fresh batch for step `step`: real images and latents drawn from a stream of their own, so training draws the same. */
export function probeBatch(s: ProbeSource, step: number): { real: tf.Tensor4D; z: tf.Tensor2D } {
  // Seeded by (seed, step): the same run probed at the same step sees the same batch, however often it was probed.
  const random = seededRandom(Math.imul(s.config.seed ^ 0x5bd1e995, 2654435761) ^ step);
  const { batchSize, count } = s.images;
  const { size, channels } = s.image;
  const pixels = new Float32Array(batchSize * size * size * channels);
  for (let b = 0; b < batchSize; b++) pixels.set(s.images.image(Math.floor(random() * count)), b * size * size * channels);
  return tf.tidy(() => ({
    real: tf.tensor4d(pixels, [batchSize, size, size, channels]),
    z: tf.randomNormal([batchSize, s.preset.latentDim], 0, 1, 'float32', Math.floor(random() * 2 ** 31)) as tf.Tensor2D,
  }));
}

/** D's real/fake logit per image: its one output, or the logsumexp of a K-class (semi-supervised) D's logits. */
export function ganLogits(out: tf.Tensor): tf.Tensor1D {
  const units = out.shape[out.shape.length - 1];
  return units === 1 ? (tf.reshape(out, [out.shape[0]]) as tf.Tensor1D) : realFakeLogit(tf.reshape(out, [out.shape[0], units]));
}

/** Real images [B, size, size, C] as D sees them while training (a growing D works below the data's side for a while). */
export function realForD(s: ProbeSource, images: tf.Tensor4D): tf.Tensor4D {
  return s.realForDiscriminator ? s.realForDiscriminator(images) : images;
}

/**
 * Computes a snapshot at the run's current weights. Gradients are of D's loss for D's layers and of G's loss for G's,
 * as the step computes them (D's unsupervised real/fake loss for a semi-supervised D), in training mode but with
 * `updateStats` false, and nothing is updated. D's batch-norm statistics are those of the real batch.
 * Returns the gradients, kept: the caller owns and disposes them.
 */
export async function takeSnapshot(s: ProbeSource): Promise<{ snapshot: ProbeSnapshot; gradients: LayerGradients }> {
  const { generator: G, discriminator: D } = s.gan;
  const { real: data, z } = probeBatch(s, s.step);
  const gLayers = withWeights(G.layers);
  const dLayers = withWeights(D.layers);
  const gBn = G.layers.filter((l) => l.type === 'batchNorm');
  const dBn = D.layers.filter((l) => l.type === 'batchNorm');
  const gradients: LayerGradients = new Map();

  const packed = tf.tidy(() => {
    const fake = G.apply(z, true, false);
    const real = realForD(s, data);
    const parts: tf.Tensor[] = [];
    let dStats: tf.Tensor[] = [];
    let verdicts: tf.Tensor[] = [];
    const dGrads = tf.variableGrads(() => {
      const realTrace = D.trace(real, true, false);
      const realLogits = ganLogits(realTrace[realTrace.length - 1].output);
      const fakeLogits = ganLogits(D.apply(fake, true, false));
      verdicts = [tf.sigmoid(realLogits), tf.sigmoid(fakeLogits)].map((t) => tf.keep(t));
      dStats = [tf.mean(verdicts[0]), tf.mean(verdicts[1]), ...bnInputMoments(D, real, realTrace, dBn)].map((t) => tf.keep(t));
      return discriminatorLoss(realLogits, fakeLogits, s.lossOptions.realLabel, s.lossOptions.loss);
    }, D.trainableVariables).grads;
    let gStats: tf.Tensor[] = [];
    const gGrads = tf.variableGrads(() => {
      const gTrace = G.trace(z, true, false);
      gStats = bnInputMoments(G, z, gTrace, gBn).map((t) => tf.keep(t));
      const fakes = gTrace[gTrace.length - 1].output;
      if (s.lossOptions.loss === 'feature-matching') {
        return featureMatchingLoss(discriminatorFeatures(D, real, true, false), discriminatorFeatures(D, fakes, true, false));
      }
      return generatorLoss(ganLogits(D.apply(fakes, true, false)), s.lossOptions.loss);
    }, G.trainableVariables).grads;

    for (const [layers, grads] of [[gLayers, gGrads], [dLayers, dGrads]] as const) {
      for (const layer of layers) {
        // A weight the loss does not reach (none in these models) has a zero gradient.
        const g = layer.trainable.map((v) => tf.keep(grads[v.name] ?? tf.zerosLike(v)));
        gradients.set(layer.name, g);
        parts.push(norm(layer.trainable), norm(g));
      }
    }
    parts.push(...dStats.slice(0, 2), ...gStats, ...dStats.slice(2));
    for (const layer of [...gBn, ...dBn]) {
      const w = layer.weights;
      parts.push(w.runningMean, w.runningVar, w.gamma, w.beta);
    }
    parts.push(...verdicts);
    const flat = tf.concat(parts.map((t) => tf.reshape(t, [-1])));
    tf.dispose([...dStats, ...gStats, ...verdicts]);
    return flat;
  });
  tf.dispose([data, z]);
  const values = (await packed.data()) as Float32Array;
  packed.dispose();

  let at = 0;
  const take = (n: number) => Array.from(values.subarray(at, (at += n)));
  const layers: LayerNorms[] = [...gLayers, ...dLayers].map((l) => ({ name: l.name, weightNorm: take(1)[0], gradNorm: take(1)[0] }));
  const [dReal, dFake] = take(2);
  const moments = [...gBn, ...dBn].map((l) => ({ batchMean: take(channelsOf(l)), batchVar: take(channelsOf(l)) }));
  const batchNorm: BatchNormStats[] = [...gBn, ...dBn].map((l, i) => {
    const c = channelsOf(l);
    return { name: l.name, ...moments[i], runningMean: take(c), runningVar: take(c), gamma: take(c), beta: take(c) };
  });
  // The probe batch's real and generated images are as many: its last values are their verdicts, half each.
  const images = (values.length - at) / 2;
  const verdicts = { real: verdictCounts(take(images)), fake: verdictCounts(take(images)) };
  return { snapshot: { step: s.step, dReal, dFake, layers, batchNorm, verdicts }, gradients };
}

/** How many of `probabilities` fall in each of VERDICT_BINS equal bins of [0, 1]. */
export function verdictCounts(probabilities: number[]): number[] {
  const counts = new Array<number>(VERDICT_BINS).fill(0);
  for (const p of probabilities) counts[Math.min(VERDICT_BINS - 1, Math.max(0, Math.floor(p * VERDICT_BINS)))]++;
  return counts;
}

const withWeights = (layers: Layer[]) => layers.filter((l) => l.trainable.length > 0);

const channelsOf = (bn: Layer) => bn.weights.gamma.size;

/** ‖[all of them]‖₂ as a [1] tensor. */
function norm(tensors: tf.Tensor[]): tf.Tensor {
  return tf.reshape(tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))), [1]);
}

/** Per batch-norm layer: the per-channel mean and (biased, as batch norm normalises with) variance of its input. */
function bnInputMoments(net: Network, input: tf.Tensor, trace: { layer: Layer; output: tf.Tensor }[], bns: Layer[]): tf.Tensor[] {
  return bns.flatMap((bn) => {
    const i = trace.findIndex((t) => t.layer === bn);
    const x = i > 0 ? trace[i - 1].output : input;
    const channels = channelsOf(bn);
    if (i < 0) throw new Error(`${net.name}: ${bn.name} is not on the network's active path`);
    const { mean, variance } = tf.moments(tf.reshape(x, [-1, channels]), 0);
    return [mean, variance];
  });
}
