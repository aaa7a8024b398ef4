// Scores real MNIST training images as `npm run eval` scores a generator's: the reference the Metrics panel draws
// beside a run's scores. Prints the scores as JSON; their values go into src/protocol/realScores.ts.
//
//   npm run real-scores [-- --samples 1000]
import { parseArgs } from 'node:util';
import { initBackend } from '../src/trainer/backend';
import { loadDataset } from '../src/trainer/data/dataset';
import { toUnitRange } from '../src/trainer/scores/classifier';
import { SCORE_SAMPLES, scoreNow } from '../src/trainer/scores/scorer';

async function main(): Promise<void> {
  console.log = console.error;
  const { values } = parseArgs({ options: { samples: { type: 'string' } } });
  const samples = values.samples === undefined ? SCORE_SAMPLES : Number(values.samples);
  await initBackend('auto');
  const setup = { every: 1, samples, latentDim: 0, side: 28, seed: 1, dataset: 'mnist', classify: true };
  const train = loadDataset('mnist');
  const pixels = 28 * 28;
  const picked = new Float32Array(samples * pixels);
  for (let i = 0; i < samples; i++) {
    const index = Math.floor((i * train.count) / samples); // spread evenly over the set, as `npm run eval` picks them
    picked.set(toUnitRange(train.pixels.subarray(index * pixels, (index + 1) * pixels)), i * pixels);
  }
  const { scores } = await scoreNow(picked, setup);
  process.stdout.write(JSON.stringify({ samples, scores }, null, 2) + '\n');
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
