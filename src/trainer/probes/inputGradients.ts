// What each network's loss asks of the pixels: ∂L_G/∂x on fixed-noise samples (and those samples moved against it),
// ∂L_D/∂x on training images, by the run's own losses at its current weights.
import * as tf from '@tensorflow/tfjs-core';
import { ProbeQuery, ProbeResult } from '../../protocol/probes';
import { discriminatorFeatures, discriminatorLoss, featureMatchingLoss, generatorLoss } from '../losses';
import { ganLogits, ProbeSource, realForD } from './snapshot';

/** Images per set at most: a handful is what the panel shows, and each costs a forward and a backward pass of D. */
export const MAX_GRADIENT_IMAGES = 16;

type Query = Extract<ProbeQuery, { kind: 'inputGradients' }>;

/**
 * G draws as the sample grids do (inference mode); D judges as a training step runs it, in training mode on each set
 * as one batch (batch norm on that batch's statistics, which it does not store), so the verdicts are those the run's
 * D(x) and D(G(z)) measure and the gradients those a step follows. Each gradient is that of the image's own term of the
 * loss: the batch mean's gradient times the batch size (feature matching, which has no per-image term, is scaled the
 * same way).
 */
export async function inputGradients(s: ProbeSource, q: Query): Promise<Extract<ProbeResult, { kind: 'inputGradients' }>> {
  checkQuery(s, q);
  const { generator: G, discriminator: D } = s.gan;
  const { loss, realLabel } = s.lossOptions;
  const { size, channels } = s.image;
  const pixels = new Float32Array(q.indices.length * size * size * channels);
  q.indices.forEach((index, i) => pixels.set(s.images.image(index), i * size * size * channels));
  const logit = (x: tf.Tensor) => ganLogits(D.apply(x, true, false));

  const t = tf.tidy(() => {
    const fake = G.apply(tf.gather(s.noise, q.cells), false) as tf.Tensor4D;
    const real = realForD(s, tf.tensor4d(pixels, [q.indices.length, size, size, channels]));
    const gLoss = (x: tf.Tensor) => loss === 'feature-matching'
      ? featureMatchingLoss(discriminatorFeatures(D, real, true, false), discriminatorFeatures(D, x, true, false))
      : generatorLoss(logit(x), loss);
    const gGrad = tf.mul(tf.grad(gLoss)(fake), q.cells.length);
    // D's loss on the generated images does not depend on the real ones: held constant, it adds nothing to ∂L_D/∂x.
    const fakeLogits = logit(fake);
    const dGrad = tf.mul(tf.grad((x: tf.Tensor) => discriminatorLoss(logit(x), fakeLogits, realLabel, loss))(real), q.indices.length);
    // Each image's step is scaled by its own largest |gradient|, so stepSize is the largest pixel change whatever the scale.
    const largest = tf.max(tf.abs(gGrad), [1, 2, 3], true);
    const after = tf.clipByValue(tf.sub(fake, tf.mul(tf.divNoNan(gGrad, largest), q.stepSize)), -1, 1);
    return {
      fake, fakeVerdicts: tf.sigmoid(fakeLogits), gGrad, after, afterVerdicts: tf.sigmoid(logit(after)),
      real, realVerdicts: tf.sigmoid(logit(real)), dGrad,
    };
  });
  try {
    const f32 = async (x: tf.Tensor) => (await x.data()) as Float32Array;
    const list = async (x: tf.Tensor) => Array.from(await x.data());
    return {
      kind: 'inputGradients', step: s.step, loss, shape: t.fake.shape, stepSize: q.stepSize,
      generated: { images: await f32(t.fake), verdicts: await list(t.fakeVerdicts), gradients: await f32(t.gGrad) },
      after: { images: await f32(t.after), verdicts: await list(t.afterVerdicts) },
      real: { images: await f32(t.real), verdicts: await list(t.realVerdicts), gradients: await f32(t.dGrad) },
    };
  } finally {
    tf.dispose(Object.values(t));
  }
}

function checkQuery(s: ProbeSource, q: Query): void {
  for (const [name, list] of [['cells', q.cells], ['indices', q.indices]] as const) {
    if (list.length === 0 || list.length > MAX_GRADIENT_IMAGES) throw new Error(`inputGradients takes 1 to ${MAX_GRADIENT_IMAGES} ${name}, not ${list.length}`);
  }
  const cells = s.noise.shape[0];
  const outside = q.cells.find((c) => c >= cells);
  if (outside !== undefined) throw new Error(`cell ${outside} is outside the fixed-noise grid's ${cells} cells (0–${cells - 1})`);
}
