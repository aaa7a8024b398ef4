// What the training step, checkpoints and probes need of a network: a Sequential stack, or a progressive one that grows.
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layers';

export interface Network {
  readonly name: string;
  /** Every layer a probe can see, in the order data flows through them (for a growing network: the active path). */
  readonly layers: Layer[];
  apply(x: tf.Tensor, training: boolean, updateStats?: boolean): tf.Tensor;
  /** Like apply, keeping every layer's output: activation probes and feature matching read them. */
  trace(x: tf.Tensor, training: boolean, updateStats?: boolean): { layer: Layer; output: tf.Tensor }[];
  readonly trainableVariables: tf.Variable[];
  /** Every weight as `<layer>.<weight>`, for checkpoints. */
  readonly namedWeights: [string, tf.Variable][];
  dispose(): void;
}
