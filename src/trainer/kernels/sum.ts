// Sum for wasm: over leading axes (bias and batch-norm gradients) as one pooling pass instead of transpose + loop.
import * as tf from '@tensorflow/tfjs-core';
import { SumAttrs, SumInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { leadingSplit, meanLeading } from './leadingAxes';
import { KernelArgs, replaceWasmKernel, runAsKernel } from './tensorKernel';

function sum(args: KernelArgs<SumInputs, SumAttrs>, stock: (a: typeof args) => TensorInfo | TensorInfo[]): TensorInfo | TensorInfo[] {
  const { inputs: { x }, backend, attrs: { axis, keepDims } } = args;
  const split = leadingSplit(x!, axis);
  if (!split) return stock(args);
  return runAsKernel(backend, [x!], (t) => tf.mul(meanLeading(t, split, keepDims), split.n));
}

/** Registers the kernel for wasm in place of the stock one, which it falls back to; safe to call again. */
export function registerSum(): void {
  replaceWasmKernel(tf.Sum, sum);
}
