// One writer per run: an exclusive lock file in the run folder, held while a trainer trains or resumes it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const LOCK_FILE = 'trainer.lock';

/** Who holds a run: written whole into the lock file. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export class RunLock {
  private readonly releaseOnExit = () => this.release();

  private constructor(readonly file: string, readonly holder: LockHolder) {
    process.on('exit', this.releaseOnExit);
  }

  /**
   * Takes `<runDir>/trainer.lock`, or throws naming the holder and what to do. A lock whose process is gone from this
   * host (a trainer killed outright) is taken over; `tookOver` then says whose it was.
   */
  static acquire(runDir: string): { lock: RunLock; tookOver?: string } {
    const file = path.join(runDir, LOCK_FILE);
    const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
    let tookOver: string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (create(file, holder)) return { lock: new RunLock(file, holder), tookOver };
      const current = readHolder(file);
      if (current === 'gone') continue;
      if (current && isAlive(current)) throw new Error(heldMessage(runDir, file, current));
      tookOver = current ? `Took over the lock of trainer ${describe(current)}, which is no longer running` : `Took over an unreadable lock file ${file}`;
      // Renamed away before removal, so of two trainers taking over the same stale lock only one removes it.
      const stale = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, stale);
        fs.rmSync(stale, { force: true });
      } catch {
        // another trainer took it first: try again
      }
    }
    throw new Error(`Cannot take ${file}: other trainers keep taking it. Stop them, then try again`);
  }

  /** Removes the lock file if it is still ours. */
  release(): void {
    process.removeListener('exit', this.releaseOnExit);
    const current = readHolder(this.file);
    if (current && current !== 'gone' && current.pid === this.holder.pid && current.startedAt === this.holder.startedAt) fs.rmSync(this.file, { force: true });
  }
}

/** The trainer holding `runDir` now, if one does (a lock left by a trainer that is gone does not count). */
export function trainingHolder(runDir: string): LockHolder | undefined {
  const holder = readHolder(path.join(runDir, LOCK_FILE));
  return holder && holder !== 'gone' && isAlive(holder) ? holder : undefined;
}

/** Creates the lock file with its whole content at once (a temp file hard-linked into place); false if it exists. */
function create(file: string, holder: LockHolder): boolean {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(holder) + '\n');
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new Error(`Cannot create the lock file ${file}: ${(e as Error).message}`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The lock's holder; undefined when the file cannot be read as one; 'gone' when it was removed meanwhile. */
function readHolder(file: string): LockHolder | undefined | 'gone' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const value = JSON.parse(text) as LockHolder;
    return Number.isSafeInteger(value.pid) && value.pid > 0 && typeof value.host === 'string' && typeof value.startedAt === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Another host's process cannot be seen from here: it counts as alive. */
export function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describe(holder: LockHolder): string {
  return `pid ${holder.pid} on ${holder.host} (since ${holder.startedAt})`;
}

function heldMessage(runDir: string, file: string, holder: LockHolder): string {
  return `${runDir} is being trained by another trainer: ${describe(holder)}. Stop that trainer first (Ctrl-C in its terminal, `
    + `or Stop in VS Code) and resume when it has exited; if no trainer of it is running any more, delete ${file}. `
    + `To train alongside it, start a new run instead`;
}
