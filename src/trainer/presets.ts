// The models GANscope can train, as data: a preset names its dataset, sizes and the layers of G and D.

export type LayerSpec =
  | { type: 'dense'; units: number }
  | { type: 'reshape'; shape: number[] }
  | { type: 'flatten' }
  | { type: 'conv2d'; filters: number; kernel: number; stride: number }
  | { type: 'conv2dTranspose'; filters: number; kernel: number; stride: number }
  | { type: 'batchNorm' }
  | { type: 'relu' }
  | { type: 'leakyRelu'; alpha: number }
  | { type: 'tanh' };

export interface Preset {
  name: string;
  description: string;
  dataset: 'mnist';
  imageSize: number;
  channels: number;
  latentDim: number;
  batchSize: number;
  /** z [B, latentDim] → image [B, imageSize, imageSize, channels] in [-1, 1]. */
  generator: LayerSpec[];
  /** image → one logit per image; the sigmoid of the talk's D lives in the loss, computed stably from logits. */
  discriminator: LayerSpec[];
}

/**
 * The talk's DCGAN (G: linear → stride-2 transposed convs with BN+ReLU → tanh; D: stride-2 convs with LeakyReLU 0.2 and BN on all but the first) at 28×28.
 * g and d are the first widths of G's transposed convs and D's convs; D is the costlier half of a step on wasm.
 */
function mnistDcgan(name: string, description: string, g: number, d: number, batchSize: number): Preset {
  return {
    name, description, dataset: 'mnist', imageSize: 28, channels: 1, latentDim: 100, batchSize,
    generator: [
      { type: 'dense', units: 7 * 7 * 2 * g }, { type: 'reshape', shape: [7, 7, 2 * g] }, { type: 'batchNorm' }, { type: 'relu' },
      { type: 'conv2dTranspose', filters: g, kernel: 4, stride: 2 }, { type: 'batchNorm' }, { type: 'relu' }, // 14×14
      { type: 'conv2dTranspose', filters: 1, kernel: 4, stride: 2 }, { type: 'tanh' }, // 28×28
    ],
    discriminator: [
      { type: 'conv2d', filters: d, kernel: 4, stride: 2 }, { type: 'leakyRelu', alpha: 0.2 }, // 14×14
      { type: 'conv2d', filters: 2 * d, kernel: 4, stride: 2 }, { type: 'batchNorm' }, { type: 'leakyRelu', alpha: 0.2 }, // 7×7
      { type: 'flatten' }, { type: 'dense', units: 1 },
    ],
  };
}

export const PRESETS: Record<string, Preset> = {
  'mnist-dcgan': mnistDcgan('mnist-dcgan', 'The talk\'s DCGAN scaled to 28×28 MNIST; digits appear within a few hundred steps on a laptop CPU.', 64, 32, 64),
  'mnist-tiny': mnistDcgan('mnist-tiny', 'A very narrow DCGAN for tests and quick demos: rough digit shapes after ~600 steps, about half a minute.', 8, 8, 32),
};

export function getPreset(name: string): Preset {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`Unknown preset "${name}"; available: ${Object.keys(PRESETS).join(', ')}`);
  return preset;
}
