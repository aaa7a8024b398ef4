import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm } from '../helpers';
import { compareWithCpu, randn } from './compare';

describe('trainer/kernels sum, mean, tile, batchMatMul (wasm vs cpu)', function () {
  this.timeout(60_000);
  before(async () => {
    await useWasm();
  });

  it('replaces the stock kernels for wasm, keeping their setup functions', () => {
    for (const name of ['Sum', 'Mean', 'Tile', 'BatchMatMul']) assert.ok(tf.getKernel(name, 'wasm')?.setupFunc, name);
  });

  describe('Sum and Mean over leading axes (as one pooling)', () => {
    it("a batch norm's sums: [64,14,14,64] over [0,1,2]", () => compareWithCpu('sum BN', () => tf.sum(randn([64, 14, 14, 64], 1), [0, 1, 2])));
    it("a batch norm's mean: [64,7,7,128] over [0,1,2]", () => compareWithCpu('mean BN', () => tf.mean(randn([64, 7, 7, 128], 1), [0, 1, 2])));
    it("a dense bias gradient: [64,6272] over 0", () => compareWithCpu('sum bias', () => tf.sum(randn([64, 6272], 1), 0)));
    it('keepDims and odd sizes: [33,7,5,3] over [0,1]', () => compareWithCpu('sum keepDims', () => tf.sum(randn([33, 7, 5, 3], 1), [0, 1], true)));
    it('inner axes and whole tensors go to the stock kernel', async () => {
      await compareWithCpu('sum inner', () => tf.sum(randn([64, 100], 1), 1));
      await compareWithCpu('mean all', () => tf.reshape(tf.mean(randn([64, 100], 1)), [1]));
      await compareWithCpu('sum middle', () => tf.sum(randn([8, 30, 20], 1), 1));
    });
  });

  describe('Tile', () => {
    it("the batch-norm gradient's broadcast: [1,1,1,64] → [64,14,14,64]", () => compareWithCpu('tile broadcast', () => tf.tile(randn([1, 1, 1, 64], 1), [64, 14, 14, 1])));
    it('a true tile goes to the stock kernel', () => compareWithCpu('tile repeat', () => tf.tile(randn([3, 40, 50], 1), [2, 1, 3])));
  });

  describe('BatchMatMul with transposed operands (transposed first, then XNNPACK)', () => {
    it("a dense kernel's gradient: xᵀ·dy", () => compareWithCpu('tA', () => tf.matMul(randn([64, 100], 1), randn([64, 6272], 2), true, false)));
    it("a dense input's gradient: dy·Wᵀ", () => compareWithCpu('tB', () => tf.matMul(randn([64, 1], 1), randn([3136, 1], 2), false, true)));
    it('both, batched', () => compareWithCpu('tA tB batched', () => tf.matMul(randn([3, 20, 10], 1), randn([3, 30, 20], 2), true, true)));
  });
});
