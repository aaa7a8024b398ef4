// What the doctor remembers of a run: the last steps' losses, D's outputs and gradient norms, and its own measurements.
import { ScoreRecord } from '../../protocol/trainer';

export interface StepRecord {
  step: number;
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
  /** Gradient L2 norm of each layer with weights, by layer name (G's and D's). */
  gradNorms: Record<string, number>;
  /**
   * A progressive run's network at this step: its resolution, with FADING appended while that resolution fades in
   * (undefined for a network that does not grow).
   */
  phase?: string;
}

export const FADING = ' fading in';

/** The phase of a step from its logged extras: resolution and α of a progressive run. */
export function phaseOf(extra: Record<string, number> | undefined): string | undefined {
  if (extra?.resolution === undefined) return undefined;
  return `${extra.resolution}${(extra.alpha ?? 1) < 1 ? FADING : ''}`;
}

/** The doctor's own measurement on a fresh batch, every MEASURE_EVERY steps (see measure.ts). */
export interface Measurement {
  step: number;
  /** Mean pairwise distance of G's samples over that of real images, in D's last hidden features and in pixels. */
  featureDiversity: number;
  pixelDiversity: number;
  /** Per G layer with a ReLU: the share of its units (channels) that are ≤ 0 for every sample and position. */
  deadShare: Record<string, number>;
  /** RMS of (G in inference mode − G in training mode) over the RMS spread of G's training-mode samples. */
  bnOutputDrift: number;
  /** Largest |batch mean − running mean| / running std over G's batch-norm channels, and its layer. */
  bnMeanGap: number;
  bnLayer: string;
  /** Share of an image's energy at the upsampling grid's frequencies: G's samples and real images (undefined: no grid). */
  gridEnergyFake?: number;
  gridEnergyReal?: number;
  /** Median distance to the nearest training image: of G's samples and of held-out test images (every few measurements). */
  nearestFake?: number;
  nearestTest?: number;
}

/** Bounded: the doctor looks back at most this many steps (the gradient detectors' reference reaches 400 back). */
const KEEP_STEPS = 600;
const KEEP_MEASUREMENTS = 50;

export class History {
  readonly steps: StepRecord[] = [];
  readonly measurements: Measurement[] = [];
  readonly scores: ScoreRecord[] = [];

  get lastStep(): number {
    return this.steps.length ? this.steps[this.steps.length - 1].step : 0;
  }

  addStep(record: StepRecord): void {
    this.steps.push(record);
    if (this.steps.length > KEEP_STEPS) this.steps.shift();
  }

  addMeasurement(m: Measurement): void {
    this.measurements.push(m);
    if (this.measurements.length > KEEP_MEASUREMENTS) this.measurements.shift();
  }

  addScores(record: ScoreRecord): void {
    this.scores.push(record);
    if (this.scores.length > KEEP_MEASUREMENTS) this.scores.shift();
  }

  /** The step records with from ≤ step < to. */
  between(from: number, to: number): StepRecord[] {
    return this.steps.filter((r) => r.step >= from && r.step < to);
  }

  /**
   * Those of them that ran the network the run has now (a progressive run's current resolution), and none while a
   * resolution fades in: a swing or a gradient range measured across a change of network is the network changing.
   */
  inPhase(from: number, to: number): StepRecord[] {
    const phase = this.steps[this.steps.length - 1]?.phase;
    return phase?.endsWith(FADING) ? [] : this.between(from, to).filter((r) => r.phase === phase);
  }
}

export function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
