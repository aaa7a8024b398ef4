// The `.gan.json` format: one GAN experiment as written (every field optional, `extends` filling the rest) and resolved.

/** G's (and with it D's) loss; `feature-matching` (Salimans et al. 2016) trains G on D's last hidden features. */
export const GAN_FILE_LOSSES = ['non-saturating', 'minimax', 'hinge', 'least-squares', 'feature-matching'] as const;
export type GanFileLoss = (typeof GAN_FILE_LOSSES)[number];

/** How conv and dense kernels start: DCGAN's N(0, 0.02), He's N(0, 2/fan-in), Glorot's N(0, 2/(fan-in + fan-out)). */
export const INIT_SCHEMES = ['dcgan', 'he', 'glorot'] as const;
export type InitScheme = (typeof INIT_SCHEMES)[number];

export const PADDINGS = ['same', 'valid'] as const;
/** 'same' keeps side/stride, 'valid' adds no border, a number pads that many pixels on each side (PyTorch's padding). */
export type Padding = (typeof PADDINGS)[number] | number;

/** Every layer type a network list may hold. */
export const LAYER_TYPES = [
  'project', 'dense', 'conv2d', 'conv2dTranspose', 'upsample', 'flatten',
  'batchNorm', 'layerNorm', 'instanceNorm', 'relu', 'leakyRelu', 'tanh', 'sigmoid',
  'gaussianNoise', 'dropout', 'minibatchStddev',
] as const;
export type LayerKind = (typeof LAYER_TYPES)[number];

export type LayerSpec =
  /** z → dense → [side, side, channels]; side, when absent, is the image side divided by the enlargement of the layers after it. */
  | { type: 'project'; channels: number | 'image'; side?: number; spectralNorm?: boolean }
  /** weightNorm: each unit's weights as g·v/‖v‖ (Salimans & Kingma 2016). */
  | { type: 'dense'; units: number; weightNorm?: boolean; spectralNorm?: boolean }
  | { type: 'conv2d'; filters: number; kernel: number; stride?: number; padding?: Padding; spectralNorm?: boolean }
  /** filters 'image': as many as the dataset's image channels (1 grayscale, 3 colour). */
  | { type: 'conv2dTranspose'; filters: number | 'image'; kernel: number; stride?: number; padding?: Padding; spectralNorm?: boolean }
  /** Nearest-neighbour enlargement by `factor` (default 2); a conv after it makes a resize-convolution. */
  | { type: 'upsample'; factor?: number }
  | { type: 'flatten' }
  | { type: 'batchNorm' }
  | { type: 'layerNorm' }
  | { type: 'instanceNorm' }
  | { type: 'relu' }
  | { type: 'leakyRelu'; alpha?: number }
  | { type: 'tanh' }
  | { type: 'sigmoid' }
  /** Adds N(0, stddev²) noise while training (a regulariser of D). */
  | { type: 'gaussianNoise'; stddev: number }
  | { type: 'dropout'; rate: number }
  | { type: 'minibatchStddev' };

export interface AdamSpec {
  type: 'adam';
  learningRate: number;
  beta1: number;
  beta2: number;
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
  /**
   * Decay of an exponential moving average of D's weights that classifies the test set, as Salimans et al.'s code
   * measures with an average of D: steadier and lower than D's own error, which swings from step to step. Absent or 0:
   * D's own weights.
   */
  testEma?: number;
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

/** σ of the noise added to every image D sees, annealed linearly to 0 over `annealSteps` (0: constant). */
export interface InstanceNoise {
  stddev: number;
  annealSteps: number;
}

/** A `.gan.json` as written: what it leaves out comes from `extends`, then from the defaults. */
export interface GanFile {
  $schema?: string;
  extends?: string;
  description?: string;
  dataset?: string;
  imageSize?: number;
  latentDim?: number;
  batchSize?: number;
  seed?: number;
  generator?: LayerSpec[];
  discriminator?: LayerSpec[];
  loss?: GanFileLoss;
  optimizer?: { generator?: Partial<AdamSpec>; discriminator?: Partial<AdamSpec> };
  discriminatorSteps?: number;
  labelSmoothing?: number;
  instanceNoise?: number | InstanceNoise;
  init?: InitScheme;
  generatorEma?: number;
  semiSupervised?: SemiSupervisedSpec | null;
  progressive?: ProgressiveSpec | null;
}

/** A fully resolved GAN: no `extends`, every default filled in. What the trainer builds and run.json records. */
export interface GanDefinition {
  /** The preset's name, or the file's name without `.gan.json`. */
  name: string;
  description: string;
  /** The dataset spec a run uses when its config names none (see src/protocol/dataset.ts). */
  dataset: string;
  /** Side of the models' square images; data of another size are resized to it. Absent: the dataset's own side. */
  imageSize?: number;
  latentDim: number;
  batchSize: number;
  /** The file's seed, when it names one; a run's own seed otherwise. */
  seed?: number;
  /** z [B, latentDim] → image [B, side, side, channels] in [-1, 1]. Empty for a progressive GAN. */
  generator: LayerSpec[];
  /** image → one logit per image (one per class for a semi-supervised D). Empty for a progressive GAN. */
  discriminator: LayerSpec[];
  loss: GanFileLoss;
  optimizer: { generator: AdamSpec; discriminator: AdamSpec };
  /** D updates per G update. */
  discriminatorSteps: number;
  /** One-sided: D's target for real images is 1 − labelSmoothing. */
  labelSmoothing: number;
  instanceNoise: InstanceNoise;
  init: InitScheme;
  /** Decay of the exponential moving average of G's weights that samples and scores use; 0: off. */
  generatorEma: number;
  /** A semi-supervised GAN (Salimans et al. 2016): D is also a classifier of the dataset's classes. */
  semiSupervised?: SemiSupervisedSpec;
  /** A progressively grown GAN (Karras et al. 2017) in place of the generator and discriminator lists. */
  progressive?: ProgressiveSpec;
}

/** The shape of the images a GAN makes and judges. */
export interface ImageShape {
  size: number;
  channels: number;
}

/** Where in a file a problem is: keys and array indices from the root, as jsonc-parser's JSONPath. */
export type JsonPath = (string | number)[];

export interface GanProblem {
  /** The file it is in (absolute); absent for a definition that came from no file. */
  file?: string;
  path: JsonPath;
  message: string;
  severity: 'error' | 'warning';
  /** Syntax errors: where in the text, since they have no path. */
  offset?: number;
  length?: number;
}

/** `generator[6].filters` */
export function formatPath(path: JsonPath): string {
  return path.reduce<string>((s, key) => (typeof key === 'number' ? `${s}[${key}]` : s ? `${s}.${key}` : key), '') || '(file)';
}
