// Helpers for wasm kernels written as ordinary tf ops, which run on XNNPACK where tfjs' own kernel is a naive loop.
import * as tf from '@tensorflow/tfjs-core';
import { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

/** What a kernel function receives, typed by its inputs and attributes. */
export interface KernelArgs<I, A> {
  inputs: I;
  backend: tf.KernelBackend;
  attrs: A;
}

/**
 * Runs `compute` on the kernel's inputs wrapped as tensors and hands its result to the engine as the
 * kernel's output. Ops inside a kernel are not taped, and tidy frees every intermediate.
 */
export function runAsKernel(backend: tf.KernelBackend, inputs: TensorInfo[], compute: (...xs: tf.Tensor[]) => tf.Tensor): TensorInfo {
  // Each wrapper holds its own reference, so disposing it never frees the engine's input.
  const wrapped = inputs.map((info) => {
    backend.incRef(info.dataId);
    return tf.engine().makeTensorFromTensorInfo(info, backend);
  });
  try {
    const result = tf.tidy(() => compute(...wrapped));
    // The engine owns the returned TensorInfo; keep its data alive past the result's disposal.
    backend.incRef(result.dataId);
    const out: TensorInfo = { dataId: result.dataId, shape: result.shape, dtype: result.dtype };
    result.dispose();
    return out;
  } finally {
    tf.dispose(wrapped);
  }
}

/** A kernel that takes over from wasm's own one where it is faster, and hands the other cases back to it. */
export type ReplacementKernel<I, A> = (args: KernelArgs<I, A>, stock: (args: KernelArgs<I, A>) => TensorInfo | TensorInfo[]) => TensorInfo | TensorInfo[];

const ours = new WeakSet<KernelFunc>();

/**
 * Registers `kernel` for wasm in place of the stock kernel of the same name, keeping the stock kernel's setupFunc
 * (without it the stock wasm function is never bound, and the fallback cannot run). Registering twice is a no-op.
 */
export function replaceWasmKernel<I extends object, A extends object>(kernelName: string, kernel: ReplacementKernel<I, A>): void {
  const stock = tf.getKernel(kernelName, 'wasm');
  if (stock && ours.has(stock.kernelFunc)) return;
  const stockFunc = stock?.kernelFunc as unknown as ((args: KernelArgs<I, A>) => TensorInfo | TensorInfo[]) | undefined;
  const kernelFunc = ((args: { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap }) =>
    kernel(args as unknown as KernelArgs<I, A>, (a) => {
      if (!stockFunc) throw new Error(`wasm has no stock ${kernelName} kernel to fall back to`);
      return stockFunc(a);
    })) as KernelFunc;
  ours.add(kernelFunc);
  if (stock) tf.unregisterKernel(kernelName, 'wasm');
  const config: KernelConfig = { kernelName, backendName: 'wasm', kernelFunc, setupFunc: stock?.setupFunc };
  tf.registerKernel(config);
}
