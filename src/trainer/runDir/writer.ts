// Writes a run's directory: run.json once, metrics.jsonl appended a line a step, sample PNGs renamed into place,
// graph.json rewritten whole, probes.jsonl appended a snapshot a line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Validator } from '../../protocol/check';
import { Finding, FINDINGS_FILE, findingProblem } from '../../protocol/findings';
import { GRAPH_FILE, ModelGraph, PROBES_FILE, ProbeSnapshot, probeSnapshotProblem } from '../../protocol/probes';
import { ScoreRecord } from '../../protocol/trainer';
import { METRICS_FILE, metricsLineProblem, MetricsRecord, RUN_FILE, RunRecord, runRecordProblem, SAMPLES_DIR, sampleFileName } from '../../protocol/runDir';

export class RunWriter {
  private metricsFd: number | undefined;
  private probesFd: number | undefined;
  private findingsFd: number | undefined;

  /** `readOnly`: a run opened to inspect it, whose files are never written. */
  private constructor(readonly id: string, readonly dir: string, readonly readOnly = false) {
    if (!readOnly) this.metricsFd = fs.openSync(path.join(dir, METRICS_FILE), 'a');
  }

  /** An existing run opened only to read it (inspecting a past run): appending to it throws. */
  static readOnly(dir: string): RunWriter {
    return new RunWriter(path.basename(dir), dir, true);
  }

  /** Creates `<runsDir>/<id>/` (suffixing the id if it is taken) and writes run.json with the final id. */
  static create(runsDir: string, baseId: string, record: Omit<RunRecord, 'id'>): RunWriter {
    fs.mkdirSync(runsDir, { recursive: true });
    for (let n = 1; ; n++) {
      const id = n === 1 ? baseId : `${baseId}-${n}`;
      const dir = path.resolve(runsDir, id);
      try {
        fs.mkdirSync(dir); // not recursive: fails if another run took the name
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw new Error(`Cannot create run folder ${dir}: ${(e as Error).message}`);
      }
      fs.mkdirSync(path.join(dir, SAMPLES_DIR));
      writeAtomically(path.join(dir, RUN_FILE), JSON.stringify({ ...record, id }, null, 2) + '\n');
      return new RunWriter(id, dir);
    }
  }

  /**
   * Reopens an existing run to continue it from `step`: metrics.jsonl and probes.jsonl keep their complete, valid lines up to that step
   * (a line cut by a kill, or steps trained after the checkpoint, are cut off), so appended lines follow on cleanly.
   */
  static resume(dir: string, step: number): RunWriter {
    cutBack(path.join(dir, METRICS_FILE), step, metricsLineProblem);
    cutBack(path.join(dir, PROBES_FILE), step, probeSnapshotProblem);
    cutBack(path.join(dir, FINDINGS_FILE), step, findingProblem);
    fs.mkdirSync(path.join(dir, SAMPLES_DIR), { recursive: true });
    return new RunWriter(path.basename(dir), dir);
  }

  /** Reads and checks a run's run.json. */
  static readRecord(dir: string): RunRecord {
    const file = path.join(dir, RUN_FILE);
    let record: unknown;
    try {
      record = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`${file} cannot be read (${(e as Error).message}); is it a GANscope run folder?`);
    }
    const error = runRecordProblem(record, 'run.json');
    if (error) throw new Error(`${file} is not a valid run record (${error})`);
    return record as RunRecord;
  }

  appendMetrics(record: MetricsRecord): void {
    if (this.metricsFd === undefined) throw new Error(`run ${this.id} is ${this.readOnly ? 'open only to be inspected' : 'closed'}`);
    fs.writeSync(this.metricsFd, JSON.stringify(record) + '\n');
  }

  /** A score line of metrics.jsonl (told apart from step lines by its `scores` field). */
  appendScores(record: ScoreRecord): void {
    if (this.metricsFd === undefined) throw new Error(`run ${this.id} is ${this.readOnly ? 'open only to be inspected' : 'closed'}`);
    fs.writeSync(this.metricsFd, JSON.stringify(record) + '\n');
  }

  /** Returns the sample's path. Written to a temp name and renamed, so readers never see half a PNG. */
  writeSample(step: number, png: Uint8Array): string {
    const file = path.join(this.dir, SAMPLES_DIR, sampleFileName(step));
    writeAtomically(file, png);
    return file;
  }

  /** graph.json, replaced whole (temp name + rename) so a reader never sees half of it. */
  writeGraph(graph: ModelGraph): void {
    if (this.readOnly) throw new Error(`run ${this.id} is open only to be inspected`);
    writeAtomically(path.join(this.dir, GRAPH_FILE), JSON.stringify(graph) + '\n');
  }

  /** One line of probes.jsonl. Opened on first use, so runs without probes have no empty file. */
  appendProbe(snapshot: ProbeSnapshot): void {
    if (this.readOnly || this.metricsFd === undefined) throw new Error(`run ${this.id} is ${this.readOnly ? 'open only to be inspected' : 'closed'}`);
    this.probesFd ??= fs.openSync(path.join(this.dir, PROBES_FILE), 'a');
    fs.writeSync(this.probesFd, JSON.stringify(snapshot) + '\n');
  }

  /** One line of findings.jsonl (a new finding, or a later state of one: same step, later lastStep). Opened on first use. */
  appendFinding(finding: Finding): void {
    if (this.readOnly || this.metricsFd === undefined) throw new Error(`run ${this.id} is ${this.readOnly ? 'open only to be inspected' : 'closed'}`);
    this.findingsFd ??= fs.openSync(path.join(this.dir, FINDINGS_FILE), 'a');
    fs.writeSync(this.findingsFd, JSON.stringify(finding) + '\n');
  }

  close(): void {
    for (const fd of [this.metricsFd, this.probesFd, this.findingsFd]) {
      if (fd === undefined) continue;
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }
    this.metricsFd = undefined;
    this.probesFd = undefined;
    this.findingsFd = undefined;
  }
}

/** A sortable, readable run id: `2026-11-28T22-50-01-mnist-dcgan` (UTC; colons are not allowed on Windows). */
export function makeRunId(preset: string, now = new Date()): string {
  return `${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${preset}`;
}

/** Keeps a JSON-lines file's complete, valid lines up to `step`: what a run resumed at `step` should follow on from. */
function cutBack(file: string, step: number, check: Validator): void {
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, 'utf8');
  let at = 0;
  while (at < text.length) {
    const end = text.indexOf('\n', at);
    if (end < 0) break;
    let record: unknown;
    try {
      record = JSON.parse(text.slice(at, end));
    } catch {
      break;
    }
    if (check(record, 'line') || (record as { step: number }).step > step) break;
    at = end + 1;
  }
  fs.truncateSync(file, Buffer.byteLength(text.slice(0, at)));
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
