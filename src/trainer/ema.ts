// An exponential moving average of a network's weights: G's (Yazıcı et al. 2019) draws samples and scores steadier than
// the weights of the last step; D's classifies the test set of a semi-supervised run (as Salimans et al.'s code does).
import * as tf from '@tensorflow/tfjs-core';
import { Network } from './models/network';

export class WeightAverage {
  /**
   * Each weight of the network beside its average. Batch norm's running statistics are averaged too (as BigGAN's
   * average does): copied from the trained network they describe its activations, not the averaged network's.
   */
  private readonly pairs: { name: string; live: tf.Variable; average: tf.Variable }[];

  /** `from`: the step the average starts at (0, or the step a live change turned it on). */
  constructor(network: Network, public decay: number, private readonly from = 0) {
    this.pairs = network.namedWeights.map(([name, live]) => ({ name, live, average: tf.variable(live.clone(), false) }));
  }

  /**
   * average ← d·average + (1 − d)·weight after the network's update at `step`, with d = min(decay, (1 + n) / (10 + n))
   * for the n-th update: without that warm-up (TensorFlow's ExponentialMovingAverage has it) an average of 0.999 would
   * still hold 61 % of the initial random weights at step 500 and draw noise where the trained G draws digits.
   */
  update(step: number): void {
    const n = Math.max(0, step - this.from);
    const d = Math.min(this.decay, (1 + n) / (10 + n));
    tf.tidy(() => {
      for (const { live, average } of this.pairs) average.assign(tf.add(tf.mul(average, d), tf.mul(live, 1 - d)));
    });
  }

  /** Runs `use` with the averaged weights in the network, then puts the trained ones back. */
  async withAverage<T>(use: () => Promise<T>): Promise<T> {
    this.swap();
    try {
      return await use();
    } finally {
      this.swap();
    }
  }

  private swap(): void {
    tf.tidy(() => {
      for (const { live, average } of this.pairs) {
        const trained = live.clone();
        live.assign(average);
        average.assign(trained);
      }
    });
  }

  /** The averages as `ema.<weight>`, for checkpoints. */
  get namedWeights(): [string, tf.Variable][] {
    return this.pairs.map(({ name, average }) => [`ema.${name}`, average]);
  }

  dispose(): void {
    tf.dispose(this.pairs.map((p) => p.average));
  }
}
