// Reductions over the leading axes of a tensor as one average pooling, which XNNPACK runs in a single pass.
import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';

/** Below this many elements the stock reduction is as fast. */
const MIN_SIZE = 4096;

/** x viewed as [n, c] where the first k axes (n elements) are reduced. */
export interface LeadingSplit {
  k: number;
  n: number;
  c: number;
}

/**
 * When `axis` is exactly the first k axes of a large float32 tensor and leaves some axis unreduced, returns the
 * split; otherwise undefined, for the stock kernel (it reduces inner axes well, and leading ones by first
 * transposing them inward, which costs more than the reduction).
 */
export function leadingSplit(x: tf.TensorInfo, axis: number | number[]): LeadingSplit | undefined {
  if (x.dtype !== 'float32' || util.sizeFromShape(x.shape) < MIN_SIZE) return undefined;
  const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const k = axes.length;
  if (k === 0 || k === x.shape.length || axes.some((a, i) => a !== i)) return undefined;
  return { k, n: util.sizeFromShape(x.shape.slice(0, k)), c: util.sizeFromShape(x.shape.slice(k)) };
}

/**
 * The mean over the leading axes, in the shape the reduction gives: x as one [n × 1] image of c channels, pooled
 * by a single n × 1 window. (ones[1, n] · x[n, c] is slower here: XNNPACK packs x as a GEMM's weights each call.)
 */
export function meanLeading(x: tf.Tensor, { k, n, c }: LeadingSplit, keepDims: boolean): tf.Tensor {
  const outShape = keepDims ? x.shape.map((d, i) => (i < k ? 1 : d)) : x.shape.slice(k);
  return tf.reshape(tf.avgPool(tf.reshape(x, [1, n, 1, c]) as tf.Tensor4D, [n, 1], 1, 'valid'), outShape);
}
