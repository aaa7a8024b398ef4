// Reads what a run directory holds for the panels, incrementally: only the bytes appended since the last read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GRAPH_FILE, ModelGraph, modelGraphProblem, PROBES_FILE, ProbeSnapshot, probeSnapshotProblem } from '../../protocol/probes';
import { METRICS_FILE, SAMPLES_DIR, sampleFileName } from '../../protocol/runDir';
import { ScoreRecord, scoreRecordProblem, StepMetrics, stepMetricsProblem } from '../../protocol/trainer';

/** Complete lines appended to a file since the last call; starts over when the file shrank (rewritten on resume). */
export class JsonlTail {
  private offset = 0;
  private partial = '';

  constructor(readonly file: string) {}

  /** `reset`: the file was rewritten, so what was read before no longer holds. */
  read(): { reset: boolean; values: unknown[] } {
    let size: number;
    try {
      size = fs.statSync(this.file).size;
    } catch {
      return { reset: false, values: [] };
    }
    const reset = size < this.offset;
    if (reset) {
      this.offset = 0;
      this.partial = '';
    }
    if (size === this.offset) return { reset, values: [] };
    const fd = fs.openSync(this.file, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(size - this.offset);
      fs.readSync(fd, buffer, 0, buffer.length, this.offset);
      text = this.partial + buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
    this.offset = size;
    const lines = text.split('\n');
    // The last piece has no newline yet: a line still being written. It is kept for the next read.
    this.partial = lines.pop() ?? '';
    const values: unknown[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        values.push(JSON.parse(line));
      } catch {
        // A torn line (a killed writer) is skipped, as the trainer's own reader does.
      }
    }
    return { reset, values };
  }
}

export interface RunFilesUpdate {
  /** Set when graph.json is new or changed. */
  graph?: ModelGraph;
  /** The records below replace, rather than extend, what was read before. */
  reset: boolean;
  snapshots: ProbeSnapshot[];
  steps: StepMetrics[];
  scores: ScoreRecord[];
  /** Set when the list of sample grids changed. */
  sampleSteps?: number[];
  /** Files that exist but could not be used, with why. */
  problems: string[];
}

const SAMPLE_NAME = /^step-(\d+)\.png$/;

export class RunFiles {
  private readonly metrics: JsonlTail;
  private readonly probes: JsonlTail;
  private graphStamp = '';
  private samplesKey = '';

  constructor(readonly dir: string) {
    this.metrics = new JsonlTail(path.join(dir, METRICS_FILE));
    this.probes = new JsonlTail(path.join(dir, PROBES_FILE));
  }

  read(): RunFilesUpdate {
    const update: RunFilesUpdate = { reset: false, snapshots: [], steps: [], scores: [], problems: [] };
    this.readGraph(update);
    const metrics = this.metrics.read();
    const probes = this.probes.read();
    update.reset = metrics.reset || probes.reset;
    for (const value of metrics.values) {
      // metrics.jsonl holds step lines and score lines, told apart by their `scores` field.
      const isScore = typeof value === 'object' && value !== null && 'scores' in value;
      if (isScore && !scoreRecordProblem(value, 'line')) update.scores.push(value as ScoreRecord);
      else if (!isScore && !stepMetricsProblem(value, 'line')) update.steps.push(value as StepMetrics);
    }
    for (const value of probes.values) {
      if (!probeSnapshotProblem(value, 'line')) update.snapshots.push(value as ProbeSnapshot);
    }
    const steps = this.sampleSteps();
    const key = steps.join(',');
    if (key !== this.samplesKey) {
      this.samplesKey = key;
      update.sampleSteps = steps;
    }
    return update;
  }

  /** Steps with a grid in samples/, ascending. */
  sampleSteps(): number[] {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(this.dir, SAMPLES_DIR));
    } catch {
      return [];
    }
    return names.map((n) => SAMPLE_NAME.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
  }

  /** The grid of `step` as a data: URI (the panels draw it on canvases, which a data: URI never taints). */
  sampleUri(step: number): string {
    const png = fs.readFileSync(path.join(this.dir, SAMPLES_DIR, sampleFileName(step)));
    return `data:image/png;base64,${png.toString('base64')}`;
  }

  private readGraph(update: RunFilesUpdate): void {
    const file = path.join(this.dir, GRAPH_FILE);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return;
    }
    const stamp = `${stat.mtimeMs}:${stat.size}`;
    if (stamp === this.graphStamp) return;
    try {
      const graph = JSON.parse(fs.readFileSync(file, 'utf8'));
      const error = modelGraphProblem(graph, GRAPH_FILE);
      if (error) update.problems.push(`${file} is not a model graph: ${error}`);
      else update.graph = graph;
      this.graphStamp = stamp;
    } catch (err) {
      // Half-written (the trainer renames it into place, but a copy may be mid-way): tried again on the next read.
      update.problems.push(`cannot read ${file}: ${(err as Error).message}`);
    }
  }
}
