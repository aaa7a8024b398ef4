// The doctor's own measurements on a fresh batch: sample diversity, dead units, batch-norm drift, the grid spectrum and
// nearest-training-image distances. Like probes, they change nothing: no weight or running statistic is updated and
// the run's random stream is left as it was (the caller runs them inside `preservingRandom`).
import * as tf from '@tensorflow/tfjs-core';
import { discriminatorFeatures } from '../losses';
import { probeBatch, ProbeSource, realForD } from '../probes/snapshot';
import { Measurement } from './history';
import { gridEnergyShare } from './spectrum';

/** Training images to look for nearest neighbours among, and held-out test images: [n, pixels] in [-1, 1]. */
export interface NearestSets {
  reference: Float32Array;
  test: Float32Array;
  pixels: number;
}

const BN_EPSILON = 1e-5;

export async function measure(s: ProbeSource, nearest?: NearestSets): Promise<Measurement> {
  const { generator: G, discriminator: D } = s.gan;
  const { real: data, z } = probeBatch(s, s.step);
  const reluLayers = G.layers.filter((l) => l.type === 'relu').map((l) => l.name);
  const bnLayers = G.layers.filter((l) => l.type === 'batchNorm');
  const [scalars, fakes, reals, gridSide] = tf.tidy(() => {
    const trace = G.trace(z, true, false);
    const fake = trace[trace.length - 1].output as tf.Tensor4D;
    const real = realForD(s, data);
    const diversity = (f: (x: tf.Tensor4D) => tf.Tensor2D) => tf.div(meanPairDistance(f(fake)), tf.maximum(meanPairDistance(f(real)), 1e-12));
    const flat = (x: tf.Tensor4D) => tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D;
    const spread = tf.sqrt(tf.mean(tf.square(tf.sub(fake, tf.mean(fake, 0)))));
    const drift = tf.div(tf.sqrt(tf.mean(tf.square(tf.sub(G.apply(z, false), fake)))), tf.maximum(spread, 1e-12));
    const dead = trace.filter((t) => t.layer.type === 'relu').map(({ output }) => {
      const channels = output.shape[output.shape.length - 1];
      return tf.mean(tf.cast(tf.lessEqual(tf.max(tf.reshape(output, [-1, channels]), 0), 0), 'float32'));
    });
    const gaps = bnLayers.map((bn) => {
      const i = trace.findIndex((t) => t.layer === bn);
      const x = i > 0 ? trace[i - 1].output : z;
      const { runningMean, runningVar } = bn.weights;
      const { mean } = tf.moments(tf.reshape(x, [-1, runningMean.size]), 0);
      return tf.max(tf.div(tf.abs(tf.sub(mean, runningMean)), tf.sqrt(tf.add(runningVar, BN_EPSILON))));
    });
    const values = tf.stack([
      diversity((x) => discriminatorFeatures(D, x, true, false)), diversity(flat), drift, ...dead, ...gaps,
    ]);
    const first4d = trace.find((t) => t.output.rank === 4)?.output.shape[1] ?? fake.shape[1];
    return [values, fake, real, first4d] as const;
  });
  tf.dispose(reals === data ? [z] : [data, z]);
  const [values, fakePixels, realPixels] = await Promise.all([scalars.data(), fakes.data(), reals.data()]) as Float32Array[];
  const nearestDistances = nearest && fakes.shape[1] ** 2 * fakes.shape[3] === nearest.pixels ? await nearestMedians(fakes, nearest) : undefined;
  tf.dispose([scalars, fakes, reals]);

  const [featureDiversity, pixelDiversity, bnOutputDrift] = values;
  const deadShare = Object.fromEntries(reluLayers.map((name, i) => [name, values[3 + i]]));
  const gapValues = Array.from(values.subarray(3 + reluLayers.length));
  const worst = gapValues.reduce((w, v, i) => (v > gapValues[w] ? i : w), 0);
  const [batch, side, , channels] = fakes.shape;
  const factor = side / gridSide;
  const grid = Number.isInteger(factor) && factor > 1
    ? { gridEnergyFake: gridEnergyShare(fakePixels, batch, side, channels, factor), gridEnergyReal: gridEnergyShare(realPixels, batch, side, channels, factor) }
    : {};
  return {
    step: s.step, featureDiversity, pixelDiversity, deadShare, bnOutputDrift,
    bnMeanGap: gapValues.length ? gapValues[worst] : 0, bnLayer: bnLayers[worst]?.name ?? '',
    ...grid, ...nearestDistances,
  };
}

/** Mean L2 distance between the rows of x [B, F], over pairs of different rows. */
export function meanPairDistance(x: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const b = x.shape[0];
    const squares = tf.sum(tf.square(x), 1);
    const d2 = tf.sub(tf.add(tf.reshape(squares, [b, 1]), tf.reshape(squares, [1, b])), tf.mul(tf.matMul(x, x, false, true), 2));
    const offDiagonal = tf.sub(1, tf.eye(b));
    return tf.div(tf.sum(tf.mul(tf.sqrt(tf.relu(d2)), offDiagonal)), b * (b - 1));
  });
}

/** The median distance of G's samples, and of the test images, to their nearest reference (training) image. */
async function nearestMedians(fakes: tf.Tensor4D, sets: NearestSets): Promise<{ nearestFake: number; nearestTest: number }> {
  const n = fakes.shape[0];
  const distances = tf.tidy(() => {
    const reference = tf.tensor2d(sets.reference, [sets.reference.length / sets.pixels, sets.pixels]);
    const queries = tf.concat([tf.reshape(fakes, [n, sets.pixels]), tf.tensor2d(sets.test, [sets.test.length / sets.pixels, sets.pixels])]);
    const d2 = tf.sub(tf.add(tf.reshape(tf.sum(tf.square(queries), 1), [-1, 1]), tf.reshape(tf.sum(tf.square(reference), 1), [1, -1])),
      tf.mul(tf.matMul(queries, reference, false, true), 2));
    return tf.sqrt(tf.relu(tf.min(d2, 1)));
  });
  const all = Array.from(await distances.data());
  distances.dispose();
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  return { nearestFake: med(all.slice(0, n)), nearestTest: med(all.slice(n)) };
}
