// Reads run directories written by the trainer (from the extension or the CLI).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METRICS_FILE, MetricsRecord, parseMetrics, RUN_FILE, RunRecord, runRecordProblem, SAMPLES_DIR } from '../protocol/runDir';

export interface RunSummary {
  id: string;
  dir: string;
  record?: RunRecord;
  /** Why run.json could not be used, when it could not. */
  problem?: string;
  lastMetrics?: MetricsRecord;
  latestSample?: string;
}

export function listRuns(runsDir: string): RunSummary[] {
  let names: string[];
  try {
    names = fs.readdirSync(runsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
  return names.sort().reverse().map((name) => readRun(path.join(runsDir, name)));
}

export function readRun(dir: string): RunSummary {
  const summary: RunSummary = { id: path.basename(dir), dir };
  try {
    const record = JSON.parse(fs.readFileSync(path.join(dir, RUN_FILE), 'utf8'));
    const error = runRecordProblem(record, RUN_FILE);
    if (error) summary.problem = error;
    else summary.record = record;
  } catch (err) {
    summary.problem = `cannot read ${RUN_FILE}: ${(err as Error).message}`;
  }
  summary.lastMetrics = lastMetrics(path.join(dir, METRICS_FILE));
  const samples = safeReaddir(path.join(dir, SAMPLES_DIR)).filter((f) => f.endsWith('.png')).sort();
  if (samples.length) summary.latestSample = path.join(dir, SAMPLES_DIR, samples[samples.length - 1]);
  return summary;
}

/** The last complete, valid line of metrics.jsonl; reads only the file's tail. */
export function lastMetrics(file: string): MetricsRecord | undefined {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const length = Math.min(size, 8192);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  // The tail's first line may start mid-record and its last may be cut by a killed trainer: both are skipped.
  return parseMetrics(text).records.at(-1);
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
