// Reads run folders, for the extension, its panels and the trainer's resume: run.json, graph.json, the sample grids,
// and metrics.jsonl / probes.jsonl / findings.jsonl followed as they grow. Nothing else parses a run folder's files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding, FINDINGS_FILE } from '../protocol/findings';
import { GRAPH_FILE, ModelGraph, PROBES_FILE, ProbeSnapshot } from '../protocol/probes';
import { METRICS_FILE, RUN_FILE, RunRecord, SAMPLES_DIR, sampleFileName } from '../protocol/runDir';
import { ScoreRecord, StepMetrics } from '../protocol/trainer';
import { EachRecord, JsonLinesTail } from './jsonLines';
import { ChangedRecord, MetricsLine, parseFindingLine, parseMetricsLine, parseModelGraph, parseProbeLine, parseRunRecord, parseSampleSteps, RecordParser } from './records';

/** A run folder opened to read: the trainer inspects a past run with this, never with a writer. */
export interface RunRef {
  id: string;
  dir: string;
  record: RunRecord;
}

/** How much of metrics.jsonl's end is read for its last step: many lines' worth. */
const LAST_STEP_BYTES = 64 * 1024;

export function metricsTail(dir: string, from?: number): JsonLinesTail<MetricsLine> {
  return new JsonLinesTail(path.join(dir, METRICS_FILE), parseMetricsLine, { from });
}

export function probesTail(dir: string): JsonLinesTail<ProbeSnapshot> {
  return new JsonLinesTail(path.join(dir, PROBES_FILE), parseProbeLine);
}

/** findings.jsonl: each line a new finding or a later state of one (fold them with `currentFindings`). */
export function findingsTail(dir: string): JsonLinesTail<Finding> {
  return new JsonLinesTail(path.join(dir, FINDINGS_FILE), parseFindingLine);
}

/** run.json of `dir`; throws saying what is wrong with it. */
export async function readRunRecord(dir: string): Promise<RunRecord> {
  const file = path.join(dir, RUN_FILE);
  return jsonDocument(file, await fs.promises.readFile(file, 'utf8').catch((e: Error) => e), parseRunRecord, 'a valid run record');
}

/** The run in `dir` as the trainer opens it to resume or inspect; throws saying what is wrong with its run.json. */
export function readRunSync(dir: string): RunRef {
  const file = path.join(dir, RUN_FILE);
  let text: string | Error;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    text = e as Error;
  }
  return { id: path.basename(dir), dir, record: jsonDocument(file, text, parseRunRecord, 'a valid run record') };
}

/** graph.json of `dir`; throws saying what is wrong with it. */
export async function readGraph(dir: string): Promise<ModelGraph> {
  const file = path.join(dir, GRAPH_FILE);
  return jsonDocument(file, await fs.promises.readFile(file, 'utf8').catch((e: Error) => e), parseModelGraph, 'a model graph');
}

/** Steps with a grid in samples/, ascending. */
export async function readSampleSteps(dir: string): Promise<number[]> {
  return parseSampleSteps(await fs.promises.readdir(path.join(dir, SAMPLES_DIR)).catch(() => []));
}

export function sampleFile(dir: string, step: number): string {
  return path.join(dir, SAMPLES_DIR, sampleFileName(step));
}

/** The grid of `step` as a data: URI (panels draw it on canvases, which a data: URI never taints). */
export async function readSampleUri(dir: string, step: number): Promise<string> {
  return `data:image/png;base64,${(await fs.promises.readFile(sampleFile(dir, step))).toString('base64')}`;
}

/** The last complete, valid step line of metrics.jsonl; reads only the file's end. */
export async function readLastStep(dir: string): Promise<StepMetrics | undefined> {
  const size = await fs.promises.stat(path.join(dir, METRICS_FILE)).then((s) => s.size, () => 0);
  const { records } = await metricsTail(dir, Math.max(0, size - LAST_STEP_BYTES)).read();
  return records.findLast((line): line is Extract<MetricsLine, { kind: 'step' }> => line.kind === 'step')?.record;
}

/** A whole JSON document (run.json, graph.json) checked by `parse`; throws naming the file and what is wrong. */
function jsonDocument<T>(file: string, text: string | Error, parse: RecordParser<T>, what: string): T {
  let value: unknown;
  try {
    if (text instanceof Error) throw text;
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} cannot be read (${(e as Error).message}); is it a GANscope run folder?`);
  }
  const parsed = parse(value, path.basename(file));
  if (!parsed.ok) throw new Error(`${file} is not ${what} (${parsed.error})`);
  return parsed.value;
}

export interface RunFolderUpdate {
  /** Set when graph.json is new or changed. */
  graph?: ModelGraph;
  /** The records below replace, rather than extend, what was read before. */
  reset: boolean;
  snapshots: ProbeSnapshot[];
  steps: StepMetrics[];
  scores: ScoreRecord[];
  /** metrics.jsonl's lines that say what changed mid-run. */
  changes: ChangedRecord[];
  /** New lines of findings.jsonl, in order. */
  findings: Finding[];
  /** Set when the list of sample grids changed. */
  sampleSteps?: number[];
  /** Files that exist but could not be used, with why. */
  problems: string[];
}

/** One run folder followed as the trainer writes it: each read returns only what is new since the last. */
export class RunFolderReader {
  private readonly metrics: JsonLinesTail<MetricsLine>;
  private readonly probes: JsonLinesTail<ProbeSnapshot>;
  private readonly findings: JsonLinesTail<Finding>;
  private graphStamp = '';
  private samplesKey = '';

  constructor(readonly dir: string) {
    this.metrics = metricsTail(dir);
    this.probes = probesTail(dir);
    this.findings = findingsTail(dir);
  }

  /**
   * What is new in the run's files. With `eachMetric`, metrics.jsonl's lines go to it as they are read (a huge file is
   * never held whole) rather than into the update; returning false stops there, and the next read goes on from it.
   */
  async read(eachMetric?: EachRecord<MetricsLine>): Promise<RunFolderUpdate> {
    const lines: MetricsLine[] = [];
    const [graph, metrics, probes, findings, sampleSteps] = await Promise.all([
      this.changedGraph(), this.metrics.scan(eachMetric ?? ((line) => void lines.push(line))), this.probes.read(), this.findings.read(), readSampleSteps(this.dir),
    ]);
    const update: RunFolderUpdate = {
      ...graph, reset: metrics.reset || probes.reset || findings.reset, snapshots: probes.records, steps: [], scores: [], changes: [], findings: findings.records,
    };
    for (const line of lines) {
      if (line.kind === 'step') update.steps.push(line.record);
      else if (line.kind === 'scores') update.scores.push(line.record);
      else update.changes.push(line.record);
    }
    const key = sampleSteps.join(',');
    if (key !== this.samplesKey) {
      this.samplesKey = key;
      update.sampleSteps = sampleSteps;
    }
    return update;
  }

  sampleUri(step: number): Promise<string> {
    return readSampleUri(this.dir, step);
  }

  /** graph.json when it is new or changed since the last read. */
  private async changedGraph(): Promise<{ graph?: ModelGraph; problems: string[] }> {
    const file = path.join(this.dir, GRAPH_FILE);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    const stamp = stat ? `${stat.mtimeMs}:${stat.size}` : '';
    if (stamp === this.graphStamp) return { problems: [] };
    try {
      const graph = await readGraph(this.dir);
      this.graphStamp = stamp;
      return { graph, problems: [] };
    } catch (err) {
      // Not written yet, half-copied or damaged: tried again on the next read.
      return { problems: stat ? [(err as Error).message] : [] };
    }
  }
}
