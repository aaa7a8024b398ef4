// Mean for wasm: over leading axes (batch-norm moments) as one pooling pass instead of transpose + loop.
import * as tf from '@tensorflow/tfjs-core';
import { MeanAttrs, MeanInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { leadingSplit, meanLeading } from './leadingAxes';
import { KernelArgs, replaceWasmKernel, runAsKernel } from './tensorKernel';

function mean(args: KernelArgs<MeanInputs, MeanAttrs>, stock: (a: typeof args) => TensorInfo | TensorInfo[]): TensorInfo | TensorInfo[] {
  const { inputs: { x }, backend, attrs: { axis, keepDims } } = args;
  const split = leadingSplit(x!, axis);
  if (!split) return stock(args);
  return runAsKernel(backend, [x!], (t) => meanLeading(t, split, keepDims));
}

/** Registers the kernel for wasm in place of the stock one, which it falls back to; safe to call again. */
export function registerMean(): void {
  replaceWasmKernel(tf.Mean, mean);
}
