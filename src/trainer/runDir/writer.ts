// Writes a run's directory: run.json once, metrics.jsonl appended a line a step, sample PNGs renamed into place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METRICS_FILE, MetricsRecord, metricsRecordCheck, RUN_FILE, RunRecord, runRecordCheck, SAMPLES_DIR, sampleFileName } from '../../protocol/runDir';

export class RunWriter {
  private metricsFd: number | undefined;

  private constructor(readonly id: string, readonly dir: string) {
    this.metricsFd = fs.openSync(path.join(dir, METRICS_FILE), 'a');
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
   * Reopens an existing run to continue it from `step`: metrics.jsonl keeps its complete, valid lines up to that step
   * (a line cut by a kill, or steps trained after the checkpoint, are cut off), so appended lines follow on cleanly.
   */
  static resume(dir: string, step: number): RunWriter {
    const file = path.join(dir, METRICS_FILE);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
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
      if (metricsRecordCheck(record, 'line') || (record as MetricsRecord).step > step) break;
      at = end + 1;
    }
    if (fs.existsSync(file)) fs.truncateSync(file, Buffer.byteLength(text.slice(0, at)));
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
      throw new Error(`Cannot resume ${dir}: ${file} cannot be read (${(e as Error).message}); is it a GANscope run folder?`);
    }
    const error = runRecordCheck(record, 'run.json');
    if (error) throw new Error(`Cannot resume ${dir}: ${file} is not a valid run record (${error})`);
    return record as RunRecord;
  }

  appendMetrics(record: MetricsRecord): void {
    if (this.metricsFd === undefined) throw new Error(`run ${this.id} is closed`);
    fs.writeSync(this.metricsFd, JSON.stringify(record) + '\n');
  }

  /** Returns the sample's path. Written to a temp name and renamed, so readers never see half a PNG. */
  writeSample(step: number, png: Uint8Array): string {
    const file = path.join(this.dir, SAMPLES_DIR, sampleFileName(step));
    writeAtomically(file, png);
    return file;
  }

  close(): void {
    if (this.metricsFd === undefined) return;
    fs.fsyncSync(this.metricsFd);
    fs.closeSync(this.metricsFd);
    this.metricsFd = undefined;
  }
}

/** A sortable, readable run id: `2026-11-28T22-50-01-mnist-dcgan` (UTC; colons are not allowed on Windows). */
export function makeRunId(preset: string, now = new Date()): string {
  return `${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${preset}`;
}

function writeAtomically(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
