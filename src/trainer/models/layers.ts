// The layers GANscope's models are made of: raw tf ops over tf.Variables, each named and typed so probes can find it.
import * as tf from '@tensorflow/tfjs-core';
import { nextSeed } from '../random';

export type LayerType =
  | 'dense' | 'reshape' | 'flatten' | 'conv2d' | 'conv2dTranspose' | 'batchNorm'
  | 'relu' | 'leakyRelu' | 'tanh' | 'sigmoid';

export interface Layer {
  readonly name: string;
  readonly type: LayerType;
  /** Weights the optimiser updates. */
  readonly trainable: tf.Variable[];
  /** Weights updated outside the optimiser (batch-norm running statistics). */
  readonly state: tf.Variable[];
  /** Every weight by a name unique within the layer (`kernel`, `runningMean`…), for checkpoints and probes. */
  readonly weights: Record<string, tf.Variable>;
  /**
   * `training` selects batch statistics in batch norm; `updateStats` (default: `training`) also folds them into the
   * running ones. A second forward pass of the same batch in a step passes false, so running statistics move once a step.
   */
  apply(x: tf.Tensor, training: boolean, updateStats?: boolean): tf.Tensor;
}

/** The DCGAN paper's initialisation: weights N(0, 0.02); with tfjs' defaults D wins at once and G collapses. */
const INIT_STD = 0.02;
/** PyTorch's BatchNorm defaults, so runs compare with pytorch/examples dcgan. */
const BN_MOMENTUM = 0.1;
const BN_EPSILON = 1e-5;

function normal(shape: number[], mean: number, random: () => number): tf.Variable {
  return tf.variable(tf.randomNormal(shape, mean, INIT_STD, 'float32', nextSeed(random)));
}

function stateless(name: string, type: LayerType, fn: (x: tf.Tensor) => tf.Tensor): Layer {
  return { name, type, trainable: [], state: [], weights: {}, apply: (x) => fn(x) };
}

export function dense(name: string, inUnits: number, units: number, random: () => number): Layer {
  const kernel = normal([inUnits, units], 0, random);
  const bias = tf.variable(tf.zeros([units]));
  return { name, type: 'dense', trainable: [kernel, bias], state: [], weights: { kernel, bias }, apply: (x) => tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias) };
}

/** A strided convolution with 'same' padding: k4 s2 halves the size like PyTorch's padding=1. No bias, as in DCGAN. */
export function conv2d(name: string, inChannels: number, filters: number, kernelSize: number, stride: number, random: () => number): Layer {
  const kernel = normal([kernelSize, kernelSize, inChannels, filters], 0, random); // [KH, KW, Ci, Co]
  return { name, type: 'conv2d', trainable: [kernel], state: [], weights: { kernel }, apply: (x) => tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, stride, 'same') };
}

/** A transposed convolution multiplying the size by `stride` (k4 s2 ≡ PyTorch's ConvTranspose2d padding=1). */
export function conv2dTranspose(name: string, inChannels: number, filters: number, kernelSize: number, stride: number, random: () => number): Layer {
  const kernel = normal([kernelSize, kernelSize, filters, inChannels], 0, random); // [KH, KW, Co, Ci]
  return {
    name, type: 'conv2dTranspose', trainable: [kernel], state: [], weights: { kernel },
    apply: (x) => {
      const [b, h, w] = x.shape;
      return tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, [b, h * stride, w * stride, filters], stride, 'same');
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
export const leakyRelu = (name: string, alpha: number): Layer => stateless(name, 'leakyRelu', leakyReluOp(alpha));
export const tanh = (name: string): Layer => stateless(name, 'tanh', (x) => tf.tanh(x));
export const sigmoid = (name: string): Layer => stateless(name, 'sigmoid', (x) => tf.sigmoid(x));
