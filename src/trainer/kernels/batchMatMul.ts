// BatchMatMul for wasm: a transposed operand is transposed first, so the product runs on XNNPACK's GEMM, not a naive loop.
import * as tf from '@tensorflow/tfjs-core';
import { BatchMatMulAttrs, BatchMatMulInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel, runAsKernel } from './tensorKernel';

function batchMatMul(args: KernelArgs<BatchMatMulInputs, BatchMatMulAttrs>,
  stock: (a: typeof args) => TensorInfo | TensorInfo[]): TensorInfo | TensorInfo[] {
  const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
  if (!transposeA && !transposeB) return stock(args);
  // The product of the explicitly transposed operands comes back through this kernel, untransposed: stock.
  return runAsKernel(backend, [a!, b!], (x, y) => tf.matMul(transposeA ? swapLast(x) : x, transposeB ? swapLast(y) : y));
}

/** Transposes the two innermost axes. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
  return tf.transpose(x, perm);
}

/** Registers the kernel for wasm in place of the stock one, which it falls back to; safe to call again. */
export function registerBatchMatMul(): void {
  replaceWasmKernel(tf.BatchMatMul, batchMatMul);
}
