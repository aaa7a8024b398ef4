import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm } from '../helpers';
import { compareWithCpu, randn } from './compare';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** The transposed conv of x by W to `outShape` (Conv2DBackpropInput with dy = x), as the generator runs it. */
function transposed(xShape: Shape4, filterShape: Shape4, outShape: Shape4, stride: number | [number, number], pad: 'same' | 'valid') {
  return () => tf.conv2dTranspose(randn(xShape, 1) as tf.Tensor4D, randn(filterShape, 2) as tf.Tensor4D, outShape, stride, pad);
}

/** The input gradient of conv2d(x, W) pulled back from a random dy (Conv2DBackpropInput as backprop runs it). */
function inputGrad(xShape: Shape4, filterShape: Shape4, stride: number, pad: Pad) {
  return () => {
    const w = randn(filterShape, 2) as tf.Tensor4D;
    const dy = randn(tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, w, stride, pad).shape, 3);
    return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w, stride, pad), dy)))(randn(xShape, 1));
  };
}

describe('trainer/kernels/conv2dBackpropInput (wasm vs cpu)', function () {
  this.timeout(60_000);
  before(async () => {
    await useWasm();
  });

  it('replaces the stock kernel for wasm', () => {
    assert.ok(tf.getKernel('Conv2DBackpropInput', 'wasm'));
  });

  describe("the mnist-dcgan model's shapes", () => {
    it("G's first transposed conv: 7×7×128 → 14×14×64, k4 s2 same", () => compareWithCpu('G convT1', transposed([8, 7, 7, 128], [4, 4, 64, 128], [8, 14, 14, 64], 2, 'same')));
    it("G's image layer: 14×14×64 → 28×28×1, k4 s2 same (one conv for all phases)", () => compareWithCpu('G convT2', transposed([8, 14, 14, 64], [4, 4, 1, 64], [8, 28, 28, 1], 2, 'same')));
    it("D's second conv's input gradient: 7×7×64 → 14×14×32", () => compareWithCpu('D conv2 dx', inputGrad([8, 14, 14, 32], [4, 4, 32, 64], 2, 'same')));
  });

  describe('odd cases', () => {
    it('same padding with an odd kernel (k3 s2), wide output', () => compareWithCpu('k3 s2 same', transposed([2, 5, 6, 16], [3, 3, 20, 16], [2, 10, 12, 20], 2, 'same')));
    it('same padding with an odd kernel (k5 s2), narrow output', () => compareWithCpu('k5 s2 same', transposed([2, 5, 5, 8], [5, 5, 3, 8], [2, 10, 10, 3], 2, 'same')));
    it('same padding with an even kernel and stride 3', () => compareWithCpu('k4 s3 same', transposed([2, 4, 3, 8], [4, 4, 16, 8], [2, 12, 9, 16], 3, 'same')));
    it('valid padding, stride 3, odd sizes', () => compareWithCpu('valid s3', inputGrad([2, 13, 11, 16], [4, 3, 16, 5], 3, 'valid')));
    it('valid padding whose windows leave the last rows unread', () => compareWithCpu('valid s3 unread rows', inputGrad([2, 29, 27, 2], [4, 3, 2, 5], 3, 'valid')));
    it('a kernel smaller than the stride (some phases get no taps)', () => compareWithCpu('k1 s2', inputGrad([2, 9, 8, 16], [1, 1, 16, 4], 2, 'valid')));
    it('different strides per axis', () => compareWithCpu('s(2,3)', transposed([2, 4, 5, 8], [4, 3, 16, 8], [2, 8, 15, 16], [2, 3], 'same')));
    it('stride 1 (a plain conv with the flipped kernel)', () => compareWithCpu('s1', inputGrad([2, 6, 7, 16], [3, 3, 16, 3], 1, 'same')));
    it('explicit asymmetric padding', () => compareWithCpu('explicit pad', inputGrad([2, 10, 9, 16], [3, 3, 16, 4], 2, [[0, 0], [1, 2], [0, 1], [0, 0]])));
  });
});
