// Tile for wasm: a broadcast-only tile (the batch-norm gradient's) as x · ones on XNNPACK's broadcasting multiply.
import * as tf from '@tensorflow/tfjs-core';
import { TensorInfo, TileAttrs, TileInputs } from '@tensorflow/tfjs-core';
import { KernelArgs, replaceWasmKernel, runAsKernel } from './tensorKernel';

/** Below this many output elements the stock loop is as fast. */
const MIN_SIZE = 4096;

function tile(args: KernelArgs<TileInputs, TileAttrs>, stock: (a: typeof args) => TensorInfo | TensorInfo[]): TensorInfo | TensorInfo[] {
  const { inputs: { x }, backend, attrs: { reps } } = args;
  const shape = x!.shape.map((d, i) => d * reps[i]);
  // Broadcast-only: every repeated axis has size 1, so the tile is a broadcast.
  const broadcast = reps.every((r, i) => r === 1 || x!.shape[i] === 1);
  if (!broadcast || x!.dtype !== 'float32' || tf.util.sizeFromShape(shape) < MIN_SIZE) return stock(args);
  return runAsKernel(backend, [x!], (t) => tf.mul(t, tf.ones(shape)));
}

/** Registers the kernel for wasm in place of the stock one, which it falls back to; safe to call again. */
export function registerTile(): void {
  replaceWasmKernel(tf.Tile, tile);
}
