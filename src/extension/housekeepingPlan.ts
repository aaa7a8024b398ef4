// What "Delete Run" and "Prune Run" may remove: a run's files as they are on disk, and the pure rules that pick from them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINTS_DIR, SAMPLES_DIR } from '../protocol/runDir';

/** The names the trainer gives checkpoint folders and sample grids (`step-000120`, `step-000120.png`), and nothing else. */
const CHECKPOINT_NAME = /^step-(\d{6,})$/;
const SAMPLE_NAME = /^step-(\d{6,})\.png$/;

/** An entry of a run's checkpoints/ or samples/ folder, as lstat sees it (a link is never followed). */
export interface RunEntry {
  name: string;
  kind: 'file' | 'directory' | 'link' | 'other';
  /** Bytes of the file, or of every file under the folder. */
  bytes: number;
}

export interface RunEntries {
  checkpoints: RunEntry[];
  samples: RunEntry[];
}

export interface PrunePlan {
  /** Entries to delete, by folder. */
  checkpoints: RunEntry[];
  samples: RunEntry[];
  /** What stays: the newest checkpoint's name, and how many sample grids (of the trainer's) remain. */
  keptCheckpoint?: string;
  keptSamples: number;
  bytes: number;
}

const stepOf = (name: string, pattern: RegExp) => Number(pattern.exec(name)![1]);
const byStep = (pattern: RegExp) => (a: RunEntry, b: RunEntry) => stepOf(a.name, pattern) - stepOf(b.name, pattern);

/**
 * Keeps the newest checkpoint and every `every`-th sample grid (the first, the (n+1)-th, …, and always the newest);
 * deletes the other checkpoint folders and sample grids. Only real folders and files with the trainer's names count:
 * links, temp folders and anything a user put there stay.
 */
export function prunePlan(entries: RunEntries, every: number): PrunePlan {
  if (!Number.isInteger(every) || every < 1) throw new Error(`keep every n-th sample grid: n must be a positive integer, not ${every}`);
  const checkpoints = entries.checkpoints.filter((e) => e.kind === 'directory' && CHECKPOINT_NAME.test(e.name)).sort(byStep(CHECKPOINT_NAME));
  const samples = entries.samples.filter((e) => e.kind === 'file' && SAMPLE_NAME.test(e.name)).sort(byStep(SAMPLE_NAME));
  const oldCheckpoints = checkpoints.slice(0, -1);
  const dropSamples = samples.filter((_, i) => i % every !== 0 && i !== samples.length - 1);
  const bytes = [...oldCheckpoints, ...dropSamples].reduce((sum, e) => sum + e.bytes, 0);
  return { checkpoints: oldCheckpoints, samples: dropSamples, keptCheckpoint: checkpoints.at(-1)?.name, keptSamples: samples.length - dropSamples.length, bytes };
}

/** What "Delete Run" needs to know about a run folder before it moves it anywhere. */
export interface RunFolderFacts {
  runDir: string;
  runsDir: string;
  /** The run folder is itself a symbolic link. */
  isLink: boolean;
  /** Both folders with every link resolved (undefined when the path does not exist). */
  realRunDir?: string;
  realRunsDir?: string;
  /** The run is training right now. */
  live: boolean;
}

/** Why the run folder must not be deleted, or undefined when it may. */
export function deleteRunProblem(facts: RunFolderFacts): string | undefined {
  const name = path.basename(facts.runDir);
  if (facts.live) return `Run ${name} is training. Stop it first, then delete it.`;
  if (facts.isLink) return `${facts.runDir} is a symbolic link. GANscope deletes only run folders inside the runs folder, never what a link points to: remove the link yourself.`;
  if (!facts.realRunDir) return `${facts.runDir} no longer exists. Refresh the Runs view.`;
  if (!facts.realRunsDir || path.dirname(facts.realRunDir) !== facts.realRunsDir) {
    return `${facts.runDir} is not in the runs folder (${facts.runsDir}), so GANscope leaves it alone: delete it yourself if you no longer need it.`;
  }
  return undefined;
}

// ---- reading what is on disk (never following a link) ----

const realpath = (p: string) => {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
};

export function runFolderFacts(runDir: string, runsDir: string, live: boolean): RunFolderFacts {
  let isLink = false;
  try {
    isLink = fs.lstatSync(runDir).isSymbolicLink();
  } catch {
    // Missing: realRunDir says so.
  }
  return { runDir, runsDir, isLink, realRunDir: realpath(runDir), realRunsDir: realpath(runsDir), live };
}

function entry(dir: string, name: string): RunEntry {
  const stat = fs.lstatSync(path.join(dir, name));
  if (stat.isSymbolicLink()) return { name, kind: 'link', bytes: 0 };
  if (stat.isFile()) return { name, kind: 'file', bytes: stat.size };
  if (!stat.isDirectory()) return { name, kind: 'other', bytes: 0 };
  const inside = fs.readdirSync(path.join(dir, name)).map((child) => entry(path.join(dir, name), child));
  return { name, kind: 'directory', bytes: inside.reduce((sum, e) => sum + e.bytes, 0) };
}

function entries(dir: string): RunEntry[] {
  if (!fs.existsSync(dir) || fs.lstatSync(dir).isSymbolicLink()) return [];
  return fs.readdirSync(dir).map((name) => entry(dir, name));
}

/** A run's checkpoints/ and samples/ entries; a folder that is a link reads as empty, so nothing behind it is pruned. */
export function readRunEntries(runDir: string): RunEntries {
  return { checkpoints: entries(path.join(runDir, CHECKPOINTS_DIR)), samples: entries(path.join(runDir, SAMPLES_DIR)) };
}

/** `12.3 MB`, for the confirmations. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
