// The models GANscope can train, as data: a preset names its default dataset, sizes and the layers of G and D.
import { GanLoss } from '../protocol/trainer';

export type LayerSpec =
  /** z → dense → [side, side, channels]; side is the image side divided by the upsampling of the layers after it. */
  | { type: 'project'; channels: number | 'image' }
  /** weightNorm: each unit's weights as g·v/‖v‖ (Salimans & Kingma 2016). */
  | { type: 'dense'; units: number; weightNorm?: boolean }
  /** Adds N(0, stddev²) noise while training (a regulariser of D). */
  | { type: 'gaussianNoise'; stddev: number }
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
  /**
   * image → one logit per image; the sigmoid of the talk's D lives in the loss, computed stably from logits. A
   * semi-supervised D ends in one logit per class instead. Both lists are empty for a progressive preset.
   */
  discriminator: LayerSpec[];
  /** G's loss when the run names none; default 'non-saturating'. */
  loss?: GanLoss;
  /** Adam's learning rate and β1 when they differ from the DCGAN paper's 2e-4 and 0.5. */
  adam?: { learningRate: number; beta1: number };
  /** A semi-supervised GAN (Salimans et al. 2016): D is also a classifier of the dataset's classes. */
  semiSupervised?: SemiSupervisedSpec;
  /** A progressively grown GAN (Karras et al. 2017) in place of the generator and discriminator lists. */
  progressive?: ProgressiveSpec;
}

export interface SemiSupervisedSpec {
  /** Classes of the dataset: D's last layer has one logit per class, the fake class implied. */
  classes: number;
  /** Labelled training images, the same number from each class, drawn with the run's seed. */
  labelled: number;
  /** Measure the test-set accuracy every this many steps. */
  testEvery: number;
  /** Test images classified between two steps, so measuring never stalls training for long. */
  testChunk: number;
}

export interface ProgressiveSpec {
  /** The side of the first phase; each growth doubles it, up to the image side. */
  startSize: number;
  /** Channels of G's and D's block at each resolution, lowest first; as many as there are resolutions. */
  channels: number[];
  /** Steps over which a new resolution fades in (α from 0 to 1), then steps it trains alone before the next one. */
  fadeSteps: number;
  stableSteps: number;
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

/**
 * Salimans et al.'s MNIST model (improved-gan, `train_mnist_feature_matching.py`): fully connected, D with Gaussian
 * noise on every layer and weight normalisation, G trained by feature matching. A dense D is what the paper used for
 * MNIST, and on a CPU it is several times cheaper a step than a conv D of similar accuracy. Their Adam lr 0.003 relies
 * on the data-dependent initialisation of weight norm, which GANscope does not do: at 0.003 D learns nothing; 0.001
 * moves D's weight directions about as fast per step as theirs did.
 */
function ssgan(labelled: number): Preset {
  const hidden = (units: number): LayerSpec[] => [{ type: 'dense', units, weightNorm: true }, { type: 'relu' }, { type: 'gaussianNoise', stddev: 0.5 }];
  return {
    name: `mnist-ssgan-${labelled}`,
    description: `Semi-supervised GAN (Salimans et al. 2016): D is also a digit classifier, taught by only ${labelled} labels; test accuracy logged.`,
    defaultDataset: 'mnist',
    latentDim: 100,
    batchSize: 100,
    generator: [
      { type: 'dense', units: 500 }, { type: 'batchNorm' }, { type: 'relu' },
      { type: 'dense', units: 500 }, { type: 'batchNorm' }, { type: 'relu' },
      { type: 'project', channels: 'image' }, { type: 'tanh' },
    ],
    discriminator: [
      { type: 'flatten' }, { type: 'gaussianNoise', stddev: 0.3 },
      ...hidden(1000), ...hidden(500), ...hidden(250), ...hidden(250), ...hidden(250),
      { type: 'dense', units: 10, weightNorm: true },
    ],
    loss: 'feature-matching',
    adam: { learningRate: 0.001, beta1: 0.5 },
    semiSupervised: { classes: 10, labelled, testEvery: 200, testChunk: 1000 },
  };
}

/**
 * Progressive growing on MNIST: 7×7 → 14×14 → 28×28, each new resolution fading in over 200 steps and then training
 * alone for 200; the whole schedule is 1,000 steps, after which the run trains at 28×28. Narrow blocks (32, 16, 8
 * channels): a 3×3 conv at full resolution costs as much as the talk DCGAN's strided ones, so width is kept low.
 */
const mnistProgressive: Preset = {
  name: 'mnist-progressive',
  description: 'Progressive growing (Karras et al. 2017): G and D start at 7×7 and grow to 14×14 and 28×28, each new block fading in.',
  defaultDataset: 'mnist',
  latentDim: 100,
  batchSize: 64,
  generator: [],
  discriminator: [],
  progressive: { startSize: 7, channels: [32, 16, 8], fadeSteps: 200, stableSteps: 200 },
};

export const PRESETS: Record<string, Preset> = {
  'mnist-dcgan': smallDcgan('mnist-dcgan', 'The talk\'s DCGAN scaled to 28×28 MNIST; digits appear within a few hundred steps on a laptop CPU.', 64, 32, 64),
  'mnist-tiny': smallDcgan('mnist-tiny', 'A very narrow DCGAN for tests and quick demos: rough digit shapes after ~600 steps, about half a minute.', 8, 8, 32),
  'talk-dcgan-64': talkDcgan64,
  'mnist-ssgan-100': ssgan(100),
  'mnist-progressive': mnistProgressive,
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
  const growing = preset.progressive;
  if (growing) {
    const top = growing.startSize * 2 ** (growing.channels.length - 1);
    if (size !== top) throw new Error(`Preset "${preset.name}" grows from ${growing.startSize}×${growing.startSize} to ${top}×${top} images; the dataset's are ${dataSide}×${dataSide}`);
    return { size, channels };
  }
  const factor = upsampling(preset);
  if (size % factor !== 0) {
    throw new Error(`Preset "${preset.name}" needs an image side divisible by ${factor}; the dataset's images are ${dataSide}×${dataSide}`);
  }
  return { size, channels };
}
