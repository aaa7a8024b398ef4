// The models GANscope can train, as data: a preset names its default dataset, sizes and the layers of G and D.

export type LayerSpec =
  /** z → dense → [side, side, channels]; side is the image side divided by the upsampling of the layers after it. */
  | { type: 'project'; channels: number }
  | { type: 'dense'; units: number }
  | { type: 'flatten' }
  | { type: 'conv2d'; filters: number; kernel: number; stride: number }
  /** filters 'image': as many as the dataset's image channels (1 grayscale, 3 colour). */
  | { type: 'conv2dTranspose'; filters: number | 'image'; kernel: number; stride: number }
  | { type: 'batchNorm' }
  | { type: 'relu' }
  | { type: 'leakyRelu'; alpha: number }
  | { type: 'tanh' };

export interface Preset {
  name: string;
  description: string;
  /** The dataset spec a run uses when its config names none (see data/dataset.ts). */
  defaultDataset: string;
  /** Side of the models' square images; data of another size are resized to it. Absent: the dataset's own side. */
  imageSize?: number;
  latentDim: number;
  batchSize: number;
  /** z [B, latentDim] → image [B, side, side, channels] in [-1, 1]. */
  generator: LayerSpec[];
  /** image → one logit per image; the sigmoid of the talk's D lives in the loss, computed stably from logits. */
  discriminator: LayerSpec[];
}

/** The shape of the images a preset's models make and judge, fixed once the dataset is known. */
export interface ImageShape {
  size: number;
  channels: number;
}

const k4s2 = { kernel: 4, stride: 2 } as const; // PyTorch's kernel_size=4, stride=2, padding=1: halves or doubles the side
const lrelu = { type: 'leakyRelu', alpha: 0.2 } as const;

/**
 * The talk's DCGAN scaled down (G: linear → stride-2 transposed convs with BN+ReLU → tanh; D: stride-2 convs with
 * LeakyReLU 0.2 and BN on all but the first), for images whose side is divisible by 4 (28×28 MNIST, 32×32 CIFAR-10).
 * g and d are the widths of G's last hidden layer and D's first; D is the costlier half of a step on wasm.
 */
function smallDcgan(name: string, description: string, g: number, d: number, batchSize: number): Preset {
  return {
    name, description, defaultDataset: 'mnist', latentDim: 100, batchSize,
    generator: [
      { type: 'project', channels: 2 * g }, { type: 'batchNorm' }, { type: 'relu' }, // side/4
      { type: 'conv2dTranspose', filters: g, ...k4s2 }, { type: 'batchNorm' }, { type: 'relu' }, // side/2
      { type: 'conv2dTranspose', filters: 'image', ...k4s2 }, { type: 'tanh' }, // side
    ],
    discriminator: [
      { type: 'conv2d', filters: d, ...k4s2 }, lrelu, // side/2
      { type: 'conv2d', filters: 2 * d, ...k4s2 }, { type: 'batchNorm' }, lrelu, // side/4
      { type: 'flatten' }, { type: 'dense', units: 1 },
    ],
  };
}

/**
 * The talk's `Generator` and `Discriminator` layer for layer (talk.md, "class Generator"): G projects z with a plain
 * linear layer (no BN or ReLU before the first transposed conv), D has no BN after its first conv. PyTorch's
 * NCHW view/flatten become NHWC reshapes here: the same layers with their linear weights permuted.
 */
const talkDcgan64: Preset = {
  name: 'talk-dcgan-64',
  description: 'The talk\'s DCGAN exactly, 64×64 (MNIST is resized to 64×64): ~12.7M weights in G, ~11M in D; for a GPU backend.',
  defaultDataset: 'mnist',
  imageSize: 64,
  latentDim: 100,
  batchSize: 128, // the DCGAN paper's
  generator: [
    { type: 'project', channels: 1024 }, // 4×4
    { type: 'conv2dTranspose', filters: 512, ...k4s2 }, { type: 'batchNorm' }, { type: 'relu' }, // 8×8
    { type: 'conv2dTranspose', filters: 256, ...k4s2 }, { type: 'batchNorm' }, { type: 'relu' }, // 16×16
    { type: 'conv2dTranspose', filters: 128, ...k4s2 }, { type: 'batchNorm' }, { type: 'relu' }, // 32×32
    { type: 'conv2dTranspose', filters: 'image', ...k4s2 }, { type: 'tanh' }, // 64×64
  ],
  discriminator: [
    { type: 'conv2d', filters: 128, ...k4s2 }, lrelu, // 32×32
    { type: 'conv2d', filters: 256, ...k4s2 }, { type: 'batchNorm' }, lrelu, // 16×16
    { type: 'conv2d', filters: 512, ...k4s2 }, { type: 'batchNorm' }, lrelu, // 8×8
    { type: 'conv2d', filters: 1024, ...k4s2 }, { type: 'batchNorm' }, lrelu, // 4×4
    { type: 'flatten' }, { type: 'dense', units: 1 },
  ],
};

export const PRESETS: Record<string, Preset> = {
  'mnist-dcgan': smallDcgan('mnist-dcgan', 'The talk\'s DCGAN scaled to 28×28 MNIST; digits appear within a few hundred steps on a laptop CPU.', 64, 32, 64),
  'mnist-tiny': smallDcgan('mnist-tiny', 'A very narrow DCGAN for tests and quick demos: rough digit shapes after ~600 steps, about half a minute.', 8, 8, 32),
  'talk-dcgan-64': talkDcgan64,
};

export function getPreset(name: string): Preset {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`Unknown preset "${name}"; available: ${Object.keys(PRESETS).join(', ')}`);
  return preset;
}

/** How much G's transposed convs enlarge the projected map: the image side must be a multiple of it. */
export function upsampling(preset: Preset): number {
  return preset.generator.reduce((f, l) => (l.type === 'conv2dTranspose' ? f * l.stride : f), 1);
}

/** The image shape a preset trains at on data of `dataSide` × `dataSide` × `channels`. */
export function imageShapeFor(preset: Preset, dataSide: number, channels: number): ImageShape {
  const size = preset.imageSize ?? dataSide;
  const factor = upsampling(preset);
  if (size % factor !== 0) {
    throw new Error(`Preset "${preset.name}" needs an image side divisible by ${factor}; the dataset's images are ${dataSide}×${dataSide}`);
  }
  return { size, channels };
}
