// Step mode: one update of D, of G, or of both on a paused run, and what the grid and D's verdicts were either side of it.
import * as tf from '@tensorflow/tfjs-core';
import { StepUpdate, StepView } from '../protocol/trainer';
import { discriminatorFeatures, discriminatorLoss, featureMatchingLoss, generatorLoss } from './losses';
import { Gan } from './models/dcgan';
import { ganLogits, probeBatch, ProbeSource, realForD } from './probes/snapshot';
import { DiscriminatorInput, discriminatorUpdate, generatorUpdate, LossOptions, Optimizers, StepResult, trainStep } from './train';

/** A step-mode update's result: the squared gradient norms only of the network(s) it updated. */
export type SingleUpdateResult = Omit<StepResult, 'gradSquares'> & { gradSquares: Partial<StepResult['gradSquares']> };

/**
 * One update of `update`'s network(s) on real: [B, H, W, C] and z: [B, latentDim]. The losses and D's means of the
 * network not updated are measured on the same batch without changing anything (D's before G's update, G's after D's),
 * so the step's metrics line is as complete as any other.
 */
export async function singleUpdate(
  update: StepUpdate, gan: Gan, opt: Optimizers, real: tf.Tensor4D, z: tf.Tensor2D, losses: LossOptions, seen: DiscriminatorInput = (x) => x,
): Promise<SingleUpdateResult> {
  if (update === 'both') return trainStep(gan, opt, real, z, losses, seen);
  if (update === 'discriminator') {
    const d = await discriminatorUpdate(gan, opt, real, z, losses, seen);
    const { gLoss } = await measureLosses(gan, real, z, losses, seen);
    return { dLoss: d.loss, gLoss, dReal: d.dReal, dFake: d.dFake, gradSquares: { d: d.gradSquares } };
  }
  const measured = await measureLosses(gan, real, z, losses, seen);
  const g = await generatorUpdate(gan, opt, real, z, losses, seen);
  return { ...measured, gLoss: g.loss, gradSquares: { g: g.gradSquares } };
}

/** Both losses and D's means on a batch, in training mode as a step computes them, but updating no weight or statistic. */
async function measureLosses(gan: Gan, real: tf.Tensor4D, z: tf.Tensor2D, losses: LossOptions, seen: DiscriminatorInput): Promise<Omit<StepResult, 'gradSquares'>> {
  const { generator: G, discriminator: D } = gan;
  const packed = tf.tidy(() => {
    const fake = G.apply(z, true, false);
    const realLogits = ganLogits(D.apply(seen(real), true, false));
    const fakeLogits = ganLogits(D.apply(seen(fake), true, false));
    const gLoss = losses.loss === 'feature-matching'
      ? featureMatchingLoss(discriminatorFeatures(D, real, true, false), discriminatorFeatures(D, fake, true, false))
      : generatorLoss(fakeLogits, losses.loss);
    const dLoss = discriminatorLoss(realLogits, fakeLogits, losses.realLabel, losses.loss);
    return tf.stack([dLoss, gLoss, tf.mean(tf.sigmoid(realLogits)), tf.mean(tf.sigmoid(fakeLogits))]);
  });
  const [dLoss, gLoss, dReal, dFake] = await packed.data();
  packed.dispose();
  return { dLoss, gLoss, dReal, dFake };
}

/** What step mode needs of a run besides what probes need: its grid as the gallery draws it. */
export interface StepViewSource extends ProbeSource {
  /** The fixed-noise grid as PNG bytes, from the weights samples come from, written nowhere. */
  renderSamples(): Promise<Uint8Array>;
  /** Runs `use` with the weights the grid comes from (G's weight average when on). */
  withSampleWeights<T>(use: () => Promise<T>): Promise<T>;
}

/**
 * The fixed-noise grid and D's mean verdicts now: D(x) on the probe batch of step `batchStep` (so the views before and
 * after a step judge the same real images) and D(G(z)) on the grid's own images. Like a probe, it updates nothing and
 * leaves the run's random stream as it was. `grid`: the grid when it is already rendered.
 */
export async function stepView(s: StepViewSource, batchStep: number, grid?: Uint8Array): Promise<StepView> {
  const { dReal, dFake } = await s.preservingRandom(() => s.withSampleWeights(async () => {
    const { generator: G, discriminator: D } = s.gan;
    const { real, z } = probeBatch(s, batchStep);
    const means = tf.tidy(() => {
      const verdict = (images: tf.Tensor) => tf.mean(tf.sigmoid(ganLogits(D.apply(images, true, false))));
      return tf.stack([verdict(realForD(s, real)), verdict(G.apply(s.noise, false))]);
    });
    tf.dispose([real, z]);
    const [x, gz] = await means.data();
    means.dispose();
    return { dReal: x, dFake: gz };
  }));
  return { step: s.step, grid: grid ?? (await s.renderSamples()), dReal, dFake };
}
