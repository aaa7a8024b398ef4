// The layers GANscope's models are made of: raw tf ops over tf.Variables, each named and typed so probes can find it.
import * as tf from '@tensorflow/tfjs-core';
import { Padding } from '../../ganFile/types';
import { nextSeed, normalArray } from '../random';

export type LayerType =
  | 'dense' | 'reshape' | 'flatten' | 'conv2d' | 'conv2dTranspose' | 'batchNorm'
  | 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid' | 'gaussianNoise' | 'upsample' | 'avgPool' | 'fadeIn' | 'minibatchStddev'
  | 'layerNorm' | 'instanceNorm' | 'dropout';

export interface Layer {
  readonly name: string;
  readonly type: LayerType;
  /** Weights the optimiser updates. */
  readonly trainable: tf.Variable[];
  /** Weights updated outside the optimiser (batch-norm running statistics). */
  readonly state: tf.Variable[];
  /** Every weight by a name unique within the layer (`kernel`, `runningMean`…), for checkpoints and probes. */
  readonly weights: Record<string, tf.Variable>;
  /** What the weights' shapes do not tell (e.g. "α = 0.2"), for the graph panel; shapes and strides are read from the model. */
  readonly detail?: string;
  /**
   * `training` selects batch statistics in batch norm; `updateStats` (default: `training`) also folds them into the
   * running ones. A second forward pass of the same batch in a step passes false, so running statistics move once a step.
   */
  apply(x: tf.Tensor, training: boolean, updateStats?: boolean): tf.Tensor;
  /**
   * Data-dependent initialisation, where the layer has one: sets its weights from its input x on a batch of data so that
   * each output unit has mean 0 and standard deviation `deviation` on it.
   */
  initFromData?(x: tf.Tensor, deviation: number): void;
}

/** The DCGAN paper's initialisation: weights N(0, 0.02); with tfjs' defaults D wins at once and G collapses. */
const INIT_STD = 0.02;
/** PyTorch's BatchNorm defaults, so runs compare with pytorch/examples dcgan. */
const BN_MOMENTUM = 0.1;
const BN_EPSILON = 1e-5;

function normal(shape: number[], mean: number, random: () => number, std = INIT_STD): tf.Variable {
  return tf.variable(tf.randomNormal(shape, mean, std, 'float32', nextSeed(random)));
}

/**
 * He et al.'s std √(gain/fan-in), which keeps activations at unit scale through deep stacks of narrow convs where
 * N(0, 0.02) shrinks them layer after layer (gain 2 before a ReLU, 1 before a linear output).
 */
export const heStd = (fanIn: number, gain = 2): number => Math.sqrt(gain / fanIn);

function stateless(name: string, type: LayerType, fn: (x: tf.Tensor) => tf.Tensor): Layer {
  return { name, type, trainable: [], state: [], weights: {}, apply: (x) => fn(x) };
}

/** Options of the layers with a kernel: how they pad (convs) and whether the kernel is spectrally normalised. */
export interface KernelOptions {
  padding?: Padding;
  spectralNorm?: boolean;
}

export function dense(name: string, inUnits: number, units: number, random: () => number, std = INIT_STD, opts: KernelOptions = {}): Layer {
  const kernel = normal([inUnits, units], 0, random, std);
  const bias = tf.variable(tf.zeros([units]));
  const sn = opts.spectralNorm ? spectralNorm(kernel, random) : undefined;
  return {
    name, type: 'dense', trainable: [kernel, bias], state: sn ? [sn.u] : [], weights: { kernel, bias, ...(sn && { u: sn.u }) },
    apply: (x, training, updateStats = training) => tf.add(tf.matMul(x as tf.Tensor2D, (sn ? sn.kernel(updateStats) : kernel) as tf.Tensor2D), bias),
  };
}

/** Passes a tensor on and stops its gradient: the power iteration's vectors are constants to the loss, as in Miyato et al. */
const detach = customOp((x) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) }));

const unit = (x: tf.Tensor) => tf.div(x, tf.add(tf.norm(x), 1e-12));

/**
 * Spectral normalisation (Miyato et al. 2018): the kernel, as a matrix [rest, out], divided by its largest singular
 * value σ, estimated by power iteration with a persistent vector u (one iteration per training pass that updates
 * statistics), so D stays about 1-Lipschitz layer by layer.
 */
export function spectralNorm(kernel: tf.Variable, random: () => number): { u: tf.Variable; kernel(update: boolean): tf.Tensor } {
  const cols = kernel.shape[kernel.rank - 1];
  const u = tf.variable(tf.tidy(() => unit(tf.randomNormal([cols, 1], 0, 1, 'float32', nextSeed(random)))), false); // [out, 1]
  return {
    u,
    kernel: (update) => {
      const m = tf.reshape(kernel, [-1, cols]); // [rest, out]
      const fixed = detach(m);
      if (update) tf.tidy(() => u.assign(unit(tf.matMul(fixed, unit(tf.matMul(fixed, u)), true, false))));
      const v = detach(unit(tf.matMul(fixed, u))); // [rest, 1]
      const sigma = tf.sum(tf.mul(v, tf.matMul(m, u))); // vᵀ W u, differentiable in W
      return tf.div(kernel, sigma);
    },
  };
}

/**
 * A dense layer with weight normalisation (Salimans & Kingma 2016), as the semi-supervised GAN's D uses it: each output
 * unit's weight vector is v/‖v‖ scaled by a learnt g, which decouples its length from its direction and steadies D.
 */
export function weightNormDense(name: string, inUnits: number, units: number, random: () => number): Layer {
  const kernel = normal([inUnits, units], 0, random); // v [in, out]
  const scale = tf.variable(tf.ones([units])); // g: each unit starts with unit-length weights
  const bias = tf.variable(tf.zeros([units]));
  const unscaled = (x: tf.Tensor) => tf.div(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), tf.sqrt(tf.sum(tf.square(kernel), 0))); // x·v/‖v‖
  return {
    name, type: 'dense', trainable: [kernel, scale, bias], state: [], weights: { kernel, scale, bias },
    apply: (x) => tf.add(tf.mul(unscaled(x), scale), bias),
    // Salimans & Kingma's initialisation: g = d/σ and b = −d·μ/σ, μ and σ each unit's mean and deviation of x·v/‖v‖
    // over the batch, so every unit's output starts at mean 0 and deviation d on real data, whatever the layers below do.
    initFromData: (x, deviation) => tf.tidy(() => {
      const { mean, variance } = tf.moments(unscaled(x), 0);
      const gain = tf.div(deviation, tf.sqrt(tf.add(variance, 1e-8)));
      scale.assign(gain);
      bias.assign(tf.neg(tf.mul(mean, gain)));
    }),
  };
}

/**
 * Adds N(0, stddev²) noise while training, nothing at inference: the regulariser of Salimans et al.'s MNIST D. Its
 * seeds come from the run's random stream, so runs stay reproducible and resume exactly.
 */
export function gaussianNoise(name: string, stddev: number, random: () => number): Layer {
  return {
    name, type: 'gaussianNoise', trainable: [], state: [], weights: {},
    apply: (x, training) => (training ? tf.add(x, tf.tensor(normalArray(x.size, stddev, nextSeed(random)), x.shape)) : x),
  };
}

/** A strided convolution, 'same' padding by default: k4 s2 halves the size like PyTorch's padding=1. No bias, as in DCGAN. */
export function conv2d(name: string, inChannels: number, filters: number, kernelSize: number, stride: number, random: () => number, std = INIT_STD, opts: KernelOptions = {}): Layer {
  const kernel = normal([kernelSize, kernelSize, inChannels, filters], 0, random, std); // [KH, KW, Ci, Co]
  const sn = opts.spectralNorm ? spectralNorm(kernel, random) : undefined;
  const pad = opts.padding ?? 'same';
  return {
    name, type: 'conv2d', trainable: [kernel], state: sn ? [sn.u] : [], weights: { kernel, ...(sn && { u: sn.u }) },
    apply: (x, training, updateStats = training) => tf.conv2d(x as tf.Tensor4D, (sn ? sn.kernel(updateStats) : kernel) as tf.Tensor4D, stride, pad),
  };
}

/** A transposed convolution; with 'same' padding (the default) it multiplies the side by `stride` (k4 s2 ≡ PyTorch's ConvTranspose2d padding=1). */
export function conv2dTranspose(name: string, inChannels: number, filters: number, kernelSize: number, stride: number, random: () => number, std = INIT_STD, opts: KernelOptions = {}): Layer {
  const kernel = normal([kernelSize, kernelSize, filters, inChannels], 0, random, std); // [KH, KW, Co, Ci]
  const sn = opts.spectralNorm ? spectralNorm(kernel, random) : undefined;
  const pad = opts.padding ?? 'same';
  return {
    name, type: 'conv2dTranspose', trainable: [kernel], state: sn ? [sn.u] : [], weights: { kernel, ...(sn && { u: sn.u }) },
    apply: (x, training, updateStats = training) => {
      const [b, h, w] = x.shape;
      const side = (n: number) => (pad === 'same' ? n * stride : (n - 1) * stride + kernelSize - 2 * (pad === 'valid' ? 0 : pad));
      return tf.conv2dTranspose(x as tf.Tensor4D, (sn ? sn.kernel(updateStats) : kernel) as tf.Tensor4D, [b, side(h), side(w), filters], stride, pad);
    },
  };
}

/**
 * Batch norm over every axis but the last (channels); γ ~ N(1, 0.02) and β = 0 as in the DCGAN code.
 *
 * In training it is one op with the closed-form backward (x̂ = (x − μ)/σ over the N = B·H·W values of a channel):
 * dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy: five elementwise ops and two reductions
 * each way, where autodiff through tf.moments and tf.batchNorm ran FusedBatchNorm, Tile and dozens of small ops.
 */
export function batchNorm(name: string, channels: number, random: () => number): Layer {
  const gamma = normal([channels], 1, random);
  const beta = tf.variable(tf.zeros([channels]));
  const runningMean = tf.variable(tf.zeros([channels]), false);
  const runningVar = tf.variable(tf.ones([channels]), false);
  return {
    name, type: 'batchNorm', trainable: [gamma, beta], state: [runningMean, runningVar],
    weights: { gamma, beta, runningMean, runningVar },
    apply: (x, training, updateStats = training) => {
      if (!training) return tf.batchNorm(x, runningMean, runningVar, beta, gamma, BN_EPSILON);
      const n = x.size / channels;
      const normalize = customOp((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
        const flat = tf.reshape(input, [n, channels]); // [N, C]
        const mean = tf.mean(flat, 0);
        const centered = tf.sub(flat, mean);
        const variance = tf.mean(tf.square(centered), 0);
        // Running statistics follow PyTorch: an exponential average of the unbiased batch variance.
        if (updateStats) tf.tidy(() => {
          runningMean.assign(tf.add(tf.mul(runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
          runningVar.assign(tf.add(tf.mul(runningVar, 1 - BN_MOMENTUM), tf.mul(variance, (BN_MOMENTUM * n) / Math.max(n - 1, 1))));
        });
        const invStd = tf.rsqrt(tf.add(variance, BN_EPSILON)); // [C]
        const normalized = tf.mul(centered, invStd); // x̂ [N, C]
        save([normalized, tf.mul(g, invStd)]);
        const value = tf.reshape(tf.add(tf.mul(normalized, g), b), input.shape);
        const gradFunc = (dy: tf.Tensor, [xHat, scale]: tf.Tensor[]) => {
          const dyFlat = tf.reshape(dy, [n, channels]);
          const dBeta = tf.sum(dyFlat, 0);
          const dGamma = tf.sum(tf.mul(dyFlat, xHat), 0);
          // γ/σ · (dy − dβ/N − x̂·dγ/N) as dy·(γ/σ) − (x̂·(γ/σ·dγ/N) + γ/σ·dβ/N): two broadcasts fewer.
          const offset = tf.add(tf.mul(xHat, tf.mul(scale, tf.div(dGamma, n))), tf.mul(scale, tf.div(dBeta, n)));
          const dx = tf.reshape(tf.sub(tf.mul(dyFlat, scale), offset), dy.shape);
          return [dx, dGamma, dBeta];
        };
        return { value, gradFunc };
      });
      return normalize(x, gamma, beta);
    },
  };
}

/**
 * LeakyReLU as x·s with the slope s = step(x, α) (1 where x > 0, else α), saved for the backward dx = dy·s. Stock
 * wasm's LeakyRelu, and the Greater and Select of its gradient, are scalar loops ~10× slower than Step and Multiply.
 */
function leakyReluOp(alpha: number): (x: tf.Tensor) => tf.Tensor {
  return customOp((x, save) => {
    const slope = tf.step(x, alpha);
    save([slope]);
    return { value: tf.mul(x, slope), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, s) };
  });
}

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/** tf.customGrad with its tensors and save function typed apart (tfjs types every argument as either). */
function customOp(f: (x: tf.Tensor, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc }): (x: tf.Tensor) => tf.Tensor;
function customOp(f: (x: tf.Tensor, a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc }): (x: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
function customOp(f: (...args: never[]) => { value: tf.Tensor; gradFunc: GradFunc }): (...xs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as (...xs: tf.Tensor[]) => tf.Tensor;
}

export const reshape = (name: string, shape: number[]): Layer => stateless(name, 'reshape', (x) => tf.reshape(x, [x.shape[0], ...shape]));
export const flatten = (name: string): Layer => stateless(name, 'flatten', (x) => tf.reshape(x, [x.shape[0], -1]));
export const relu = (name: string): Layer => stateless(name, 'relu', (x) => tf.relu(x));
export const leakyRelu = (name: string, alpha: number): Layer => ({ ...stateless(name, 'leakyRelu', leakyReluOp(alpha)), detail: `α = ${alpha}` });
/** Nearest-neighbour upsampling by an integer factor: progressive growing's way to double the side. */
export const upsample = (name: string, factor: number): Layer => stateless(name, 'upsample', (x) => {
  const [, h, w] = x.shape;
  return tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [h * factor, w * factor]); // every pixel becomes a factor×factor block
});
/** Average pooling over factor×factor blocks: progressive growing's way to halve the side. */
export const avgPool = (name: string, factor: number): Layer => stateless(name, 'avgPool', (x) => tf.avgPool(x as tf.Tensor4D, factor, factor, 'valid'));
/**
 * Minibatch standard deviation (Karras et al. 2017): appends one feature map holding the batch's mean standard
 * deviation, so D can see a batch of near-identical fakes and G cannot collapse onto one image unnoticed.
 */
export const minibatchStddev = (name: string): Layer => ({
  ...stateless(name, 'minibatchStddev', (x) => {
    const [b, h, w] = x.shape;
    const spread = tf.mean(tf.sqrt(tf.add(tf.moments(x, 0).variance, 1e-8))); // over every position and channel
    return tf.concat([x, tf.mul(tf.ones([b, h, w, 1]), spread)], 3);
  }),
  detail: 'adds the batch\'s mean standard deviation as one channel',
});
export const tanh = (name: string): Layer => stateless(name, 'tanh', (x) => tf.tanh(x));
export const sigmoid = (name: string): Layer => stateless(name, 'sigmoid', (x) => tf.sigmoid(x));

/**
 * Normalises each image over `axes` (layer norm: all of its values; instance norm: each channel's map, Ulyanov et al.
 * 2016), then scales and shifts each channel by a learnt γ (from 1) and β (from 0). No running statistics: it acts
 * the same in training and inference.
 */
function perImageNorm(name: string, type: 'layerNorm' | 'instanceNorm', channels: number, axes: (rank: number) => number[]): Layer {
  const gamma = tf.variable(tf.ones([channels]));
  const beta = tf.variable(tf.zeros([channels]));
  return {
    name, type, trainable: [gamma, beta], state: [], weights: { gamma, beta },
    apply: (x) => {
      const { mean, variance } = tf.moments(x, axes(x.rank), true);
      return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, BN_EPSILON))), gamma), beta);
    },
  };
}

/** Layer normalisation (Ba et al. 2016): over every value of one image, so it works without a batch (e.g. in a WGAN-GP critic). */
export const layerNorm = (name: string, channels: number): Layer => perImageNorm(name, 'layerNorm', channels, (rank) => Array.from({ length: rank - 1 }, (_, i) => i + 1));
/** Instance normalisation: over each channel's H×W map of one image; input [B, H, W, C]. */
export const instanceNorm = (name: string, channels: number): Layer => perImageNorm(name, 'instanceNorm', channels, () => [1, 2]);

/** Dropout while training (each value zeroed with probability `rate`, the rest scaled by 1/(1 − rate)); nothing at inference. */
export function dropout(name: string, rate: number, random: () => number): Layer {
  return {
    name, type: 'dropout', trainable: [], state: [], weights: {}, detail: `rate ${rate}`,
    apply: (x, training) => (training && rate > 0 ? tf.dropout(x, rate, undefined, nextSeed(random)) : x),
  };
}
