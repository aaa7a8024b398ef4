// Temp run folders for the run-directory tests: a run.json record, a RunWriter on a new run, metrics.jsonl as read back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METRICS_FILE, RUN_SCHEMA_VERSION, RunRecord } from '../../../src/protocol/runDir';
import { RunConfig, ScoreRecord, StepMetrics } from '../../../src/protocol/trainer';
import { metricsTail } from '../../../src/runFolder/reader';
import { RunWriter } from '../../../src/trainer/runDir/writer';
import { TrainingSession } from '../../../src/trainer/session';
import { tempDir } from './helpers';

/** What a mnist-tiny run started in `runsDir` writes to run.json, less the id. */
export function runRecord(runsDir: string): Omit<RunRecord, 'id'> {
  return {
    schema: RUN_SCHEMA_VERSION,
    createdAt: new Date().toISOString(),
    config: { preset: 'mnist-tiny', dataset: 'mnist', steps: 2, seed: 1, runsDir, sampleEvery: 1 },
    backend: 'wasm', device: 'CPU (wasm SIMD)', tfjsVersion: '4.22.0', batchSize: 32,
    model: { latentDim: 100, imageSize: 28, channels: 1 },
  };
}

/** A new run `id` in a new temp runs folder named after `prefix`. */
export function createRun(prefix: string, id = 'r'): RunWriter {
  const runsDir = tempDir(prefix);
  return RunWriter.create(runsDir, id, runRecord(runsDir));
}

/** metrics.jsonl of `runDir` as the run-folder reader sees it, and whether its last line is torn (no newline yet). */
export function readMetrics(runDir: string): { steps: StepMetrics[]; scores: ScoreRecord[]; invalid: number; torn: boolean } {
  const read = metricsTail(runDir).readSync();
  const text = fs.readFileSync(path.join(runDir, METRICS_FILE), 'utf8');
  return {
    steps: read.records.flatMap((line) => (line.kind === 'step' ? [line.record] : [])),
    scores: read.records.flatMap((line) => (line.kind === 'scores' ? [line.record] : [])),
    invalid: read.invalid,
    torn: text !== '' && !text.endsWith('\n'),
  };
}

/** A mnist-tiny run with no samples, into `runsDir`: the session tests' run. */
export const tinyConfig = (runsDir: string, extra: Partial<RunConfig> = {}): RunConfig => ({
  preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 3, runsDir, sampleEvery: 0, ...extra,
});

/** Trains `steps` steps and returns each one's D and G losses, D(x) and D(G(z)): what two equal runs must share. */
export async function trainLosses(session: TrainingSession, steps: number): Promise<number[][]> {
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    const m = await session.trainOneStep();
    out.push([m.dLoss, m.gLoss, m.dReal, m.dFake]);
  }
  return out;
}
