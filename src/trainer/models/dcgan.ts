// Builds a preset's generator and discriminator from its layer specs (or its progressive blocks), for the dataset's image shape.
import { ImageShape, LayerSpec, Preset, upsampling } from '../presets';
import { batchNorm, conv2d, conv2dTranspose, dense, flatten, gaussianNoise, Layer, leakyRelu, relu, reshape, tanh, weightNormDense } from './layers';
import { Network } from './network';
import { buildProgressiveGan, Growth } from './progressive';
import { Sequential } from './sequential';

export interface Gan {
  generator: Network;
  discriminator: Network;
  /** A progressive GAN's: switches both networks to a resolution and fade-in. */
  grow?(growth: Growth): void;
}

export function buildGan(preset: Preset, image: ImageShape, random: () => number): Gan {
  if (preset.progressive) return buildProgressiveGan(preset, image, random);
  const projectSide = image.size / upsampling(preset);
  if (!Number.isInteger(projectSide)) throw new Error(`Preset "${preset.name}" cannot make ${image.size}×${image.size} images`);
  return {
    generator: build('generator', 'G', preset.generator, [preset.latentDim], image, projectSide, random),
    discriminator: build('discriminator', 'D', preset.discriminator, [image.size, image.size, image.channels], image, projectSide, random),
  };
}

/** Walks the specs tracking the activation shape (without batch) so each layer knows its input size. */
function build(name: string, prefix: string, specs: LayerSpec[], inputShape: number[], image: ImageShape, projectSide: number, random: () => number): Sequential {
  let shape = inputShape;
  const counts = new Map<string, number>();
  const named = (type: string) => {
    const n = (counts.get(type) ?? 0) + 1;
    counts.set(type, n);
    return `${prefix}.${type}${n}`; // e.g. "G.conv2dTranspose1"
  };
  const layers = specs.flatMap((spec): Layer[] => {
    const channels = shape[shape.length - 1];
    switch (spec.type) {
      case 'project': {
        if (shape.length !== 1) throw new Error(`${prefix}: project needs a flat input, got [${shape}]`);
        const projected = [projectSide, projectSide, spec.channels === 'image' ? image.channels : spec.channels];
        shape = projected;
        return [dense(named('dense'), channels, projected.reduce((a, b) => a * b), random), reshape(named('reshape'), projected)];
      }
      case 'dense': {
        const layerName = named('dense');
        if (shape.length !== 1) throw new Error(`${layerName}: dense needs a flat input, got [${shape}]`);
        shape = [spec.units];
        return [(spec.weightNorm ? weightNormDense : dense)(layerName, channels, spec.units, random)];
      }
      case 'gaussianNoise':
        return [gaussianNoise(named('gaussianNoise'), spec.stddev, random)];
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b)];
        return [flatten(named('flatten'))];
      case 'conv2d':
        shape = [Math.ceil(shape[0] / spec.stride), Math.ceil(shape[1] / spec.stride), spec.filters];
        return [conv2d(named('conv2d'), channels, spec.filters, spec.kernel, spec.stride, random)];
      case 'conv2dTranspose': {
        const filters = spec.filters === 'image' ? image.channels : spec.filters;
        shape = [shape[0] * spec.stride, shape[1] * spec.stride, filters];
        return [conv2dTranspose(named('conv2dTranspose'), channels, filters, spec.kernel, spec.stride, random)];
      }
      case 'batchNorm':
        return [batchNorm(named('batchNorm'), channels, random)];
      case 'relu':
        return [relu(named('relu'))];
      case 'leakyRelu':
        return [leakyRelu(named('leakyRelu'), spec.alpha)];
      case 'tanh':
        return [tanh(named('tanh'))];
    }
  });
  return new Sequential(name, layers);
}
