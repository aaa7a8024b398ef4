// Writes and reads a run's checkpoints (format: src/protocol/runDir.ts): a folder renamed into place once complete.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHECKPOINT_FILE, CHECKPOINT_FORMAT, CHECKPOINT_WEIGHTS_FILE, checkpointDirName, CheckpointManifest, checkpointManifestProblem,
  CHECKPOINTS_DIR, CheckpointTensorSpec,
} from '../../protocol/runDir';
import { faultPoint } from './faults';
import { refuseLinks } from './links';

/** Checkpoints kept per run: the newest, and the one before in case the newest is on a disk that failed. */
export const KEEP_CHECKPOINTS = 2;
const CHECKPOINT_NAME = /^step-(\d+)$/;
/** The temp folders this module makes (`.tmp-step-000120-<pid>`, `.trash-step-000100-<pid>`): the only names it deletes. */
const TEMP_NAME = /^\.(tmp|trash)-step-\d+-(\d+)$/;

export interface NamedArray extends CheckpointTensorSpec {
  data: Float32Array | Int32Array;
}

export interface Checkpoint {
  step: number;
  state: CheckpointManifest['state'];
  arrays: NamedArray[];
  definition?: CheckpointManifest['definition'];
}

/**
 * Writes `<runDir>/checkpoints/step-NNNNNN/` through a temp folder renamed into place (files fsynced first), then drops
 * all but the newest KEEP_CHECKPOINTS. A process killed at any point leaves every earlier checkpoint whole.
 */
export function writeCheckpoint(runDir: string, checkpoint: Checkpoint): string {
  const root = path.join(runDir, CHECKPOINTS_DIR);
  refuseLinks(runDir, root);
  fs.mkdirSync(root, { recursive: true });
  const final = path.join(root, checkpointDirName(checkpoint.step));
  // The same step again (a run stopped right after resuming) holds the same state: keep the one on disk.
  if (fs.existsSync(final)) return final;
  const tmp = path.join(root, `.tmp-${checkpointDirName(checkpoint.step)}-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp);
  const weights = Buffer.concat(checkpoint.arrays.map((a) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)));
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: 1,
    step: checkpoint.step,
    createdAt: new Date().toISOString(),
    state: checkpoint.state,
    bytes: weights.length,
    ...(checkpoint.definition && { definition: checkpoint.definition }),
    weightsManifest: [{ paths: [CHECKPOINT_WEIGHTS_FILE], weights: checkpoint.arrays.map(({ name, shape, dtype }) => ({ name, shape, dtype })) }],
  };
  writeSynced(path.join(tmp, CHECKPOINT_WEIGHTS_FILE), weights);
  faultPoint('checkpoint.weights');
  writeSynced(path.join(tmp, CHECKPOINT_FILE), JSON.stringify(manifest, null, 1) + '\n');
  faultPoint('checkpoint.rename');
  fs.renameSync(tmp, final);
  syncDir(root);
  prune(root);
  return final;
}

/**
 * The newest checkpoint of a run that reads back whole, or undefined when it has none. `skipped` says why newer
 * ones could not be used (none should be: they are renamed into place complete).
 */
export function loadLatestCheckpoint(runDir: string): { checkpoint?: Checkpoint; dir?: string; skipped: string[] } {
  const skipped: string[] = [];
  for (const dir of listCheckpoints(path.join(runDir, CHECKPOINTS_DIR)).reverse()) {
    try {
      return { checkpoint: readCheckpoint(dir), dir, skipped };
    } catch (e) {
      skipped.push((e as Error).message);
    }
  }
  return { skipped };
}

/** Reads one checkpoint folder; errors name the file and what is wrong with it. */
export function readCheckpoint(dir: string): Checkpoint {
  const manifestFile = path.join(dir, CHECKPOINT_FILE);
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch (e) {
    throw new Error(`${manifestFile}: cannot be read as JSON (${(e as Error).message})`);
  }
  const error = checkpointManifestProblem(manifest, 'checkpoint');
  if (error) throw new Error(`${manifestFile}: ${error}`);
  const weightsFile = path.join(dir, CHECKPOINT_WEIGHTS_FILE);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(weightsFile);
  } catch (e) {
    throw new Error(`${weightsFile}: cannot be read (${(e as Error).message})`);
  }
  if (bytes.length !== manifest.bytes) {
    throw new Error(`${weightsFile}: ${bytes.length} bytes, but ${manifestFile} lists ${manifest.bytes} (truncated at byte ${Math.min(bytes.length, manifest.bytes)})`);
  }
  const arrays: NamedArray[] = [];
  let at = 0;
  for (const spec of manifest.weightsManifest.flatMap((g) => g.weights)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const end = at + count * 4;
    if (end > bytes.length) throw new Error(`${weightsFile}: tensor "${spec.name}" would end at byte ${end}, past the end (${bytes.length})`);
    const copy = new ArrayBuffer(count * 4); // aligned, and not a view into the file buffer
    new Uint8Array(copy).set(bytes.subarray(at, end));
    arrays.push({ ...spec, data: spec.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy) });
    at = end;
  }
  if (at !== bytes.length) throw new Error(`${weightsFile}: ${bytes.length - at} bytes after byte ${at} that no tensor of ${manifestFile} covers`);
  return { step: manifest.step, state: manifest.state, arrays, ...(manifest.definition && { definition: manifest.definition }) };
}

/** Complete checkpoint folders, oldest first. */
export function listCheckpoints(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root)
    .filter((n) => CHECKPOINT_NAME.test(n))
    .sort((a, b) => Number(CHECKPOINT_NAME.exec(a)![1]) - Number(CHECKPOINT_NAME.exec(b)![1]))
    .map((n) => path.join(root, n));
}

/**
 * Removes old checkpoints and the temp folders of writers killed mid-write (other processes'; the run's lock keeps
 * live writers out). Only names this module makes are removed: anything else in the folder is the user's.
 */
function prune(root: string): void {
  const old = listCheckpoints(root).slice(0, -KEEP_CHECKPOINTS);
  const leftovers = fs.readdirSync(root).filter((n) => {
    const temp = TEMP_NAME.exec(n);
    return temp !== null && temp[2] !== String(process.pid);
  }).map((n) => path.join(root, n));
  for (const dir of old) {
    // Out of the step-* namespace first, so a kill during the removal never leaves a half checkpoint under a valid name.
    const trash = path.join(root, `.trash-${path.basename(dir)}-${process.pid}`);
    fs.renameSync(dir, trash);
    faultPoint('checkpoint.prune');
    fs.rmSync(trash, { recursive: true, force: true });
  }
  for (const dir of leftovers) fs.rmSync(dir, { recursive: true, force: true });
}

function writeSynced(file: string, data: string | Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename durable; not every platform can open a folder (Windows), which is fine to skip. */
function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // best effort
  }
}
