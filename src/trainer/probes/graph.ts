// Describes the networks as the graph panel draws them (graph.json): each layer's type, output shape, parameters.
import * as tf from '@tensorflow/tfjs-core';
import { LayerInfo, ModelGraph, NetworkInfo, NetworkName } from '../../protocol/probes';
import { Layer } from '../models/layers';
import { Network } from '../models/network';

/** What a graph needs of a run: its networks, G's input size, and (progressive growing) the current resolution. */
export interface GraphSource {
  readonly step: number;
  readonly preset: { name: string; latentDim: number };
  readonly gan: { generator: Network; discriminator: Network };
  growth?(): { resolution: number; alpha: number } | undefined;
  /**
   * Changes whenever the networks' active layers change (progressive growing adds a block): the training loop then
   * rewrites graph.json and sends the graph again. Absent: the model never changes shape.
   */
  readonly graphVersion?: number;
}

/** Traces both networks with a batch of one in inference mode (so nothing moves), reading every layer's output shape. */
export function describeGan(s: GraphSource): ModelGraph {
  const { generator: G, discriminator: D } = s.gan;
  const gInput = [s.preset.latentDim];
  const generator = describeNetwork('generator', G, gInput);
  // D judges what G makes, so its input is G's output, whatever resolution a growing G works at now.
  const image = generator.layers.length ? generator.layers[generator.layers.length - 1].outputShape : [];
  const discriminator = describeNetwork('discriminator', D, image);
  const growth = s.growth?.();
  return { step: s.step, preset: s.preset.name, generator, discriminator, ...(growth && { growth }) };
}

export function describeNetwork(name: NetworkName, net: Network, inputShape: number[]): NetworkInfo {
  const shapes = tf.tidy(() => net.trace(tf.zeros([1, ...inputShape]), false).map(({ output }) => output.shape.slice(1)));
  let input = inputShape;
  const layers = net.layers.map((layer, i): LayerInfo => {
    const outputShape = shapes[i];
    const detail = layer.detail ?? describeLayer(layer, input, outputShape);
    input = outputShape;
    return { name: layer.name, type: layer.type, outputShape, params: countParams(layer), ...(detail && { detail }) };
  });
  return { name, inputShape, layers };
}

export function countParams(layer: Layer): number {
  return layer.trainable.reduce((n, v) => n + v.size, 0);
}

/** A short description from the weights' shapes and how the layer changes its input's shape. */
function describeLayer(layer: Layer, input: number[], output: number[]): string | undefined {
  const kernel = layer.weights.kernel;
  switch (layer.type) {
    case 'conv2d':
    case 'conv2dTranspose': {
      if (!kernel) return undefined;
      const [kh, kw] = kernel.shape;
      const ratio = layer.type === 'conv2d' ? input[0] / output[0] : output[0] / input[0];
      const stride = Math.round(ratio);
      const filters = output[output.length - 1];
      return `${kh}×${kw}${stride > 1 ? ` stride ${stride}` : ''}, ${filters} filter${filters === 1 ? '' : 's'}`;
    }
    case 'dense':
      return `${input[input.length - 1]} → ${output[output.length - 1]}`;
    case 'batchNorm':
      return `${output[output.length - 1]} channels`;
    case 'reshape':
    case 'flatten':
    case 'upsample':
    case 'avgPool':
      return `${input.join('×')} → ${output.join('×')}`;
    default:
      return undefined;
  }
}
