// Runs one computation on wasm (with the trainer's kernel pack and threads) and on the cpu reference backend, and compares.
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/**
 * Computes `f` on wasm, then on cpu, asserting wasm leaks no tensors; prints and checks the max abs difference
 * against `tolerance` × max(1, the largest |value|).
 */
export async function compareWithCpu(label: string, f: () => tf.Tensor, tolerance = 1e-5): Promise<number> {
  const run = async () => {
    const before = tf.memory().numTensors;
    const t = tf.tidy(f);
    const data = (await t.data()) as Float32Array;
    const shape = t.shape;
    t.dispose();
    assert.equal(tf.memory().numTensors, before, `${label}: ${tf.getBackend()} leaks no tensors`);
    return { data, shape };
  };
  const wasm = await run();
  await tf.setBackend('cpu');
  try {
    const cpu = await run();
    assert.deepEqual(wasm.shape, cpu.shape, `${label}: shape`);
    let maxDiff = 0;
    let magnitude = 0;
    for (let i = 0; i < cpu.data.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(wasm.data[i] - cpu.data[i]));
      magnitude = Math.max(magnitude, Math.abs(cpu.data[i]));
    }
    console.log(`      ${label}: max |Δ| ${maxDiff.toExponential(2)} (values up to ${magnitude.toPrecision(2)})`);
    assert.ok(magnitude > 0, `${label}: the result is not trivially zero`);
    assert.ok(maxDiff <= tolerance * Math.max(1, magnitude), `${label}: max abs diff ${maxDiff} exceeds ${tolerance} × ${magnitude}`);
    return maxDiff;
  } finally {
    await tf.setBackend('wasm');
  }
}

/** A seeded random tensor, the same on both backends. */
export const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
