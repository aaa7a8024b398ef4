import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { loadMnist } from '../../../../src/trainer/data/mnist';
import { BatchSampler } from '../../../../src/trainer/data/sampler';
import { buildGan, Gan } from '../../../../src/trainer/models/dcgan';
import { discriminatorLoss, generatorLoss } from '../../../../src/trainer/losses';
import { getPreset, imageShapeFor } from '../../../../src/trainer/presets';
import { seededRandom } from '../../../../src/trainer/random';
import { MNIST_DIR, useWasm } from '../helpers';

/**
 * The gradients of one mnist-dcgan D+G step (D's on real and fake, then G's through D), every kernel of the pack in
 * play, on wasm with its threads and on the cpu reference.
 */
describe('trainer/kernels: a whole mnist-dcgan step on wasm (kernel pack + threads) vs cpu', function () {
  this.timeout(120_000);
  const preset = getPreset('mnist-dcgan');
  const batch = 16; // the cpu reference's naive loops make the full batch of 64 take minutes

  async function gradients(): Promise<Float32Array[]> {
    const gan: Gan = buildGan(preset, imageShapeFor(preset, 28, 1), seededRandom(5));
    const data = loadMnist(MNIST_DIR, 'train');
    const real = tf.tensor4d(new BatchSampler(data, batch, 5).next(), [batch, 28, 28, 1]);
    const z = tf.randomNormal([batch, preset.latentDim], 0, 1, 'float32', 5) as tf.Tensor2D;
    const { generator: G, discriminator: D } = gan;
    const fake = tf.tidy(() => G.apply(z, true, false));
    const d = tf.variableGrads(() => discriminatorLoss(D.apply(real, true, false), D.apply(fake, true, false), 1), D.trainableVariables);
    const g = tf.variableGrads(() => generatorLoss(D.apply(G.apply(z, true, false), true, false), 'non-saturating'), G.trainableVariables);
    const all = [...D.trainableVariables.map((v) => d.grads[v.name]), ...G.trainableVariables.map((v) => g.grads[v.name])];
    const values = await Promise.all(all.map(async (t) => (await t.data()) as Float32Array));
    tf.dispose([real, z, fake, d.value, g.value, ...all]);
    G.dispose();
    D.dispose();
    return values;
  }

  it('gives every gradient of G and D within 1e-5 of cpu', async () => {
    const info = await useWasm();
    console.log(`      wasm on ${info.threads} thread(s)`);
    const wasm = await gradients();
    await tf.setBackend('cpu');
    let cpu: Float32Array[];
    try {
      cpu = await gradients();
    } finally {
      await tf.setBackend('wasm');
    }
    let maxDiff = 0;
    let magnitude = 0;
    wasm.forEach((w, i) => w.forEach((v, j) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - cpu[i][j]));
      magnitude = Math.max(magnitude, Math.abs(cpu[i][j]));
    }));
    console.log(`      max |Δ| over ${wasm.length} gradient tensors: ${maxDiff.toExponential(2)} (values up to ${magnitude.toPrecision(2)})`);
    assert.equal(wasm.length, 14); // D: 2 convs, BN γ β, dense kernel and bias; G: dense kernel and bias, 2 × BN γ β, 2 transposed convs
    assert.ok(maxDiff <= 1e-5, `gradients differ by ${maxDiff}`);
  });
});
