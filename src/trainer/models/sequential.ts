// A stack of layers applied in order: the shape of both networks of a DCGAN.
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layers';
import { Network } from './network';

export class Sequential implements Network {
  constructor(readonly name: string, readonly layers: Layer[]) {}

  apply(x: tf.Tensor, training: boolean, updateStats = training): tf.Tensor {
    return this.layers.reduce((h, layer) => layer.apply(h, training, updateStats), x);
  }

  trace(x: tf.Tensor, training: boolean, updateStats = training): { layer: Layer; output: tf.Tensor }[] {
    const outputs: { layer: Layer; output: tf.Tensor }[] = [];
    this.layers.reduce((h, layer) => {
      const output = layer.apply(h, training, updateStats);
      outputs.push({ layer, output });
      return output;
    }, x);
    return outputs;
  }

  get trainableVariables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.trainable);
  }

  /** Every weight (trainable and running statistics) as `<layer>.<weight>`, e.g. `G.batchNorm1.runningMean`. */
  get namedWeights(): [string, tf.Variable][] {
    return this.layers.flatMap((l) => Object.entries(l.weights).map(([w, v]): [string, tf.Variable] => [`${l.name}.${w}`, v]));
  }

  dispose(): void {
    for (const l of this.layers) for (const v of [...l.trainable, ...l.state]) v.dispose();
  }
}

/**
 * Data-dependent initialisation of a stack's layers that have one (weight normalisation's), bottom up on a batch `x`:
 * each layer is set from its input as the layers below it, already set, make it, to outputs of deviation 1 — 0.1 for
 * the network's last layer, whose outputs are logits: a D that starts near chance. Inference mode: no noise is drawn
 * and no running statistic moves. Nothing happens for a network with no such layer.
 */
export function initFromData(network: Network, x: tf.Tensor): void {
  if (!(network instanceof Sequential) || !network.layers.some((l) => l.initFromData)) return;
  const last = network.layers[network.layers.length - 1];
  tf.tidy(() => {
    network.layers.reduce((h, layer) => {
      layer.initFromData?.(h, layer === last ? 0.1 : 1);
      return layer.apply(h, false);
    }, x);
  });
}
