// One native install at a time: a second is refused naming the first; a lock left by a dead process is taken over.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { INSTALL_LOCK_FILE, InstallBusyError, isStale, withInstallLock } from '../../../src/extension/installLock';

const HOUR = 3_600_000;

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
}

describe('the native install lock', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-lock-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a second install while the first runs, naming its holder', async () => {
    let release!: () => void;
    const first = withInstallLock(dir, HOUR, () => new Promise<void>((r) => (release = r)));
    await assert.rejects(withInstallLock(dir, HOUR, async () => undefined),
      (err: Error) => err instanceof InstallBusyError && err.message.includes(`process ${process.pid} on ${os.hostname()}`) && /Wait for it to finish/.test(err.message));
    release();
    await first;
  });

  it('frees the lock when the install ends, failed or not', async () => {
    await assert.rejects(withInstallLock(dir, HOUR, async () => {
      throw new Error('npm failed');
    }), /npm failed/);
    assert.equal(fs.existsSync(path.join(dir, INSTALL_LOCK_FILE)), false);
    assert.equal(await withInstallLock(dir, HOUR, async () => 'second'), 'second');
  });

  it('takes over a lock whose process is gone', async () => {
    fs.writeFileSync(path.join(dir, INSTALL_LOCK_FILE), JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: new Date().toISOString() }));
    assert.equal(await withInstallLock(dir, HOUR, async () => 'ran'), 'ran');
  });

  it('takes over a lock left half-written', async () => {
    fs.writeFileSync(path.join(dir, INSTALL_LOCK_FILE), '{"pid": 12');
    assert.equal(await withInstallLock(dir, HOUR, async () => 'ran'), 'ran');
  });

  it('counts a lock older than an install may take as stale, even from a live process', () => {
    const old = { pid: process.pid, host: os.hostname(), startedAt: new Date(Date.now() - 2 * HOUR).toISOString() };
    assert.equal(isStale(old, HOUR), true);
    assert.equal(isStale({ ...old, startedAt: new Date().toISOString() }, HOUR), false);
  });
});
