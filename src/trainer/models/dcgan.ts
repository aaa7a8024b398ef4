// Builds a preset's generator and discriminator from its layer specs.
import { Preset, LayerSpec } from '../presets';
import { batchNorm, conv2d, conv2dTranspose, dense, flatten, Layer, leakyRelu, relu, reshape, tanh } from './layers';
import { Sequential } from './sequential';

export interface Gan {
  generator: Sequential;
  discriminator: Sequential;
}

export function buildGan(preset: Preset, random: () => number): Gan {
  return {
    generator: build('generator', 'G', preset.generator, [preset.latentDim], random),
    discriminator: build('discriminator', 'D', preset.discriminator, [preset.imageSize, preset.imageSize, preset.channels], random),
  };
}

/** Walks the specs tracking the activation shape (without batch) so each layer knows its input size. */
function build(name: string, prefix: string, specs: LayerSpec[], inputShape: number[], random: () => number): Sequential {
  let shape = inputShape;
  const counts = new Map<string, number>();
  const layers = specs.map((spec): Layer => {
    const n = (counts.get(spec.type) ?? 0) + 1;
    counts.set(spec.type, n);
    const layerName = `${prefix}.${spec.type}${n}`; // e.g. "G.conv2dTranspose1"
    const channels = shape[shape.length - 1];
    switch (spec.type) {
      case 'dense':
        if (shape.length !== 1) throw new Error(`${layerName}: dense needs a flat input, got [${shape}]`);
        shape = [spec.units];
        return dense(layerName, channels, spec.units, random);
      case 'reshape':
        if (spec.shape.reduce((a, b) => a * b) !== shape.reduce((a, b) => a * b)) throw new Error(`${layerName}: cannot reshape [${shape}] to [${spec.shape}]`);
        shape = spec.shape;
        return reshape(layerName, spec.shape);
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b)];
        return flatten(layerName);
      case 'conv2d':
        shape = [Math.ceil(shape[0] / spec.stride), Math.ceil(shape[1] / spec.stride), spec.filters];
        return conv2d(layerName, channels, spec.filters, spec.kernel, spec.stride, random);
      case 'conv2dTranspose':
        shape = [shape[0] * spec.stride, shape[1] * spec.stride, spec.filters];
        return conv2dTranspose(layerName, channels, spec.filters, spec.kernel, spec.stride, random);
      case 'batchNorm':
        return batchNorm(layerName, channels, random);
      case 'relu':
        return relu(layerName);
      case 'leakyRelu':
        return leakyRelu(layerName, spec.alpha);
      case 'tanh':
        return tanh(layerName);
    }
  });
  return new Sequential(name, layers);
}
