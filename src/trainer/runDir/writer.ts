// Writes a run's directory: run.json once, metrics.jsonl appended a line a step, sample PNGs renamed into place,
// graph.json rewritten whole, probes.jsonl and findings.jsonl appended a record a line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Finding, FINDINGS_FILE } from '../../protocol/findings';
import { GRAPH_FILE, ModelGraph, PROBES_FILE, ProbeSnapshot } from '../../protocol/probes';
import { ScoreRecord } from '../../protocol/trainer';
import { CHECKPOINTS_DIR, METRICS_FILE, MetricsRecord, RUN_FILE, RunRecord, SAMPLES_DIR, sampleFileName } from '../../protocol/runDir';
import { JsonLinesTail } from '../../runFolder/jsonLines';
import { ChangedRecord, parseFindingLine, parseMetricsLine, parseProbeLine, RecordParser } from '../../runFolder/records';
import { faultPoint, FaultPoint } from './faults';
import { ignoreRunsInGit } from './gitignore';
import { refuseLinks } from './links';
import { RunLock } from './lock';

/** Temp files of writes a killed trainer left half done: `<name>.tmp-<pid>` in the run folder and samples/. */
const LEFTOVER = /^(graph\.json|run\.json|step-\d+\.png)\.tmp-\d+$/;

export class RunWriter {
  private metricsFd: number | undefined;
  private probesFd: number | undefined;
  private findingsFd: number | undefined;

  private constructor(readonly id: string, readonly dir: string, private readonly lock: RunLock, readonly notes: string[] = []) {
    this.metricsFd = openForAppend(path.join(dir, METRICS_FILE));
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
      const { lock } = RunLock.acquire(dir);
      fs.mkdirSync(path.join(dir, SAMPLES_DIR));
      writeAtomically(path.join(dir, RUN_FILE), JSON.stringify({ ...record, id }, null, 2) + '\n');
      return new RunWriter(id, dir, lock);
    }
  }

  /**
   * Reopens an existing run to continue it from `step`, holding its lock: what metrics.jsonl, probes.jsonl and
   * findings.jsonl hold past that step (steps trained after the checkpoint, a line cut by a kill) is moved aside to
   * `<name>.after-step-<step>.jsonl`, so appended lines follow on cleanly and nothing is lost. A finding's line counts
   * at its lastStep: a state past `step` describes steps the run trains again.
   */
  static resume(dir: string, step: number): RunWriter {
    const files = [METRICS_FILE, PROBES_FILE, FINDINGS_FILE].map((name) => path.join(dir, name));
    refuseLinks(dir, path.join(dir, CHECKPOINTS_DIR), path.join(dir, SAMPLES_DIR), ...files);
    const { lock, tookOver } = RunLock.acquire(dir);
    try {
      const notes = tookOver ? [tookOver] : [];
      removeLeftovers(dir);
      notes.push(...setAside(files[0], step, parseMetricsLine, (line) => line.record.step));
      notes.push(...setAside(files[1], step, parseProbeLine, (snapshot) => snapshot.step));
      notes.push(...setAside(files[2], step, parseFindingLine, (finding) => finding.lastStep));
      fs.mkdirSync(path.join(dir, SAMPLES_DIR), { recursive: true });
      return new RunWriter(path.basename(dir), dir, lock, notes);
    } catch (e) {
      lock.release();
      throw e;
    }
  }

  appendMetrics(record: MetricsRecord): void {
    appendLine(this.metricsFile(), record, 'metrics');
  }

  /** A score line of metrics.jsonl (told apart from step lines by its `scores` field). */
  appendScores(record: ScoreRecord): void {
    appendLine(this.metricsFile(), record, 'metrics');
  }

  /** A live-change line of metrics.jsonl (told apart by its `changed` field). */
  appendChange(record: ChangedRecord): void {
    appendLine(this.metricsFile(), record, 'metrics');
  }

  /** Returns the sample's path. Written to a temp name and renamed, so readers never see half a PNG. */
  writeSample(step: number, png: Uint8Array): string {
    const file = path.join(this.dir, SAMPLES_DIR, sampleFileName(step));
    writeAtomically(file, png, 'sample');
    return file;
  }

  /** graph.json, replaced whole (temp name + rename) so a reader never sees half of it. */
  writeGraph(graph: ModelGraph): void {
    writeAtomically(path.join(this.dir, GRAPH_FILE), JSON.stringify(graph) + '\n', 'graph');
  }

  /** One line of probes.jsonl. Opened on first use, so runs without probes have no empty file. */
  appendProbe(snapshot: ProbeSnapshot): void {
    this.metricsFile();
    this.probesFd ??= openForAppend(path.join(this.dir, PROBES_FILE));
    appendLine(this.probesFd, snapshot, 'probe');
  }

  /** One line of findings.jsonl (a new finding, or a later state of one: same step, later lastStep). Opened on first use. */
  appendFinding(finding: Finding): void {
    this.metricsFile();
    this.findingsFd ??= openForAppend(path.join(this.dir, FINDINGS_FILE));
    appendLine(this.findingsFd, finding, 'finding');
  }

  /** Flushes and closes the run's files and releases its lock; closing twice does nothing more. */
  close(): void {
    const open = this.metricsFd !== undefined;
    for (const fd of [this.metricsFd, this.probesFd, this.findingsFd]) {
      if (fd === undefined) continue;
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    }
    this.metricsFd = undefined;
    this.probesFd = undefined;
    this.findingsFd = undefined;
    if (open) this.lock.release();
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
 * Moves what a JSON-lines file holds past `step` to `<name>.after-step-<step>[-n].jsonl`: everything from the first
 * record past `step` on, and what follows the last record kept (a line cut by a kill). Unreadable lines before it stay
 * where they are, skipped by readers. Returns notes for the user.
 */
function setAside<T>(file: string, step: number, parse: RecordParser<T>, stepOf: (record: T) => number): string[] {
  if (!fs.existsSync(file)) return [];
  let keep = 0;
  const read = new JsonLinesTail(file, parse).scanSync((record, end) => {
    if (stepOf(record) > step) return false;
    keep = end;
  });
  const notes = read.invalid ? [`${path.basename(file)}: skipped ${read.invalid} unreadable line(s), left in place (the first: ${read.problem})`] : [];
  const size = fs.statSync(file).size;
  if (keep === size) return notes;
  const aside = asideName(file, step);
  copyRange(file, keep, size, aside);
  fs.truncateSync(file, keep);
  return [...notes, `${path.basename(file)}: moved what it held past step ${step} (${size - keep} bytes) to ${path.basename(aside)}`];
}

/** `metrics.jsonl` → `metrics.after-step-120.jsonl`, or `…-2.jsonl` and on when taken. */
function asideName(file: string, step: number): string {
  const base = file.replace(/\.jsonl$/, `.after-step-${step}`);
  for (let n = 1; ; n++) {
    const name = `${base}${n === 1 ? '' : `-${n}`}.jsonl`;
    if (!fs.existsSync(name)) return name;
  }
}

/** Copies bytes [from, to) of `file` to a new file, a chunk at a time, synced before the source is cut. */
function copyRange(file: string, from: number, to: number, target: string): void {
  const source = fs.openSync(file, 'r');
  const out = fs.openSync(target, 'wx');
  try {
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, to - from));
    for (let at = from; at < to;) {
      const n = fs.readSync(source, buffer, 0, Math.min(buffer.length, to - at), at);
      if (n === 0) break;
      fs.writeSync(out, buffer, 0, n);
      at += n;
    }
    fs.fsyncSync(out);
  } finally {
    fs.closeSync(source);
    fs.closeSync(out);
  }
}

/** Removes the temp files of writes a killed trainer left half done; only names this writer makes. */
function removeLeftovers(dir: string): void {
  for (const folder of [dir, path.join(dir, SAMPLES_DIR)]) {
    if (!fs.existsSync(folder)) continue;
    for (const name of fs.readdirSync(folder)) if (LEFTOVER.test(name)) fs.rmSync(path.join(folder, name), { force: true });
  }
}

/** Opens a JSON-lines file to append to, refusing a symbolic link in its place. */
function openForAppend(file: string): number {
  refuseLinks(file);
  return fs.openSync(file, 'a');
}

/** One JSON line, written with one call; a fault point here leaves half of it, as a kill mid-write would. */
function appendLine(fd: number, record: unknown, point: FaultPoint): void {
  const line = JSON.stringify(record) + '\n';
  faultPoint(point, () => fs.writeSync(fd, line.slice(0, line.length >> 1)));
  fs.writeSync(fd, line);
}

function writeAtomically(file: string, data: string | Uint8Array, point?: FaultPoint): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  if (point) faultPoint(point);
  fs.renameSync(tmp, file);
}
