import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { WeightAverage } from '../../../src/trainer/ema';
import { buildGan } from '../../../src/trainer/models/dcgan';
import { Network } from '../../../src/trainer/models/network';
import { getPreset } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { useWasm } from './helpers';

/** Sets every weight of the network (running statistics included) to `value`. */
function fill(network: Network, value: number): void {
  for (const [, v] of network.namedWeights) v.assign(tf.fill(v.shape, value));
}

/** The network's weights while the average is swapped in. */
async function averaged(average: WeightAverage, network: Network): Promise<number[]> {
  return average.withAverage(async () => Promise.all(network.namedWeights.map(async ([, v]) => (await v.data())[0])));
}

describe('trainer/ema: the average of G\'s weights', function () {
  let generator: Network;
  before(async () => {
    await useWasm();
    generator = buildGan(getPreset('mnist-tiny'), { size: 28, channels: 1 }, seededRandom(1)).generator;
  });

  /** Every weight as the average holds it after one update from 0 towards 1 (the network back at 1 afterwards). */
  async function afterOneUpdate(decay: number, from: number, step: number): Promise<number[]> {
    fill(generator, 0);
    const average = new WeightAverage(generator, decay, from);
    fill(generator, 1);
    average.update(step);
    try {
      return await averaged(average, generator);
    } finally {
      average.dispose();
    }
  }

  it('follows the trained weights closely while it is young: the first update weighs them 0.9, not 1 − decay', async () => {
    for (const w of await afterOneUpdate(0.999, 0, 0)) assert.ok(Math.abs(w - 0.9) < 1e-6, `${w}`);
  });

  it('moves by 1 − decay once it has seen many updates', async () => {
    for (const w of await afterOneUpdate(0.99, 0, 100_000)) assert.ok(Math.abs(w - 0.01) < 1e-6, `${w}`);
  });

  it('counts its updates from the step it was turned on at', async () => {
    for (const w of await afterOneUpdate(0.999, 5_000, 5_000)) assert.ok(Math.abs(w - 0.9) < 1e-6, `${w}`);
  });

  it('averages batch norm\'s running statistics with the weights, and puts the trained ones back after use', async () => {
    fill(generator, 0);
    const average = new WeightAverage(generator, 0.999);
    fill(generator, 2);
    average.update(0);
    const names = generator.namedWeights.map(([name]) => name);
    const during = await averaged(average, generator);
    const mean = names.findIndex((n) => /runningMean/.test(n));
    assert.ok(mean >= 0, `a running mean among ${names.join(', ')}`);
    assert.ok(Math.abs(during[mean] - 1.8) < 1e-6);
    for (const [, v] of generator.namedWeights) assert.equal((await v.data())[0], 2);
    average.dispose();
  });
});
