// Answers a panel's ProbeQuery on the run's current weights: activations, filters, histograms, generated images, latents,
// input gradients.
import * as tf from '@tensorflow/tfjs-core';
import { Histogram, LatentSource, LayerActivation, NetworkName, ProbeQuery, ProbeResult } from '../../protocol/probes';
import { Layer } from '../models/layers';
import { Network } from '../models/network';
import { inputGradients } from './inputGradients';
import { ganLogits, LayerGradients, ProbeSource, realForD } from './snapshot';

/** Feature maps sent per layer at most: a 1024-channel map of one image is 64 MB at 64×64, more than a panel can draw. */
export const MAX_CHANNELS = 64;
/** Images per `generate` query at most: the fixed-noise grid's size. */
export const MAX_IMAGES = 64;
export const MAX_BINS = 1000;

/** Every query but `snapshot`, which the Prober answers because it also keeps the snapshot's gradients. */
export async function answerQuery(s: ProbeSource, q: Exclude<ProbeQuery, { kind: 'snapshot' }>, gradients: LayerGradients): Promise<ProbeResult> {
  switch (q.kind) {
    case 'generatorActivations':
      return generatorActivations(s, q.z);
    case 'discriminatorActivations':
      return discriminatorActivations(s, q.image, q.index);
    case 'filters':
      return filters(s, q.layer);
    case 'histogram':
      return histogram(s, q.layer, q.bins, gradients);
    case 'generate':
      return generate(s, q.latents);
    case 'latents':
      return { kind: 'latents', shape: s.noise.shape, data: (await s.noise.data()) as Float32Array };
    case 'realImages':
      return realImages(s, q.indices);
    case 'inputGradients':
      return inputGradients(s, q);
  }
}

/** One latent vector, [1, latentDim]. */
function latent(s: ProbeSource, source: LatentSource): tf.Tensor2D {
  const dim = s.preset.latentDim;
  switch (source.kind) {
    case 'cell': {
      const cells = s.noise.shape[0];
      if (source.index >= cells) throw new Error(`cell ${source.index} is outside the fixed-noise grid's ${cells} cells (0–${cells - 1})`);
      return tf.slice(s.noise, [source.index, 0], [1, dim]);
    }
    case 'seed':
      return tf.randomNormal([1, dim], 0, 1, 'float32', source.seed) as tf.Tensor2D;
    case 'values':
      if (source.values.length !== dim) throw new Error(`a latent vector of this run has ${dim} values, not ${source.values.length}`);
      return tf.tensor2d(source.values, [1, dim]);
  }
}

async function generatorActivations(s: ProbeSource, source: LatentSource): Promise<ProbeResult> {
  const z = latent(s, source);
  try {
    const layers = await activations(s.gan.generator, z);
    return { kind: 'activations', network: 'generator', input: (await z.data()) as Float32Array, inputShape: [s.preset.latentDim], layers };
  } finally {
    z.dispose();
  }
}

async function discriminatorActivations(s: ProbeSource, image: 'real' | 'generated', index: number): Promise<ProbeResult> {
  const x = tf.tidy(() => {
    if (image === 'generated') return s.gan.generator.apply(latent(s, { kind: 'cell', index }), false) as tf.Tensor4D;
    const { size, channels } = s.image;
    return realForD(s, tf.tensor4d(s.images.image(index), [1, size, size, channels]));
  });
  try {
    const D = s.gan.discriminator;
    const layers = await activations(D, x);
    const score = tf.tidy(() => tf.sigmoid(ganLogits(D.apply(x, false))));
    const [probability] = await score.data();
    score.dispose();
    return { kind: 'activations', network: 'discriminator', input: (await x.data()) as Float32Array, inputShape: x.shape.slice(1), layers, score: probability };
  } finally {
    x.dispose();
  }
}

/** Every layer's output in inference mode (batch norm on running statistics), its first MAX_CHANNELS channels. */
async function activations(net: Network, x: tf.Tensor): Promise<LayerActivation[]> {
  const layers: { layer: Layer; shape: number[]; cut: boolean }[] = [];
  const tensors = tf.tidy(() =>
    net.trace(x, false).map(({ layer, output }) => {
      const shape = output.shape.slice(1);
      // A flat output ([units]) is one vector: its units are summarised together, as one channel.
      const channels = shape.length > 1 ? shape[shape.length - 1] : 1;
      const flat = tf.reshape(output, [-1, channels]);
      const { mean, variance } = tf.moments(flat, 0);
      const dead = tf.mean(tf.cast(tf.lessEqual(flat, 0), 'float32'), 0);
      const cut = shape.length > 1 && channels > MAX_CHANNELS;
      layers.push({ layer, shape, cut });
      const shown = cut ? tf.slice(output, new Array(output.rank).fill(0), [1, ...shape.slice(0, -1), MAX_CHANNELS]) : output;
      return [shown, tf.stack([mean, tf.sqrt(variance), dead])];
    }),
  );
  try {
    return await Promise.all(layers.map(async ({ layer, shape, cut }, i): Promise<LayerActivation> => {
      const [shown, statsTensor] = tensors[i];
      const stats = (await statsTensor.array()) as number[][];
      const channels = stats[0].map((mean, c) => ({ mean, std: stats[1][c], dead: stats[2][c] }));
      return {
        name: layer.name, type: layer.type, shape, data: (await shown.data()) as Float32Array, channels,
        ...(cut && { channelsShown: MAX_CHANNELS }),
      };
    }));
  } finally {
    tf.dispose(tensors.flat());
  }
}

async function filters(s: ProbeSource, name: string): Promise<ProbeResult> {
  const { layer } = findLayer(s, name);
  const kernel = layer.weights.kernel;
  if (!kernel || (layer.type !== 'conv2d' && layer.type !== 'conv2dTranspose')) {
    throw new Error(`${name} is a ${layer.type} layer: filters are the kernels of conv2d and conv2dTranspose layers`);
  }
  const [kh, kw, a, b] = kernel.shape; // [KH, KW, Cin, Cout] (a transposed conv's is [KH, KW, Cout, Cin])
  const shape = [kh, kw, Math.min(a, MAX_CHANNELS), Math.min(b, MAX_CHANNELS)];
  const cut = shape[2] < a || shape[3] < b;
  const shown = cut ? tf.slice(kernel, [0, 0, 0, 0], shape) : kernel;
  try {
    return { kind: 'filters', layer: name, shape, data: (await shown.data()) as Float32Array, ...(cut && { fullShape: kernel.shape }) };
  } finally {
    if (cut) shown.dispose();
  }
}

async function histogram(s: ProbeSource, name: string, bins: number, gradients: LayerGradients): Promise<ProbeResult> {
  if (bins < 1 || bins > MAX_BINS) throw new Error(`a histogram needs 1 to ${MAX_BINS} bins, not ${bins}`);
  const { layer } = findLayer(s, name);
  if (layer.trainable.length === 0) throw new Error(`${name} (${layer.type}) has no weights: pick a dense, conv or batch-norm layer`);
  const values = async (ts: tf.Tensor[]) => {
    const parts = await Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    return parts.length === 1 ? parts[0] : Float32Array.from(parts.flatMap((p) => Array.from(p)));
  };
  const grads = gradients.get(name);
  return {
    kind: 'histogram', layer: name, weights: binned(await values(layer.trainable), bins),
    ...(grads && { gradients: binned(await values(grads), bins) }),
  };
}

/** `bins` equal bins from the smallest to the largest value (a constant set gets one unit-wide range around it). */
export function binned(values: Float32Array, bins: number): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo < hi)) [lo, hi] = values.length ? [lo - 0.5, hi + 0.5] : [0, 1];
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return { edges: Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width)), counts };
}

async function generate(s: ProbeSource, latents: { weight: number; z: LatentSource }[][]): Promise<ProbeResult> {
  if (latents.length === 0 || latents.length > MAX_IMAGES) throw new Error(`generate makes 1 to ${MAX_IMAGES} images at a time, not ${latents.length}`);
  const empty = latents.findIndex((sum) => sum.length === 0);
  if (empty >= 0) throw new Error(`image ${empty} of the generate query combines no latent vectors`);
  const images = tf.tidy(() => {
    const z = tf.concat(latents.map((sum) => tf.addN(sum.map(({ weight, z }) => tf.mul(latent(s, z), weight)))));
    return s.gan.generator.apply(z, false);
  });
  try {
    return { kind: 'images', shape: images.shape, data: (await images.data()) as Float32Array };
  } finally {
    images.dispose();
  }
}

/** Real images in one batch, at the side D works at now (progressive growing shows them as D sees them). */
async function realImages(s: ProbeSource, indices: number[]): Promise<ProbeResult> {
  if (indices.length === 0 || indices.length > MAX_IMAGES) throw new Error(`realImages returns 1 to ${MAX_IMAGES} images at a time, not ${indices.length}`);
  const { size, channels } = s.image;
  const pixels = new Float32Array(indices.length * size * size * channels);
  indices.forEach((index, i) => pixels.set(s.images.image(index), i * size * size * channels));
  const images = tf.tidy(() => realForD(s, tf.tensor4d(pixels, [indices.length, size, size, channels])));
  try {
    return { kind: 'images', shape: images.shape, data: (await images.data()) as Float32Array };
  } finally {
    images.dispose();
  }
}

function findLayer(s: ProbeSource, name: string): { network: NetworkName; layer: Layer } {
  for (const [network, net] of [['generator', s.gan.generator], ['discriminator', s.gan.discriminator]] as const) {
    const layer = net.layers.find((l) => l.name === name);
    if (layer) return { network, layer };
  }
  const names = (net: Network) => net.layers.map((l) => l.name).join(', ');
  throw new Error(`No layer named "${name}": the generator has ${names(s.gan.generator)}; the discriminator has ${names(s.gan.discriminator)}`);
}
