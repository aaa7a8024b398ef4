// Slice for wasm: the trailing axes a slice takes whole are merged into the one before them, so stock wasm copies
// long rows instead of one element at a time (a crop of [64,30,30,1] took ~4 ms, one subarray copy per pixel).
import * as tf from '@tensorflow/tfjs-core';
import { slice_util, SliceAttrs, SliceInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel } from './tensorKernel';

function slice(args: KernelArgs<SliceInputs, SliceAttrs>, stock: (a: typeof args) => TensorInfo | TensorInfo[]): TensorInfo | TensorInfo[] {
  const { inputs: { x }, attrs } = args;
  const shape = x!.shape;
  const [begin, size] = slice_util.parseSliceParams(x as tf.TensorInfo as tf.Tensor, attrs.begin, attrs.size);
  // The innermost axis k such that every axis after it is taken whole.
  let k = shape.length - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  if (k === shape.length - 1 || x!.dtype === 'string') return stock(args);
  const inner = shape.slice(k + 1).reduce((a, b) => a * b, 1);
  const merged: TensorInfo = { dataId: x!.dataId, dtype: x!.dtype, shape: [...shape.slice(0, k), shape[k] * inner] };
  const out = stock({
    ...args,
    inputs: { x: merged },
    attrs: { begin: [...begin.slice(0, k), begin[k] * inner], size: [...size.slice(0, k), size[k] * inner] },
  }) as TensorInfo;
  return { ...out, shape: size };
}

/** Registers the kernel for wasm in place of the stock one, which it falls back to; safe to call again. */
export function registerSlice(): void {
  replaceWasmKernel(tf.Slice, slice);
}
