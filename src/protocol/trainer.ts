// The contract between the extension host and the trainer child process.
import { arrayOf, bool, bytes, Validator, nonNegInt, num, numberRecord, object, oneOf, optional, str, union } from './check';
import { Finding, findingProblem } from './findings';
import { ModelGraph, modelGraphProblem, ProbeQuery, probeQueryProblem, ProbeResult, probeResultProblem, ProbeSnapshot, probeSnapshotProblem } from './probes';

export const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** G's loss; 'feature-matching' (Salimans et al. 2016) matches the mean of D's last hidden features on real and fake batches. */
export const GAN_LOSSES = ['non-saturating', 'minimax', 'feature-matching'] as const;
export type GanLoss = (typeof GAN_LOSSES)[number];

/** Checkpoint every this many steps when a RunConfig says nothing. */
export const DEFAULT_CHECKPOINT_EVERY = 200;

/** What the user asked for when starting a run. */
export interface RunConfig {
  preset: string;
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

/** A number from 0 up to (not including) 1, such as a label-smoothing amount. */
export const fraction: Validator = (v, p) => (typeof v === 'number' && v >= 0 && v < 1 ? undefined : `${p} must be a number from 0 up to (not including) 1`);

export const runConfigProblem: Validator = object({
  preset: str,
  dataset: str,
  steps: nonNegInt,
  seed: nonNegInt,
  runsDir: str,
  sampleEvery: nonNegInt,
  checkpointEvery: optional(nonNegInt),
  resume: optional(str),
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
}

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
});

export type TrainerRequest =
  | { type: 'start'; config: RunConfig }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  /** Answered by a `probeResult` or `probeError` with the same id; works while training, paused or inspecting. */
  | { type: 'probe'; id: number; query: ProbeQuery }
  /** Loads a past run's latest checkpoint without training, so probes can be answered on it (then `inspecting`). */
  | { type: 'inspect'; runDir: string };

export interface SkippedBackend { backend: string; reason: string }

export type TrainerEvent =
  | { type: 'ready'; backend: string; device: string; threads: number; skipped: SkippedBackend[]; tfjsVersion: string }
  | { type: 'started'; runId: string; runDir: string; preset: string; batchSize: number; step: number }
  | { type: 'step'; metrics: StepMetrics }
  | { type: 'samples'; step: number; path: string; png: Uint8Array }
  | { type: 'paused'; step: number }
  | { type: 'resumed'; step: number }
  | { type: 'stopped'; step: number; reason: 'requested' | 'completed' }
  | { type: 'error'; message: string; fatal: boolean }
  | { type: 'log'; message: string }
  /** The networks' layers: at start, and again whenever the model changes shape. Also written to graph.json. */
  | { type: 'graph'; graph: ModelGraph }
  /** Every `probeEvery` steps; also appended to probes.jsonl. */
  | { type: 'snapshot'; snapshot: ProbeSnapshot }
  | { type: 'scores'; record: ScoreRecord }
  | { type: 'probeResult'; id: number; result: ProbeResult }
  | { type: 'probeError'; id: number; message: string }
  | { type: 'inspecting'; runId: string; runDir: string; preset: string; step: number }
  /** A new finding of the GAN doctor, also appended to findings.jsonl (which holds its later states). */
  | { type: 'finding'; finding: Finding };

export const validateTrainerRequest = union<TrainerRequest>({
  start: { config: runConfigProblem },
  pause: {},
  resume: {},
  stop: {},
  probe: { id: nonNegInt, query: probeQueryProblem },
  inspect: { runDir: str },
});

export const validateTrainerEvent = union<TrainerEvent>({
  ready: {
    backend: str, device: str, threads: nonNegInt, tfjsVersion: str,
    skipped: arrayOf(object({ backend: str, reason: str })),
  },
  started: { runId: str, runDir: str, preset: str, batchSize: nonNegInt, step: nonNegInt },
  step: { metrics: stepMetricsProblem },
  samples: { step: nonNegInt, path: str, png: bytes },
  paused: { step: nonNegInt },
  resumed: { step: nonNegInt },
  stopped: { step: nonNegInt, reason: oneOf('requested', 'completed') },
  error: { message: str, fatal: bool },
  log: { message: str },
  graph: { graph: modelGraphProblem },
  snapshot: { snapshot: probeSnapshotProblem },
  scores: { record: scoreRecordProblem },
  probeResult: { id: nonNegInt, result: probeResultProblem },
  probeError: { id: nonNegInt, message: str },
  inspecting: { runId: str, runDir: str, preset: str, step: nonNegInt },
  finding: { finding: findingProblem },
});
