import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { batchNorm, leakyRelu } from '../../../src/trainer/models/layers';
import { seededRandom } from '../../../src/trainer/random';
import { useWasm } from './helpers';

/** Max |a − b| over two tensors' values. */
async function maxDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const [x, y] = (await Promise.all([a.data(), b.data()])) as Float32Array[];
  return x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
}

describe('trainer/models: the custom-gradient layers match autodiff of their textbook definitions', function () {
  this.timeout(30_000);
  before(async () => {
    await useWasm();
  });

  it("batch norm's closed-form backward gives autodiff's dx, dγ and dβ (moments + tf.batchNorm)", async () => {
    const layer = batchNorm('bn', 16, seededRandom(3));
    const { gamma, beta } = layer.weights;
    const x = tf.randomNormal([8, 5, 5, 16], 0.5, 2, 'float32', 1);
    const upstream = tf.randomNormal([8, 5, 5, 16], 0, 1, 'float32', 2); // a loss Σ y·u weighs each output differently
    const textbook = (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(input, [0, 1, 2]);
      return tf.batchNorm(input, mean, variance, b, g, 1e-5);
    };
    const loss = (f: (input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      tf.grads((input: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(input, g, b), upstream)));
    const ours = loss((input) => layer.apply(input, true, false))([x, gamma, beta]);
    const reference = loss(textbook)([x, gamma, beta]);
    for (const [i, name] of ['dx', 'dγ', 'dβ'].entries()) {
      const d = await maxDiff(ours[i], reference[i]);
      assert.ok(d < 1e-4, `${name} differs by ${d}`);
    }
    const y = tf.tidy(() => layer.apply(x, true, false));
    assert.ok((await maxDiff(y, tf.tidy(() => textbook(x, gamma, beta)))) < 1e-5, 'forward');
    tf.dispose([x, upstream, y, ...ours, ...reference]);
    for (const v of Object.values(layer.weights)) v.dispose();
  });

  it('batch norm moves its running statistics only when asked to', async () => {
    const layer = batchNorm('bn', 4, seededRandom(3));
    const x = tf.randomNormal([6, 3, 3, 4], 2, 1, 'float32', 1);
    tf.dispose(layer.apply(x, true, false));
    assert.deepEqual(Array.from(await layer.weights.runningMean.data()), [0, 0, 0, 0]);
    tf.dispose(layer.apply(x, true));
    const expected = tf.mul(tf.mean(x, [0, 1, 2]), 0.1);
    assert.ok((await maxDiff(layer.weights.runningMean, expected)) < 1e-6);
    tf.dispose([x, expected]);
    for (const v of Object.values(layer.weights)) v.dispose();
  });

  it("LeakyReLU gives tf.leakyRelu's values and gradient, α at x = 0 included", async () => {
    const layer = leakyRelu('lrelu', 0.2);
    const x = tf.concat([tf.randomNormal([1000], 0, 1, 'float32', 4), tf.zeros([3])]);
    const upstream = tf.randomNormal([1003], 0, 1, 'float32', 5);
    const grad = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), upstream)))(x);
    const [ours, reference] = [grad((t) => layer.apply(t, true)), grad((t) => tf.leakyRelu(t, 0.2))];
    assert.equal(await maxDiff(ours, reference), 0);
    const [y, yRef] = [layer.apply(x, true), tf.leakyRelu(x, 0.2)];
    assert.equal(await maxDiff(y, yRef), 0);
    tf.dispose([x, upstream, ours, reference, y, yRef]);
  });
});
