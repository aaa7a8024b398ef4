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

  it('follows the trained weights closely while it is young: the first update weighs them 0.9, not 1 − decay', async () => {
    fill(generator, 0);
    const average = new WeightAverage(generator, 0.999);
    fill(generator, 1);
    average.update(0);
    for (const w of await averaged(average, generator)) assert.ok(Math.abs(w - 0.9) < 1e-6, `${w}`);
    average.dispose();
  });

  it('moves by 1 − decay once it has seen many updates', async () => {
    fill(generator, 0);
    const average = new WeightAverage(generator, 0.99);
    fill(generator, 1);
    average.update(100_000);
    for (const w of await averaged(average, generator)) assert.ok(Math.abs(w - 0.01) < 1e-6, `${w}`);
    average.dispose();
  });

  it('counts its updates from the step it was turned on at', async () => {
    fill(generator, 0);
    const average = new WeightAverage(generator, 0.999, 5_000);
    fill(generator, 1);
    average.update(5_000);
    for (const w of await averaged(average, generator)) assert.ok(Math.abs(w - 0.9) < 1e-6, `${w}`);
    average.dispose();
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
