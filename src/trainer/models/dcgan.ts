// Builds a GAN definition's generator and discriminator from its layer lists (or its progressive blocks), for the dataset's image shape.
import { inferShapes } from '../../ganFile/shapes';
import { InitScheme } from '../../ganFile/types';
import { describeProblems, ImageShape, LayerSpec, Preset } from '../presets';
import { batchNorm, conv2d, conv2dTranspose, dense, dropout, flatten, gaussianNoise, heStd, instanceNorm, Layer, layerNorm, leakyRelu, minibatchStddev, relu, reshape, sigmoid, tanh, upsample, weightNormDense } from './layers';
import { Network } from './network';
import { buildProgressiveGan, Growth } from './progressive';
import { Sequential } from './sequential';

export interface Gan {
  generator: Network;
  discriminator: Network;
  /** A progressive GAN's: switches both networks to a resolution and fade-in. */
  grow?(growth: Growth): void;
}

/** DCGAN's leak when a leakyRelu names none. */
const DEFAULT_ALPHA = 0.2;
/** DCGAN's N(0, 0.02) kernels. */
const DCGAN_STD = 0.02;

/** The std of a kernel's initial weights under `init`. */
export function initStd(init: InitScheme, fanIn: number, fanOut: number): number {
  return init === 'he' ? heStd(fanIn) : init === 'glorot' ? Math.sqrt(2 / (fanIn + fanOut)) : DCGAN_STD;
}

export function buildGan(preset: Preset, image: ImageShape, random: () => number): Gan {
  if (preset.progressive) return buildProgressiveGan(preset, image, random);
  const shapes = inferShapes(preset, image);
  const errors = shapes.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`"${preset.name}" cannot make ${image.size}×${image.size}×${image.channels} images:\n${describeProblems(errors)}`);
  const input = (net: 'generator' | 'discriminator', i: number) => (i === 0 ? shapes[net].inputShape : shapes[net].layers[i - 1].outputShape);
  return {
    generator: build('generator', 'G', preset.generator, (i) => input('generator', i), (i) => shapes.generator.layers[i].outputShape, image, preset.init, random),
    discriminator: build('discriminator', 'D', preset.discriminator, (i) => input('discriminator', i), (i) => shapes.discriminator.layers[i].outputShape, image, preset.init, random),
  };
}

/** Builds the layers of a list whose shapes are known: `inputOf(i)` and `outputOf(i)` are layer i's, without batch. */
function build(
  name: string, prefix: string, specs: LayerSpec[], inputOf: (i: number) => number[], outputOf: (i: number) => number[],
  image: ImageShape, init: InitScheme, random: () => number,
): Sequential {
  const counts = new Map<string, number>();
  const named = (type: string) => {
    const n = (counts.get(type) ?? 0) + 1;
    counts.set(type, n);
    return `${prefix}.${type}${n}`; // e.g. "G.conv2dTranspose1"
  };
  const layers = specs.flatMap((spec, i): Layer[] => {
    const input = inputOf(i);
    const output = outputOf(i);
    const channels = input[input.length - 1];
    switch (spec.type) {
      case 'project': {
        const units = output.reduce((a, b) => a * b);
        return [dense(named('dense'), channels, units, random, initStd(init, channels, units), spec), reshape(named('reshape'), output)];
      }
      case 'dense':
        if (spec.weightNorm) return [weightNormDense(named('dense'), channels, spec.units, random)];
        return [dense(named('dense'), channels, spec.units, random, initStd(init, channels, spec.units), spec)];
      case 'conv2d':
      case 'conv2dTranspose': {
        const filters = spec.filters === 'image' ? image.channels : spec.filters;
        const area = spec.kernel * spec.kernel;
        const make = spec.type === 'conv2d' ? conv2d : conv2dTranspose;
        return [make(named(spec.type), channels, filters, spec.kernel, spec.stride ?? 1, random, initStd(init, area * channels, area * filters), spec)];
      }
      case 'upsample':
        return [upsample(named('upsample'), spec.factor ?? 2)];
      case 'flatten':
        return [flatten(named('flatten'))];
      case 'batchNorm':
        return [batchNorm(named('batchNorm'), channels, random)];
      case 'layerNorm':
        return [layerNorm(named('layerNorm'), channels)];
      case 'instanceNorm':
        return [instanceNorm(named('instanceNorm'), channels)];
      case 'relu':
        return [relu(named('relu'))];
      case 'leakyRelu':
        return [leakyRelu(named('leakyRelu'), spec.alpha ?? DEFAULT_ALPHA)];
      case 'tanh':
        return [tanh(named('tanh'))];
      case 'sigmoid':
        return [sigmoid(named('sigmoid'))];
      case 'gaussianNoise':
        return [gaussianNoise(named('gaussianNoise'), spec.stddev, random)];
      case 'dropout':
        return [dropout(named('dropout'), spec.rate, random)];
      case 'minibatchStddev':
        return [minibatchStddev(named('minibatchStddev'))];
    }
  });
  return new Sequential(name, layers);
}
