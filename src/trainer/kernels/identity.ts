// Identity for wasm: shares the input's data instead of copying it, as the cpu backend does.
import * as tf from '@tensorflow/tfjs-core';
import { IdentityInputs, TensorInfo } from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel } from './tensorKernel';

/*
 * The tape clones every tensor a gradient needs (~220 clones a step), and stock wasm copies each one. Tensor data
 * are never written in place (a variable's assign rebinds it to new data), so sharing is safe.
 */
function identity(args: KernelArgs<IdentityInputs, object>, stock: (a: typeof args) => TensorInfo | TensorInfo[]): TensorInfo | TensorInfo[] {
  const { inputs: { x }, backend } = args;
  if (x!.dtype === 'string') return stock(args);
  backend.incRef(x!.dataId);
  return { dataId: x!.dataId, shape: x!.shape, dtype: x!.dtype };
}

/** Registers the kernel for wasm in place of the stock one, which it falls back to; safe to call again. */
export function registerIdentity(): void {
  replaceWasmKernel(tf.Identity, identity);
}
