import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { useWasm } from '../helpers';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

/** The filter gradient of Σ(conv(x, W) · dy) — exactly dy pulled back through the conv — on the current backend. */
async function filterGrad(op: 'conv2d' | 'conv2dTranspose', xShape: Shape4, filterShape: Shape4, stride: number, pad: Pad): Promise<Float32Array> {
  const grad = tf.tidy(() => {
    const x = tf.randomNormal(xShape, 0, 1, 'float32', 1) as tf.Tensor4D;
    const forward = (w: tf.Tensor4D) => {
      if (op === 'conv2d') return tf.conv2d(x, w, stride, pad);
      const [b, h, wd] = xShape;
      return tf.conv2dTranspose(x, w, [b, h * stride, wd * stride, filterShape[2]], stride, pad as 'same');
    };
    const dy = tf.randomNormal(forward(tf.zeros(filterShape) as tf.Tensor4D).shape, 0, 1, 'float32', 2);
    return tf.grad((w: tf.Tensor) => tf.sum(tf.mul(forward(w as tf.Tensor4D), dy)))(tf.zeros(filterShape));
  });
  const data = (await grad.data()) as Float32Array;
  grad.dispose();
  return data;
}

/** Runs the case on wasm (the registered kernel) and on cpu (tfjs' reference loop) and compares. */
async function compare(op: 'conv2d' | 'conv2dTranspose', xShape: Shape4, filterShape: Shape4, stride: number, pad: Pad): Promise<void> {
  const before = tf.memory().numTensors;
  const wasm = await filterGrad(op, xShape, filterShape, stride, pad);
  assert.equal(tf.memory().numTensors, before, 'the kernel leaks no tensors');
  await tf.setBackend('cpu');
  const cpu = await filterGrad(op, xShape, filterShape, stride, pad);
  await tf.setBackend('wasm');
  assert.equal(wasm.length, cpu.length);
  let maxDiff = 0;
  let magnitude = 0;
  for (let i = 0; i < cpu.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(wasm[i] - cpu[i]));
    magnitude = Math.max(magnitude, Math.abs(cpu[i]));
  }
  console.log(`      ${op} x[${xShape}] W[${filterShape}] s${stride} ${JSON.stringify(pad)}: max |Δ| ${maxDiff.toExponential(2)} (values up to ${magnitude.toFixed(1)})`);
  assert.ok(magnitude > 0, 'the gradient is not trivially zero');
  assert.ok(maxDiff <= 1e-5 * Math.max(1, magnitude), `max abs diff ${maxDiff} exceeds 1e-5 × ${magnitude}`);
}

describe('trainer/kernels/conv2dBackpropFilter (wasm vs cpu)', function () {
  this.timeout(60_000); // the cpu reference is a naive loop
  before(async () => {
    await useWasm();
  });

  it('is registered for wasm, which lacks it', () => {
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  });

  describe("the mnist-dcgan model's shapes", () => {
    it("D's first conv: 28×28×1 → 14×14×32, k4 s2 same", () => compare('conv2d', [8, 28, 28, 1], [4, 4, 1, 32], 2, 'same'));
    it("D's second conv: 14×14×32 → 7×7×64, k4 s2 same", () => compare('conv2d', [8, 14, 14, 32], [4, 4, 32, 64], 2, 'same'));
    it("G's first transposed conv: 7×7×128 → 14×14×64", () => compare('conv2dTranspose', [4, 7, 7, 128], [4, 4, 64, 128], 2, 'same'));
    it("G's last transposed conv: 14×14×64 → 28×28×1", () => compare('conv2dTranspose', [4, 14, 14, 64], [4, 4, 1, 64], 2, 'same'));
  });

  describe('odd cases', () => {
    it('valid padding whose windows leave the last rows unread', () => compare('conv2d', [3, 29, 27, 2], [4, 3, 2, 5], 3, 'valid'));
    it('stride 3, same padding, odd sizes and a non-square kernel', () => compare('conv2d', [3, 13, 11, 2], [5, 3, 2, 5], 3, 'same'));
    it('stride 2, valid padding, odd size', () => compare('conv2d', [2, 15, 15, 3], [5, 5, 3, 4], 2, 'valid'));
    it('explicit asymmetric padding', () => compare('conv2d', [2, 10, 9, 3], [3, 3, 3, 4], 2, [[0, 0], [1, 2], [0, 1], [0, 0]]));
    it('stride 1 (no dilation needed)', () => compare('conv2d', [2, 6, 7, 2], [3, 3, 2, 3], 1, 'same'));
    it('a kernel larger than the stride grid of a small image', () => compare('conv2d', [1, 5, 5, 1], [5, 5, 1, 2], 3, 'same'));
  });
});
