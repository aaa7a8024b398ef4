// The trainer's wasm kernel pack: the kernel wasm lacks for training, and faster ones where wasm runs a naive loop.
import { registerBatchMatMul } from './batchMatMul';
import { registerConv2dBackpropFilter } from './conv2dBackpropFilter';
import { registerConv2dBackpropInput } from './conv2dBackpropInput';
import { registerIdentity } from './identity';
import { registerMean } from './mean';
import { registerSlice } from './slice';
import { registerSum } from './sum';
import { registerTile } from './tile';

/**
 * Registers every kernel of the pack for the wasm backend. Call it before `tf.setBackend('wasm')` so the stock
 * kernels' setup functions, which the replacements keep, bind their wasm functions; safe to call again.
 */
export function registerWasmKernels(): void {
  registerConv2dBackpropFilter();
  registerConv2dBackpropInput();
  registerBatchMatMul();
  registerSum();
  registerMean();
  registerTile();
  registerIdentity();
  registerSlice();
}
