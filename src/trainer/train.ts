// One DCGAN training step, D then G, as pytorch/examples dcgan does it.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradient functions.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { GanLoss } from '../protocol/trainer';
import { Adam, ADAM, NonFiniteUpdate } from './adam';
import { discriminatorLoss, generatorObjective } from './losses';
import { Gan } from './models/dcgan';

export interface Optimizers {
  d: Adam;
  g: Adam;
}

/** `settings`: a preset's learning rate and β1, when they are not the DCGAN paper's. */
export function makeOptimizers(gan: Gan, settings?: { learningRate: number; beta1: number }): Optimizers {
  const adam = { ...ADAM, ...settings };
  return { d: new Adam(gan.discriminator.trainableVariables, adam), g: new Adam(gan.generator.trainableVariables, adam) };
}

export interface LossOptions {
  /** G's loss: 'non-saturating' (default), the original 'minimax', or 'feature-matching'. */
  loss: GanLoss;
  /** D's target for real images: 1, or less with one-sided label smoothing (e.g. 0.9). */
  realLabel: number;
}

export const DEFAULT_LOSS: LossOptions = { loss: 'non-saturating', realLabel: 1 };

export interface StepResult {
  dLoss: number;
  gLoss: number;
  /** Mean D(x) over the real batch. */
  dReal: number;
  /** Mean D(G(z)) over the fake batch, before D's update. */
  dFake: number;
  /** Squared gradient norm of each trainable variable, in the order of each optimiser's `variables`: for the doctor. */
  gradSquares: { d: number[]; g: number[] };
}

/** Runs one optimiser's guarded update, naming the network when it is not applied. */
export async function update(adam: Adam, network: NonFiniteUpdate['network'], loss: () => tf.Scalar): Promise<{ loss: number; gradSquares: number[] }> {
  try {
    return await adam.minimize(loss);
  } catch (e) {
    if (e instanceof NonFiniteUpdate) e.network = network;
    throw e;
  }
}

/**
 * real: [B, H, W, C] in [-1, 1]; z: [B, latentDim]. Neither update is applied when its loss, gradients or new weights
 * are not finite: NonFiniteUpdate is thrown instead (after D's update, when it is G's that is not finite).
 */
export async function trainStep(gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D, losses = DEFAULT_LOSS): Promise<StepResult> {
  const { generator: G, discriminator: D } = gan;
  // (1) Update D: maximise log D(x) + log(1 − D(G(z))). The fakes are made outside D's tape: constants to it.
  // tfjs cannot keep G's tape for step (2), so G runs twice on the same z with the same weights; this first pass
  // leaves BN's running statistics alone, so they move once a step, as in PyTorch.
  const fake = tf.tidy(() => G.apply(z, true, false));
  const means: tf.Scalar[] = [];
  try {
    const d = await update(opt.d, 'discriminator', () => {
      const realLogits = D.apply(real, true);
      const fakeLogits = D.apply(fake, true);
      means.push(tf.keep(tf.mean(tf.sigmoid(realLogits))), tf.keep(tf.mean(tf.sigmoid(fakeLogits))));
      return discriminatorLoss(realLogits, fakeLogits, losses.realLabel);
    });
    // (2) Update G: maximise log D(G(z)) (or minimise log(1 − D(G(z))), or match D's features of real images), through
    // the freshly updated D.
    const g = await update(opt.g, 'generator', () => generatorObjective(D, G.apply(z, true), real, losses.loss));
    const [dReal, dFake] = await Promise.all(means.map(async (t) => (await t.data())[0]));
    return { dLoss: d.loss, gLoss: g.loss, dReal, dFake, gradSquares: { d: d.gradSquares, g: g.gradSquares } };
  } finally {
    tf.dispose([fake, ...means]);
  }
}
