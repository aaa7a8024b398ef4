// One DCGAN training step, D then G, as pytorch/examples dcgan does it.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradient functions.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { discriminatorLoss, generatorLoss } from './losses';
import { Gan } from './models/dcgan';

/** Adam with the DCGAN paper's settings (β1 = 0.5 steadies the adversarial game). */
const LEARNING_RATE = 2e-4;
const BETA1 = 0.5;
const BETA2 = 0.999;

export interface Optimizers {
  d: tf.Optimizer;
  g: tf.Optimizer;
}

export function makeOptimizers(): Optimizers {
  return { d: tf.train.adam(LEARNING_RATE, BETA1, BETA2), g: tf.train.adam(LEARNING_RATE, BETA1, BETA2) };
}

export interface StepResult {
  dLoss: number;
  gLoss: number;
  /** Mean D(x) over the real batch. */
  dReal: number;
  /** Mean D(G(z)) over the fake batch, before D's update. */
  dFake: number;
}

/** real: [B, H, W, C] in [-1, 1]; z: [B, latentDim]. */
export async function trainStep(gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D): Promise<StepResult> {
  const { generator: G, discriminator: D } = gan;
  const stats = tf.tidy(() => {
    // (1) Update D: maximise log D(x) + log(1 − D(G(z))). The fakes are made outside D's tape: constants to it.
    const fake = G.apply(z, true);
    let dReal!: tf.Scalar;
    let dFake!: tf.Scalar;
    const dLoss = opt.d.minimize(() => {
      const realLogits = D.apply(real, true);
      const fakeLogits = D.apply(fake, true);
      dReal = tf.keep(tf.mean(tf.sigmoid(realLogits)));
      dFake = tf.keep(tf.mean(tf.sigmoid(fakeLogits)));
      return discriminatorLoss(realLogits, fakeLogits);
    }, true, D.trainableVariables)!;

    // (2) Update G: maximise log D(G(z)), through the freshly updated D.
    const gLoss = opt.g.minimize(() => generatorLoss(D.apply(G.apply(z, true), true)), true, G.trainableVariables)!;
    return [dLoss, gLoss, dReal, dFake];
  });
  const [dLoss, gLoss, dReal, dFake] = await Promise.all(stats.map(async (t) => (await t.data())[0]));
  tf.dispose(stats);
  return { dLoss, gLoss, dReal, dFake };
}
