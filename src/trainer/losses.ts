// The non-saturating GAN losses, with binary cross-entropy computed from D's logits so it never takes log(0).
import * as tf from '@tensorflow/tfjs-core';

/** Mean BCE(sigmoid(logits), target) = max(l, 0) − l·t + log(1 + e^(−|l|)). */
export function bceWithLogits(logits: tf.Tensor, target: 0 | 1): tf.Scalar {
  const l = logits;
  return tf.mean(tf.add(tf.sub(tf.relu(l), tf.mul(l, target)), tf.log1p(tf.exp(tf.neg(tf.abs(l))))));
}

/** D maximises log D(x) + log(1 − D(G(z))): real labelled 1, fake 0. */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.add(bceWithLogits(realLogits, 1), bceWithLogits(fakeLogits, 0));
}

/** G maximises log D(G(z)) rather than minimising log(1 − D(G(z))), which saturates while D wins early on. */
export function generatorLoss(fakeLogits: tf.Tensor): tf.Scalar {
  return bceWithLogits(fakeLogits, 1);
}
