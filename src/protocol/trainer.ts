// The contract between the extension host and the trainer child process.
import { arrayOf, bool, bytes, Validator, nonNegInt, num, numberRecord, object, oneOf, optional, str, union } from './check';
import { ProbeQuery, probeQueryProblem, ProbeResult, probeResultProblem } from './probes';
import { fraction, GanLoss, GAN_LOSSES } from './runOptions';

export { BACKENDS, DEFAULT_CHECKPOINT_EVERY, GAN_LOSSES } from './runOptions';
export type { BackendChoice, GanLoss } from './runOptions';

/** What the user asked for when starting a run. */
export interface RunConfig {
  /** A built-in preset's name; with `gan`, the name the run goes by (the file's). */
  preset: string;
  /** A `.gan.json` (absolute path) to train instead of the preset. */
  gan?: string;
  /** Which images: `mnist`, `fashion-mnist:<folder>`, `idx:<file>`, `cifar10:<folder>`, `folder:<folder>` (protocol/dataset.ts). */
  dataset: string;
  /** Stop after this many steps; 0 trains until stopped. */
  steps: number;
  seed: number;
  /** Folder that holds one sub-folder per run. */
  runsDir: string;
  /** Write a fixed-noise sample grid every this many steps. */
  sampleEvery: number;
  /** Write a checkpoint every this many steps (and always on stop); 0: only on stop. Default DEFAULT_CHECKPOINT_EVERY. */
  checkpointEvery?: number;
  /**
   * A run directory to continue from its last checkpoint: same directory, same metrics.jsonl, step count continued.
   * The run's own preset, dataset, seed and losses (from its run.json) are used; those given here are ignored.
   */
  resume?: string;
  /**
   * A run directory whose newest checkpoint (weights, optimiser state, sampler and random streams) a new run starts
   * from, at that checkpoint's step: a branch, trained with this config's GAN; its run.json records the parent.
   */
  branchFrom?: string;
  /** Append a ProbeSnapshot to probes.jsonl (and send it) every this many steps; 0: never. Default DEFAULT_PROBE_EVERY. */
  probeEvery?: number;
  /** Score the generator (IS, FID, SWD, class histogram) every this many steps; 0: never. Default: the preset's. */
  scoreEvery?: number;
  /** G's loss; default: the preset's ('feature-matching' for mnist-ssgan-100, else 'non-saturating'). */
  loss?: GanLoss;
  /** One-sided label smoothing: D's target for real images is 1 − labelSmoothing (e.g. 0.1); default 0. */
  labelSmoothing?: number;
  /** Progressive presets: steps of each fade-in and of each stable phase, in place of the preset's (e.g. 20 for a quick look at every resolution). */
  growSteps?: number;
}

export const runConfigProblem: Validator = object({
  preset: str,
  gan: optional(str),
  dataset: str,
  steps: nonNegInt,
  seed: nonNegInt,
  runsDir: str,
  sampleEvery: nonNegInt,
  checkpointEvery: optional(nonNegInt),
  resume: optional(str),
  branchFrom: optional(str),
  probeEvery: optional(nonNegInt),
  scoreEvery: optional(nonNegInt),
  loss: optional(oneOf(...GAN_LOSSES)),
  labelSmoothing: optional(fraction),
  growSteps: optional((v, p) => (Number.isInteger(v) && (v as number) >= 1 ? undefined : `${p} must be a whole number of steps, at least 1`)),
});

export interface StepMetrics {
  step: number;
  /** Wall-clock milliseconds since the run (or its resumption) started. */
  time: number;
  dLoss: number;
  gLoss: number;
  /** Mean D(x) over the real batch. */
  dReal: number;
  /** Mean D(G(z)) over the generated batch. */
  dFake: number;
  imagesPerSec: number;
  /** Any other per-step values the trainer logs (learning rates, a progressive run's resolution and α, …), by name. */
  extra?: Record<string, number>;
  /** A step taken in step mode: the network(s) it updated (the other's loss is measured, not trained on). */
  update?: StepUpdate;
}

/** What one step-mode step updates: D, G, or D then G. */
export const STEP_UPDATES = ['discriminator', 'generator', 'both'] as const;
export type StepUpdate = (typeof STEP_UPDATES)[number];

/** The fixed-noise grid and D's mean verdicts at one step: D(x) on a probe batch of real images, D(G(z)) on the grid's images. */
export interface StepView {
  step: number;
  /** The grid as PNG bytes. */
  grid: Uint8Array;
  dReal: number;
  dFake: number;
}

const stepViewProblem: Validator = object({ step: nonNegInt, grid: bytes, dReal: num, dFake: num });

/** A metrics.jsonl line with scores of the generator (Inception Score, Fréchet distance, SWD, …), every `scoreEvery` steps. */
export interface ScoreRecord {
  step: number;
  time: number;
  /** By name, e.g. `inceptionScore`, `frechetDistance`, `swd`, `classEntropy`, `testAccuracy`. */
  scores: Record<string, number>;
  /** Mode-collapse indicator: the fraction of generated samples the classifier assigns to each class. */
  classHistogram?: number[];
}

export const scoreRecordProblem: Validator = object({ step: nonNegInt, time: num, scores: numberRecord, classHistogram: optional(arrayOf(num)) });

export const stepMetricsProblem: Validator = object({
  step: nonNegInt, time: num, dLoss: num, gLoss: num, dReal: num, dFake: num, imagesPerSec: num, extra: optional(numberRecord),
  update: optional(oneOf(...STEP_UPDATES)),
});

export type TrainerRequest =
  | { type: 'start'; config: RunConfig }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Answered by a `probeResult` or `probeError` with the same id; works while training, paused or inspecting. */
  | { type: 'probe'; id: number; query: ProbeQuery }
  /** Loads a past run's latest checkpoint without training, so probes can be answered on it (then `inspecting`). */
  | { type: 'inspect'; runDir: string }
  /** The run's `.gan.json` was saved: its live fields apply at the next step (src/ganFile/liveChanges.ts), logged to metrics.jsonl. */
  | { type: 'applyGanFile'; file: string }
  /** Step mode, only while paused: one update, answered by `stepped` or `stepError` with the same id; the run stays paused. */
  | { type: 'step'; id: number; update: StepUpdate };

export interface SkippedBackend { backend: string; reason: string }

/**
 * What the trainer has just written to the run folder, which the host reads there: a step line or a score line of
 * metrics.jsonl, a probes.jsonl line, graph.json (at the start and whenever the model changes shape), a sample grid,
 * a findings.jsonl line (a new finding of the GAN doctor or a later state of one; `step`: its lastStep).
 */
export const WRITTEN = ['step', 'scores', 'probe', 'graph', 'sample', 'finding'] as const;
export type Written = (typeof WRITTEN)[number];

export type TrainerEvent =
  | { type: 'ready'; backend: string; device: string; threads: number; skipped: SkippedBackend[]; tfjsVersion: string }
  | { type: 'started'; runId: string; runDir: string; preset: string; batchSize: number; step: number }
  | { type: 'wrote'; record: Written; step: number }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'stopped'; step: number; reason: 'requested' | 'completed' }
  | { type: 'error'; message: string; fatal: boolean }
  | { type: 'log'; message: string }
  | { type: 'probeResult'; id: number; result: ProbeResult }
  | { type: 'probeError'; id: number; message: string }
  | { type: 'inspecting'; runId: string; runDir: string; preset: string; step: number }
  /** A step-mode step is done (its metrics line and grid are written): the grid and D's verdicts before and after it. */
  | { type: 'stepped'; id: number; update: StepUpdate; before: StepView; after: StepView }
  | { type: 'stepError'; id: number; message: string };

export const validateTrainerRequest = union<TrainerRequest>({
  start: { config: runConfigProblem },
  pause: {},
  resume: {},
  stop: {},
  probe: { id: nonNegInt, query: probeQueryProblem },
  inspect: { runDir: str },
  applyGanFile: { file: str },
  step: { id: nonNegInt, update: oneOf(...STEP_UPDATES) },
});

export const validateTrainerEvent = union<TrainerEvent>({
  ready: {
    backend: str, device: str, threads: nonNegInt, tfjsVersion: str,
    skipped: arrayOf(object({ backend: str, reason: str })),
  },
  started: { runId: str, runDir: str, preset: str, batchSize: nonNegInt, step: nonNegInt },
  wrote: { record: oneOf(...WRITTEN), step: nonNegInt },
  paused: { step: nonNegInt },
  resumed: { step: nonNegInt },
  stopped: { step: nonNegInt, reason: oneOf('requested', 'completed') },
  error: { message: str, fatal: bool },
  log: { message: str },
  probeResult: { id: nonNegInt, result: probeResultProblem },
  probeError: { id: nonNegInt, message: str },
  inspecting: { runId: str, runDir: str, preset: str, step: nonNegInt },
  stepped: { id: nonNegInt, update: oneOf(...STEP_UPDATES), before: stepViewProblem, after: stepViewProblem },
  stepError: { id: nonNegInt, message: str },
});
