// Writes a run's directory: run.json once, metrics.jsonl appended a line a step, sample PNGs renamed into place,
// graph.json rewritten whole, probes.jsonl and findings.jsonl appended a record a line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding, FINDINGS_FILE } from '../../protocol/findings';
import { GRAPH_FILE, ModelGraph, PROBES_FILE, ProbeSnapshot } from '../../protocol/probes';
import { ScoreRecord } from '../../protocol/trainer';
import { METRICS_FILE, MetricsRecord, RUN_FILE, RunRecord, SAMPLES_DIR, sampleFileName } from '../../protocol/runDir';
import { JsonLinesTail } from '../../runFolder/jsonLines';
import { ChangedRecord, parseFindingLine, parseMetricsLine, parseProbeLine, RecordParser } from '../../runFolder/records';
import { ignoreRunsInGit } from './gitignore';

export class RunWriter {
  private metricsFd: number | undefined;
  private probesFd: number | undefined;
  private findingsFd: number | undefined;

  private constructor(readonly id: string, readonly dir: string) {
    this.metricsFd = fs.openSync(path.join(dir, METRICS_FILE), 'a');
  }

  /** Creates `<runsDir>/<id>/` (suffixing the id if it is taken) and writes run.json with the final id. */
  static create(runsDir: string, baseId: string, record: Omit<RunRecord, 'id'>): RunWriter {
    fs.mkdirSync(runsDir, { recursive: true });
    ignoreRunsInGit(runsDir);
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
   * Reopens an existing run to continue it from `step`: metrics.jsonl, probes.jsonl and findings.jsonl keep their lines
   * up to that step (a line cut by a kill, or steps trained after the checkpoint, are cut off), so appended lines follow
   * on cleanly. A finding's line counts at its lastStep: a state past `step` describes steps the run trains again.
   */
  static resume(dir: string, step: number): RunWriter {
    cutBack(path.join(dir, METRICS_FILE), step, parseMetricsLine, (line) => line.record.step);
    cutBack(path.join(dir, PROBES_FILE), step, parseProbeLine, (snapshot) => snapshot.step);
    cutBack(path.join(dir, FINDINGS_FILE), step, parseFindingLine, (finding) => finding.lastStep);
    fs.mkdirSync(path.join(dir, SAMPLES_DIR), { recursive: true });
    return new RunWriter(path.basename(dir), dir);
  }

  appendMetrics(record: MetricsRecord): void {
    fs.writeSync(this.metricsFile(), JSON.stringify(record) + '\n');
  }

  /** A score line of metrics.jsonl (told apart from step lines by its `scores` field). */
  appendScores(record: ScoreRecord): void {
    fs.writeSync(this.metricsFile(), JSON.stringify(record) + '\n');
  }

  /** A live-change line of metrics.jsonl (told apart by its `changed` field). */
  appendChange(record: ChangedRecord): void {
    fs.writeSync(this.metricsFile(), JSON.stringify(record) + '\n');
  }

  /** Returns the sample's path. Written to a temp name and renamed, so readers never see half a PNG. */
  writeSample(step: number, png: Uint8Array): string {
    const file = path.join(this.dir, SAMPLES_DIR, sampleFileName(step));
    writeAtomically(file, png);
    return file;
  }

  /** graph.json, replaced whole (temp name + rename) so a reader never sees half of it. */
  writeGraph(graph: ModelGraph): void {
    writeAtomically(path.join(this.dir, GRAPH_FILE), JSON.stringify(graph) + '\n');
  }

  /** One line of probes.jsonl. Opened on first use, so runs without probes have no empty file. */
  appendProbe(snapshot: ProbeSnapshot): void {
    this.metricsFile();
    this.probesFd ??= fs.openSync(path.join(this.dir, PROBES_FILE), 'a');
    fs.writeSync(this.probesFd, JSON.stringify(snapshot) + '\n');
  }

  /** One line of findings.jsonl (a new finding, or a later state of one: same step, later lastStep). Opened on first use. */
  appendFinding(finding: Finding): void {
    this.metricsFile();
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

  /** metrics.jsonl's descriptor; throws once the run is closed. */
  private metricsFile(): number {
    if (this.metricsFd === undefined) throw new Error(`run ${this.id} is closed`);
    return this.metricsFd;
  }
}

/** A sortable, readable run id: `2026-11-28T22-50-01-mnist-dcgan` (UTC; colons are not allowed on Windows). */
export function makeRunId(preset: string, now = new Date()): string {
  return `${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${preset}`;
}

/**
 * Cuts a JSON-lines file back to what a run resumed at `step` follows on from: everything from the first record past
 * `step` on, and unreadable lines (a line cut by a kill) after the last record kept. Unreadable lines before it stay.
 */
function cutBack<T>(file: string, step: number, parse: RecordParser<T>, stepOf: (record: T) => number): void {
  if (!fs.existsSync(file)) return;
  let keep = 0;
  new JsonLinesTail(file, parse).scanSync((record, end) => {
    if (stepOf(record) > step) return false;
    keep = end;
  });
  fs.truncateSync(file, keep);
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
