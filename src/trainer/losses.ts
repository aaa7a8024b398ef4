// The GAN losses (the original minimax one, the non-saturating one, hinge, least squares, feature matching, and the
// semi-supervised GAN's), with cross-entropies computed from D's logits so they never take log(0).
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradient functions, and losses exist to be differentiated.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { GanLoss } from '../protocol/trainer';
import { Network } from './models/network';

/** Mean BCE(sigmoid(logits), target) = max(l, 0) − l·t + log(1 + e^(−|l|)); `target` may be a smoothed label. */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  const l = logits;
  return tf.mean(tf.add(tf.sub(tf.relu(l), tf.mul(l, target)), tf.log1p(tf.exp(tf.neg(tf.abs(l))))));
}

/**
 * D maximises log D(x) + log(1 − D(G(z))): real labelled 1, fake 0. One-sided label smoothing (Salimans et al. 2016)
 * labels real images `realLabel` (e.g. 0.9) and keeps fakes at 0, so D is not rewarded for over-confidence.
 */
export function discriminatorLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor, realLabel = 1, loss: GanLoss = 'non-saturating'): tf.Scalar {
  // Hinge (Lim & Ye 2017; Miyato et al. 2018): D pushes real scores above 1 and fake ones below −1, and stops there.
  if (loss === 'hinge') return tf.add(tf.mean(tf.relu(tf.sub(1, realLogits))), tf.mean(tf.relu(tf.add(1, fakeLogits))));
  // Least squares (Mao et al. 2017): D regresses real scores to the (smoothed) real label and fake ones to 0.
  if (loss === 'least-squares') return tf.mul(tf.add(tf.mean(tf.square(tf.sub(realLogits, realLabel))), tf.mean(tf.square(fakeLogits))), 0.5);
  return tf.add(bceWithLogits(realLogits, realLabel), bceWithLogits(fakeLogits, 0));
}

/**
 * 'hinge': G maximises D's score of its fakes. 'least-squares': G minimises ½(D(G(z)) − 1)².
 * 'minimax' (Goodfellow et al. 2014): G minimises log(1 − D(G(z))) = −BCE(D(G(z)), 0); its gradient vanishes while D
 * rejects the fakes confidently, i.e. early on. 'non-saturating': G maximises log D(G(z)) = minimises BCE(D(G(z)), 1).
 */
export function generatorLoss(fakeLogits: tf.Tensor, loss: Exclude<GanLoss, 'feature-matching'> = 'non-saturating'): tf.Scalar {
  switch (loss) {
    case 'minimax': return tf.neg(bceWithLogits(fakeLogits, 0));
    case 'hinge': return tf.neg(tf.mean(fakeLogits)) as tf.Scalar; // G raises D's score of its fakes
    case 'least-squares': return tf.mul(tf.mean(tf.square(tf.sub(fakeLogits, 1))), 0.5); // G pulls it to the real label
    default: return bceWithLogits(fakeLogits, 1);
  }
}

/**
 * D's last hidden layer, [B, features]: the input of its output layer (Gaussian noise in front of it skipped, as in
 * Salimans et al.'s code), which a semi-supervised D also uses to tell the classes apart.
 */
export function discriminatorFeatures(D: Network, x: tf.Tensor, training = true, updateStats = training): tf.Tensor2D {
  const outputs = D.trace(x, training, updateStats);
  let i = outputs.length - 2;
  while (i > 0 && outputs[i].layer.type === 'gaussianNoise') i--;
  if (i < 0) throw new Error(`${D.name} has no hidden layer to match features on`);
  return tf.reshape(outputs[i].output, [x.shape[0], -1]);
}

/**
 * Feature matching (Salimans et al. 2016): G minimises ‖E f(x) − E f(G(z))‖², f being D's last hidden layer, so it
 * makes fakes whose statistics match the real ones instead of chasing D's current verdict.
 */
export function featureMatchingLoss(realFeatures: tf.Tensor2D, fakeFeatures: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0))));
}

/**
 * G's loss on this step's fakes: feature matching against the real batch, or `loss` on D's real/fake logit.
 * `logit` turns D's output into that logit (the identity for a GAN's D, logsumexp for a semi-supervised one).
 */
export function generatorObjective(D: Network, fake: tf.Tensor, real: tf.Tensor, loss: GanLoss, logit = (out: tf.Tensor) => out): tf.Scalar {
  // The real features do not depend on G's weights: G's update holds them constant.
  if (loss === 'feature-matching') return featureMatchingLoss(discriminatorFeatures(D, real), discriminatorFeatures(D, fake));
  return generatorLoss(logit(D.apply(fake, true)), loss);
}

/**
 * A K-class D's real/fake logit. With the fake class's logit fixed at 0, D(x) = Z/(Z + 1), Z = Σ_k exp(l_k), which is
 * sigmoid(log Z): the unsupervised GAN losses apply to logsumexp(l) unchanged.
 */
export function realFakeLogit(classLogits: tf.Tensor): tf.Tensor1D {
  return tf.logSumExp(classLogits, 1) as tf.Tensor1D;
}

/** Mean cross-entropy of softmax(logits) [B, K] against integer labels [B]: the semi-supervised GAN's supervised loss. */
export function classCrossEntropy(logits: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  const picked = tf.sum(tf.mul(logits, tf.oneHot(labels, logits.shape[1]!)), 1); // l_y [B]
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked));
}
