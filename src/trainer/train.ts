// One DCGAN training step, D then G, as pytorch/examples dcgan does it.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradient functions.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { AdamSpec } from '../ganFile/types';
import { GanLoss } from '../protocol/trainer';
import { Adam, ADAM, NonFiniteUpdate } from './adam';
import { discriminatorLoss, generatorObjective } from './losses';
import { Gan } from './models/dcgan';

export interface Optimizers {
  d: Adam;
  g: Adam;
}

/** Adam for each network with the definition's settings (the DCGAN paper's when none are given). */
export function makeOptimizers(gan: Gan, settings?: { generator: AdamSpec; discriminator: AdamSpec }): Optimizers {
  const adam = (spec?: AdamSpec) => ({ ...ADAM, ...(spec && { learningRate: spec.learningRate, beta1: spec.beta1, beta2: spec.beta2 }) });
  return { d: new Adam(gan.discriminator.trainableVariables, adam(settings?.discriminator)), g: new Adam(gan.generator.trainableVariables, adam(settings?.generator)) };
}

export interface LossOptions {
  /** G's loss (and D's: cross-entropy for all but 'hinge' and 'least-squares'). */
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

/**
 * What D sees of an image: the image itself, or with instance noise (Sønderby et al. 2016) added, so real and fake
 * distributions overlap and D's gradient stays informative early on.
 */
export type DiscriminatorInput = (images: tf.Tensor) => tf.Tensor;
const asIs: DiscriminatorInput = (x) => x;

/** Runs one optimiser's guarded update, naming the network when it is not applied (unless an inner update already did). */
export async function update(adam: Adam, network: NonFiniteUpdate['network'], loss: () => tf.Scalar): Promise<{ loss: number; gradSquares: number[] }> {
  try {
    return await adam.minimize(loss);
  } catch (e) {
    throw named(e, network);
  }
}

function named(e: unknown, network: NonFiniteUpdate['network']): unknown {
  if (e instanceof NonFiniteUpdate && !e.network) e.network = network;
  return e;
}

type DiscriminatorResult = { loss: number; gradSquares: number[]; dReal: number; dFake: number };

/** D's loss on a real batch and fakes, keeping its mean D(x) and D(G(z)) in `means`. */
function discriminatorObjective(D: Gan['discriminator'], real: tf.Tensor4D, fake: tf.Tensor, losses: LossOptions, seen: DiscriminatorInput, means: tf.Scalar[]) {
  return () => {
    const realLogits = D.apply(seen(real), true);
    const fakeLogits = D.apply(seen(fake), true);
    means.push(tf.keep(tf.mean(tf.sigmoid(realLogits))), tf.keep(tf.mean(tf.sigmoid(fakeLogits))));
    return discriminatorLoss(realLogits, fakeLogits, losses.realLabel, losses.loss);
  };
}

/** One update of D on a real batch and G's fakes from z: D's loss and squared gradient norms, its mean D(x) and D(G(z)). */
export async function discriminatorUpdate(
  gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D, losses: LossOptions, seen: DiscriminatorInput,
): Promise<DiscriminatorResult> {
  // The fakes are made outside D's tape: constants to it. This pass leaves BN's running statistics alone: they move
  // in G's update.
  const fake = tf.tidy(() => gan.generator.apply(z, true, false));
  const means: tf.Scalar[] = [];
  try {
    const d = await update(opt.d, 'discriminator', discriminatorObjective(gan.discriminator, real, fake, losses, seen, means));
    const [dReal, dFake] = await Promise.all(means.map(async (t) => (await t.data())[0]));
    return { ...d, dReal, dFake };
  } finally {
    tf.dispose([fake, ...means]);
  }
}

/** An extra update of D (the first `discriminatorSteps − 1` of a step), on its own real batch and z. */
export async function discriminatorStep(gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D, losses = DEFAULT_LOSS, seen = asIs): Promise<void> {
  await discriminatorUpdate(gan, opt, real, z, losses, seen);
}

/**
 * One update of G: maximise log D(G(z)) (or minimise log(1 − D(G(z))), or match D's features of real images), through
 * D as it is now.
 */
export function generatorUpdate(gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D, losses = DEFAULT_LOSS, seen = asIs): Promise<{ loss: number; gradSquares: number[] }> {
  const { generator: G, discriminator: D } = gan;
  return update(opt.g, 'generator', () => generatorObjective(D, seen(G.apply(z, true)), real, losses.loss));
}

/**
 * real: [B, H, W, C] in [-1, 1]; z: [B, latentDim]. Neither update is applied when its loss, gradients or new weights
 * are not finite: NonFiniteUpdate is thrown instead (after D's update, when it is G's that is not finite).
 */
export async function trainStep(gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D, losses = DEFAULT_LOSS, seen = asIs): Promise<StepResult> {
  if (tf.getBackend() === 'webgpu') return twoPassStep(gan, opt, real, z, losses, seen);
  const { generator: G, discriminator: D } = gan;
  // G runs once, as pytorch/examples dcgan does: its fakes are recorded on G's tape, D is updated on them (constants to
  // D's own tape, which is nested in G's), and G's loss then goes through the freshly updated D. D's update reads its
  // check synchronously, inside G's tape, so it is applied before G's loss is computed.
  let d: DiscriminatorResult | undefined;
  const g = await update(opt.g, 'generator', () => {
    const fake = G.apply(z, true);
    const means: tf.Scalar[] = [];
    try {
      const result = opt.d.minimizeSync(discriminatorObjective(D, real, fake, losses, seen, means));
      const [dReal, dFake] = means.map((t) => t.dataSync()[0]);
      d = { ...result, dReal, dFake };
    } catch (e) {
      throw named(e, 'discriminator');
    } finally {
      tf.dispose(means);
    }
    return generatorObjective(D, seen(fake), real, losses.loss);
  });
  const { loss: dLoss, dReal, dFake, gradSquares } = d!;
  return { dLoss, gLoss: g.loss, dReal, dFake, gradSquares: { d: gradSquares, g: g.gradSquares } };
}

/** The step on a backend that cannot read back synchronously: G runs again, on the same z, for its own update. */
async function twoPassStep(gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D, losses: LossOptions, seen: DiscriminatorInput): Promise<StepResult> {
  // (1) Update D: maximise log D(x) + log(1 − D(G(z))) (or its hinge or least-squares form).
  const d = await discriminatorUpdate(gan, opt, real, z, losses, seen);
  // (2) Update G through the freshly updated D.
  const g = await generatorUpdate(gan, opt, real, z, losses, seen);
  return { dLoss: d.loss, gLoss: g.loss, dReal: d.dReal, dFake: d.dFake, gradSquares: { d: d.gradSquares, g: g.gradSquares } };
}
