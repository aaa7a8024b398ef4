// The GAN doctor: feeds the detectors between training steps, measures at its own cadence, and keeps findings.jsonl.
import { Finding, FindingKind } from '../../protocol/findings';
import { ScoreRecord, StepMetrics } from '../../protocol/trainer';
import { NonFiniteUpdate } from '../adam';
import { loadTestSet } from '../ssgan';
import { Preset } from '../presets';
import { ProbeSource } from '../probes/snapshot';
import { seededRandom } from '../random';
import { LossOptions, Optimizers, StepResult } from '../train';
import { batchnormDrift } from './batchnormDrift';
import { checkerboard } from './checkerboard';
import { deadUnits } from './deadUnits';
import { Detector, Diagnosis, RunSettings } from './detector';
import { discriminatorWins } from './discriminatorWins';
import { explodingGradient } from './explodingGradient';
import { History, phaseOf } from './history';
import { measure, NearestSets } from './measure';
import { memorisation } from './memorisation';
import { modeCollapse } from './modeCollapse';
import { diagnoseNonFinite } from './nonFinite';
import { oscillation } from './oscillation';
import { vanishingGradient } from './vanishingGradient';

/** Detectors run every this many steps: cheap (they read the history), and a finding shows within 25 steps. */
export const CHECK_EVERY = 25;
/** The doctor's measurement (G and D forward on one batch, about a third of a step) every this many steps: ≤ 1 %. */
export const MEASURE_EVERY = 50;
/** Nearest-neighbour distances (one matrix product against REFERENCE_IMAGES) every this many steps. */
export const NEAREST_EVERY = 200;
/** Training images searched for nearest neighbours (all of a smaller set) and held-out test images compared. */
export const REFERENCE_IMAGES = 2000;
export const TEST_IMAGES = 128;
/** A finding that persists is written again at most this often (and when it ends). */
export const UPDATE_EVERY = 100;

/**
 * At the same check, the kinds that say what is wrong inside a network (its gradients, units, normalisation, kernels)
 * come before what its samples and the game between the two show (D winning, swinging losses, alike samples), so the
 * cause is opened rather than its symptoms.
 */
export const DETECTORS: Detector[] = [
  explodingGradient, vanishingGradient, deadUnits, batchnormDrift, checkerboard, discriminatorWins, oscillation, modeCollapse, memorisation,
];

/**
 * What a finding explains: while it is open, the listed kinds are not opened, so the user sees the cause rather than
 * its symptoms (a kind already open stays). Exploding gradients make losses swing and D's outputs saturate. A D that
 * wins starves G, which stays near its initialisation: alike samples carrying the transposed convolutions' grid
 * pattern (measured: 10–20× real images' grid energy, even with 4×4 stride-2 kernels). A collapsed G is easy for D to
 * beat, and its few images carry the same pattern. A G whose gradient vanished stops learning: D beats it and its
 * samples stay alike. Batch statistics over a handful of samples are noise that G's training-mode samples follow
 * (measured on mnist-tiny with batches of 2, 4 and 8: pixel diversity 0.01–0.1 of real images' from step 150, then D
 * wins), and a larger batch is the remedy for both. A grid stamped on every image is a tell D learns at once, and a
 * narrow G spends itself on it (measured: mnist-tiny with 3×3 stride-2 kernels loses diversity from step 250 and D
 * wins by step 750; with 4×4 kernels it is healthy). Kinds found at the same check go in DETECTORS order.
 */
export const EXPLAINS: Partial<Record<FindingKind, FindingKind[]>> = {
  'exploding-gradient': ['oscillation', 'discriminator-wins', 'vanishing-gradient', 'dead-units', 'batchnorm-drift', 'checkerboard', 'mode-collapse'],
  'vanishing-gradient': ['discriminator-wins', 'mode-collapse', 'checkerboard'],
  'batchnorm-drift': ['discriminator-wins', 'mode-collapse'],
  checkerboard: ['discriminator-wins', 'mode-collapse'],
  'discriminator-wins': ['vanishing-gradient', 'checkerboard', 'mode-collapse'],
  'mode-collapse': ['discriminator-wins', 'checkerboard'],
};

/** What the doctor reads of a run (a TrainingSession has all of it). */
export interface DoctorSource extends ProbeSource {
  readonly preset: Preset;
  readonly config: { seed: number };
  readonly lossOptions: LossOptions;
  readonly optimizerState: Optimizers;
  readonly lastGradSquares: StepResult['gradSquares'];
}

export class Doctor {
  readonly history = new History();
  private readonly open = new Map<FindingKind, { finding: Finding; written: number }>();
  private nearest?: NearestSets | null;

  /** `report`: a finding to append to findings.jsonl; `opened` is true the first time it is reported. */
  constructor(private readonly s: DoctorSource, private readonly report: (finding: Finding, opened: boolean) => void, private readonly detectors = DETECTORS) {}

  /** After each step (between steps): records it, measures and checks when due. */
  async afterStep(metrics: StepMetrics): Promise<void> {
    this.history.addStep({ step: metrics.step, dLoss: metrics.dLoss, gLoss: metrics.gLoss, dReal: metrics.dReal, dFake: metrics.dFake, gradNorms: this.gradNorms(), phase: phaseOf(metrics.extra) });
    if (metrics.step % MEASURE_EVERY === 0) {
      const nearest = metrics.step % NEAREST_EVERY === 0 ? this.nearestSets() : undefined;
      this.history.addMeasurement(await this.s.preservingRandom(() => measure(this.s, nearest ?? undefined)));
    }
    if (metrics.step % CHECK_EVERY === 0) this.check(metrics.step);
  }

  observeScores(record: ScoreRecord): void {
    this.history.addScores(record);
  }

  /** A step whose update was not applied: an error finding, reported at once. */
  nonFinite(e: NonFiniteUpdate): Finding {
    const step = this.s.step + 1;
    const finding: Finding = { step, lastStep: step, kind: 'non-finite', ...diagnoseNonFinite(e, this.settings()) };
    this.report(finding, true);
    return finding;
  }

  /** Writes the final state of findings still open (their lastStep) when the run ends. */
  finish(): void {
    for (const [kind, entry] of this.open) {
      if (entry.written < entry.finding.lastStep) this.report(entry.finding, false);
      this.open.delete(kind);
    }
  }

  private check(step: number): void {
    const settings = this.settings();
    const found = new Map<FindingKind, Diagnosis>();
    for (const d of this.detectors) {
      const diagnosis = d.check(this.history, settings);
      if (diagnosis) found.set(d.kind, diagnosis);
    }
    // Causes already open first, then new ones in DETECTORS order (a Map keeps insertion order).
    const causes = [...[...found.keys()].filter((k) => this.open.has(k)), ...[...found.keys()].filter((k) => !this.open.has(k))];
    for (const kind of causes) {
      if (!found.has(kind)) continue;
      for (const k of EXPLAINS[kind] ?? []) if (!this.open.has(k)) found.delete(k);
    }
    for (const [kind, entry] of this.open) {
      if (found.has(kind)) continue;
      if (entry.written < entry.finding.lastStep) this.report(entry.finding, false);
      this.open.delete(kind);
    }
    for (const [kind, diagnosis] of found) {
      const entry = this.open.get(kind);
      if (!entry) {
        const finding: Finding = { step, lastStep: step, kind, ...diagnosis };
        this.open.set(kind, { finding, written: step });
        this.report(finding, true);
        continue;
      }
      entry.finding = { ...entry.finding, ...diagnosis, lastStep: step };
      if (step - entry.written >= UPDATE_EVERY) {
        entry.written = step;
        this.report(entry.finding, false);
      }
    }
  }

  private settings(): RunSettings {
    const { d, g } = this.s.optimizerState;
    return {
      loss: this.s.lossOptions.loss, realLabel: this.s.lossOptions.realLabel, learningRateD: d.settings.learningRate,
      learningRateG: g.settings.learningRate, batchSize: this.s.preset.batchSize, generator: this.s.preset.generator, discriminator: this.s.preset.discriminator,
    };
  }

  /** Each layer's gradient norm in the last step, from the optimisers' squared norms per variable. */
  private gradNorms(): Record<string, number> {
    const norms: Record<string, number> = {};
    const { d, g } = this.s.optimizerState;
    for (const [net, adam, squares] of [[this.s.gan.generator, g, this.s.lastGradSquares.g], [this.s.gan.discriminator, d, this.s.lastGradSquares.d]] as const) {
      for (const layer of net.layers) {
        if (layer.trainable.length === 0) continue;
        norms[layer.name] = Math.sqrt(layer.trainable.reduce((sum, v) => sum + (squares[adam.variables.indexOf(v)] ?? 0), 0));
      }
    }
    return norms;
  }

  /** The training images and held-out test images for nearest-neighbour distances; null without a test split. */
  private nearestSets(): NearestSets | null {
    if (this.nearest !== undefined) return this.nearest;
    const pixels = this.s.image.size ** 2 * this.s.image.channels;
    let test;
    try {
      test = loadTestSet(this.s.preset.dataset);
    } catch {
      return (this.nearest = null); // no held-out images: memorisation cannot be measured on this dataset
    }
    if (test.rows !== this.s.image.size || test.channels !== this.s.image.channels) return (this.nearest = null);
    // Drawn from a stream of its own, so the run's stream is untouched and the sets are the same on every check.
    const random = seededRandom(Math.imul(this.s.config.seed ^ 0x2545f491, 2246822519));
    const pick = (count: number, n: number) => Array.from({ length: Math.min(n, count) }, (_, i) => (n >= count ? i : Math.floor(random() * count)));
    const reference = new Float32Array(Math.min(REFERENCE_IMAGES, this.s.images.count) * pixels);
    pick(this.s.images.count, REFERENCE_IMAGES).forEach((index, i) => reference.set(this.s.images.image(index), i * pixels));
    const testPixels = new Float32Array(Math.min(TEST_IMAGES, test.count) * pixels);
    pick(test.count, TEST_IMAGES).forEach((index, i) => {
      for (let p = 0; p < pixels; p++) testPixels[i * pixels + p] = test.pixels[index * pixels + p] / 127.5 - 1;
    });
    return (this.nearest = { reference, test: testPixels, pixels });
  }
}
