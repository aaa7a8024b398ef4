// The GAN losses (the original minimax one and the non-saturating one), with binary cross-entropy computed from D's
// logits so it never takes log(0).
import * as tf from '@tensorflow/tfjs-core';
import { GanLoss } from '../protocol/trainer';

/** Mean BCE(sigmoid(logits), target) = max(l, 0) − l·t + log(1 + e^(−|l|)); `target` may be a smoothed label. */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  const l = logits;
  return tf.mean(tf.add(tf.sub(tf.relu(l), tf.mul(l, target)), tf.log1p(tf.exp(tf.neg(tf.abs(l))))));
}

/**
 * D maximises log D(x) + log(1 − D(G(z))): real labelled 1, fake 0. One-sided label smoothing (Salimans et al. 2016)
 * labels real images `realLabel` (e.g. 0.9) and keeps fakes at 0, so D is not rewarded for over-confidence.
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realLabel = 1): tf.Scalar {
  return tf.add(bceWithLogits(realLogits, realLabel), bceWithLogits(fakeLogits, 0));
}

/**
 * 'minimax' (Goodfellow et al. 2014): G minimises log(1 − D(G(z))) = −BCE(D(G(z)), 0); its gradient vanishes while D
 * rejects the fakes confidently, i.e. early on. 'non-saturating': G maximises log D(G(z)) = minimises BCE(D(G(z)), 1).
 */
export function generatorLoss(fakeLogits: tf.Tensor, loss: GanLoss = 'non-saturating'): tf.Scalar {
  return loss === 'minimax' ? tf.neg(bceWithLogits(fakeLogits, 0)) : bceWithLogits(fakeLogits, 1);
}
