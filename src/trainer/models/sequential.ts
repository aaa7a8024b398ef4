// A stack of layers applied in order: the shape of both networks of a DCGAN.
import * as tf from '@tensorflow/tfjs-core';
import { Layer } from './layers';

export class Sequential {
  constructor(readonly name: string, readonly layers: Layer[]) {}

  apply(x: tf.Tensor, training: boolean): tf.Tensor {
    return this.layers.reduce((h, layer) => layer.apply(h, training), x);
  }

  get trainableVariables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.trainable);
  }

  dispose(): void {
    for (const l of this.layers) for (const v of [...l.trainable, ...l.state]) v.dispose();
  }
}
