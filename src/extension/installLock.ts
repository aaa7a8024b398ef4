// One native backend install at a time, across VS Code windows: a lock file in the native folder names its holder; a
// lock whose process is gone, or older than an install may take, is stale and taken over.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlive, LockHolder } from '../trainer/runDir/lock';

export const INSTALL_LOCK_FILE = 'install.lock';

export class InstallBusyError extends Error {}

/** Runs `install` holding the lock of folder `dir`; throws an InstallBusyError naming the holder while another install runs. */
export async function withInstallLock<T>(dir: string, maxAgeMs: number, install: () => Promise<T>): Promise<T> {
  const file = path.join(dir, INSTALL_LOCK_FILE);
  const mine: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  acquire(file, mine, maxAgeMs);
  try {
    return await install();
  } finally {
    release(file, mine);
  }
}

function acquire(file: string, mine: LockHolder, maxAgeMs: number): void {
  // Twice at most: once, and once more after a stale lock is removed.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const held = readHolder(file);
    if (held && !isStale(held, maxAgeMs)) {
      throw new InstallBusyError(`Another native backend install is running (process ${held.pid} on ${held.host}, since ${held.startedAt}). ` +
        `Wait for it to finish, then try again; if no install is running, delete ${file}.`);
    }
    fs.rmSync(file, { force: true });
  }
  throw new InstallBusyError(`Another native backend install took the lock ${file} at the same moment. Wait for it to finish, then try again.`);
}

/** The lock's holder; undefined when the file is gone or unreadable (a holder killed while writing it). */
function readHolder(file: string): LockHolder | undefined {
  try {
    const held = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof held.pid === 'number' && typeof held.host === 'string' && typeof held.startedAt === 'string' ? (held as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

export function isStale(held: LockHolder, maxAgeMs: number, now = Date.now()): boolean {
  const started = Date.parse(held.startedAt);
  // Another machine's process (a shared home folder) cannot be asked: its lock counts until it is too old.
  return !Number.isFinite(started) || now - started > maxAgeMs || !isAlive(held);
}

/** Removes the lock if it is still this install's (a stale-lock takeover may have replaced it). */
function release(file: string, mine: LockHolder): void {
  const held = readHolder(file);
  if (held?.pid === mine.pid && held.startedAt === mine.startedAt && held.host === mine.host) fs.rmSync(file, { force: true });
}
