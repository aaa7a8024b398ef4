// An exponential moving average of G's weights (Yazıcı et al. 2019): samples and scores drawn with it are steadier than
// with the weights of the last step.
import * as tf from '@tensorflow/tfjs-core';
import { Network } from './models/network';

export class WeightAverage {
  /** Each weight of the network beside its average; running statistics are copied, not averaged. */
  private readonly pairs: { name: string; live: tf.Variable; average: tf.Variable; averaged: boolean }[];

  constructor(network: Network, public decay: number) {
    const trainable = new Set(network.trainableVariables);
    this.pairs = network.namedWeights.map(([name, live]) => ({ name, live, average: tf.variable(live.clone(), false), averaged: trainable.has(live) }));
  }

  /** average ← decay·average + (1 − decay)·weight, after each step. */
  update(): void {
    tf.tidy(() => {
      for (const { live, average, averaged } of this.pairs) {
        average.assign(averaged ? tf.add(tf.mul(average, this.decay), tf.mul(live, 1 - this.decay)) : live);
      }
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
