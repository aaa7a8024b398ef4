// The run directory's records: what the trainer writes and the extension (and CLI users) read.
import { GanDefinition } from '../ganFile/types';
import { ganDefinitionProblem } from '../ganFile/validate';
import { arrayOf, Validator, nonNegInt, object, oneOf, optional, str } from './check';
import { RunConfig, runConfigProblem, StepMetrics, stepMetricsProblem } from './trainer';

export const RUN_SCHEMA_VERSION = 1;

/** `run.json`: written once when a run starts. */
export interface RunRecord {
  schema: number;
  id: string;
  createdAt: string;
  config: RunConfig;
  backend: string;
  device: string;
  tfjsVersion: string;
  batchSize: number;
  /** Latent size, image size and channels of the preset's models. */
  model: { latentDim: number; imageSize: number; channels: number };
  /**
   * The fully resolved GAN (src/ganFile), with the run's loss, label smoothing, seed and dataset folded in, so the
   * run can be rebuilt from this file alone. Absent in runs from before `.gan.json` files.
   */
  definition?: GanDefinition;
  /** A branch: the run (its id) and the step of its checkpoint this run started from. */
  parent?: RunParent;
}

export interface RunParent {
  run: string;
  step: number;
}

export const runRecordProblem: Validator = object({
  schema: nonNegInt,
  id: str,
  createdAt: str,
  config: runConfigProblem,
  backend: str,
  device: str,
  tfjsVersion: str,
  batchSize: nonNegInt,
  model: object({ latentDim: nonNegInt, imageSize: nonNegInt, channels: nonNegInt }),
  definition: optional(ganDefinitionProblem),
  parent: optional(object({ run: str, step: nonNegInt })),
});

/** A step line of `metrics.jsonl` (its kinds of line: src/runFolder/records.ts). */
export type MetricsRecord = StepMetrics;
export const metricsRecordProblem = stepMetricsProblem;

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const SAMPLES_DIR = 'samples';
export const CHECKPOINTS_DIR = 'checkpoints';

/**
/**
 * `checkpoints/step-000200/`: one folder a checkpoint, renamed into place only once complete, so any folder with
 * this name is whole. It holds `checkpoint.json` (this manifest) and `weights.bin` (every tensor, little-endian,
 * in manifest order; the manifest's `weightsManifest` is in tfjs's weights-manifest format).
 */
export const CHECKPOINT_FILE = 'checkpoint.json';
export const CHECKPOINT_WEIGHTS_FILE = 'weights.bin';
export const CHECKPOINT_FORMAT = 'ganscope-checkpoint';

export function checkpointDirName(step: number): string {
  return stepName(step);
}

export interface CheckpointTensorSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  step: number;
  createdAt: string;
  /** Scalars a resumed run needs besides tensors: RNG states, the sampler's cursor, Adam's update counts. */
  state: { random: number; samplerRandom: number; samplerCursor: number; adamStepD: number; adamStepG: number };
  /** Byte length of weights.bin, so a short file is caught before it is read. */
  bytes: number;
  /** The run's definition as it trains at this step, live changes included (absent in older checkpoints). */
  definition?: GanDefinition;
  weightsManifest: { paths: string[]; weights: CheckpointTensorSpec[] }[];
}

export const checkpointManifestProblem: Validator = object({
  format: oneOf(CHECKPOINT_FORMAT),
  version: (v, p) => (v === 1 ? undefined : `${p} must be 1 (this GANscope reads checkpoint version 1)`),
  step: nonNegInt,
  createdAt: str,
  state: object({ random: nonNegInt, samplerRandom: nonNegInt, samplerCursor: nonNegInt, adamStepD: nonNegInt, adamStepG: nonNegInt }),
  bytes: nonNegInt,
  definition: optional(ganDefinitionProblem),
  weightsManifest: arrayOf(object({
    paths: arrayOf(str),
    weights: arrayOf(object({ name: str, shape: arrayOf(nonNegInt), dtype: oneOf('float32', 'int32') })),
  })),
});

/** `samples/step-000120.png`. */
export function sampleFileName(step: number): string {
  return `${stepName(step)}.png`;
}

/** `step-000120`: zero-padded so names sort by step. */
function stepName(step: number): string {
  return `step-${String(step).padStart(6, '0')}`;
}
