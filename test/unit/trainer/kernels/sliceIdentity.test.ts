import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm } from '../helpers';
import { compareWithCpu, randn } from './compare';

describe('trainer/kernels slice and identity (wasm vs cpu)', function () {
  this.timeout(60_000);
  before(async () => {
    await useWasm();
  });

  it('replaces the stock kernels for wasm, keeping their setup functions', () => {
    for (const name of ['Slice', 'Identity']) assert.ok(tf.getKernel(name, 'wasm'), name);
  });

  describe('Slice (trailing whole axes merged)', () => {
    it("the transposed conv's crop: [64,30,30,1] → [64,28,28,1]", () => compareWithCpu('crop 1ch', () => tf.slice(randn([64, 30, 30, 1], 1), [0, 1, 1, 0], [64, 28, 28, 1])));
    it('a crop of many channels: [4,9,9,16] → [4,6,7,16]', () => compareWithCpu('crop 16ch', () => tf.slice(randn([4, 9, 9, 16], 1), [0, 2, 1, 0], [4, 6, 7, 16])));
    it('slices that cut the last axis go to the stock kernel', () => compareWithCpu('cut last', () => tf.slice(randn([3, 5, 7], 1), [1, 0, 2], [2, 5, 3])));
  });

  it('Identity shares its input: a clone outlives the disposed original with its values', async () => {
    const x = randn([4, 5], 1);
    const expected = Array.from(await x.data());
    const y = tf.clone(x);
    x.dispose();
    assert.deepEqual(Array.from(await y.data()), expected);
    y.dispose();
  });
});
