// The run directory's records: what the trainer writes and the extension (and CLI users) read.
import { Check, nonNegInt, object, str } from './check';
import { RunConfig, runConfigCheck, StepMetrics, stepMetricsCheck } from './trainer';

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
}

export const runRecordCheck: Check = object({
  schema: nonNegInt,
  id: str,
  createdAt: str,
  config: runConfigCheck,
  backend: str,
  device: str,
  tfjsVersion: str,
  batchSize: nonNegInt,
  model: object({ latentDim: nonNegInt, imageSize: nonNegInt, channels: nonNegInt }),
});

/** One line of `metrics.jsonl`. */
export type MetricsRecord = StepMetrics;
export const metricsRecordCheck = stepMetricsCheck;

export const RUN_FILE = 'run.json';
export const METRICS_FILE = 'metrics.jsonl';
export const SAMPLES_DIR = 'samples';

/** `samples/step-000120.png`: zero-padded so names sort by step. */
export function sampleFileName(step: number): string {
  return `step-${String(step).padStart(6, '0')}.png`;
}
