// The run folder keeps what it holds: no writing through links, one writer per run, resuming moves history aside.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECKPOINTS_DIR, METRICS_FILE } from '../../../src/protocol/runDir';
import { RunConfig } from '../../../src/protocol/trainer';
import { writeCheckpoint } from '../../../src/trainer/runDir/checkpoint';
import { LOCK_FILE, trainingHolder } from '../../../src/trainer/runDir/lock';
import { RunWriter } from '../../../src/trainer/runDir/writer';
import { TrainingSession } from '../../../src/trainer/session';
import { MNIST_DIR, REPO, tempDir, useWasm } from './helpers';
import { createRun, readMetrics } from './runFolders';

const step = (n: number) => ({ step: n, time: n, dLoss: 1, gLoss: 2, dReal: 0.5, dFake: 0.4, imagesPerSec: 10 });
const tinyCheckpoint = (n: number) => ({
  step: n,
  state: { random: 1, samplerRandom: 2, samplerCursor: 0, adamStepD: n, adamStepG: n },
  arrays: [{ name: 'w', shape: [2], dtype: 'float32' as const, data: Float32Array.of(1, 2) }],
});

/** A folder holding what a home folder would: dot-files and dot-folders. */
function homeLike(): string {
  const home = tempDir('home');
  fs.mkdirSync(path.join(home, '.ssh'));
  fs.writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'secret');
  fs.writeFileSync(path.join(home, '.bashrc'), 'alias ll="ls -l"');
  return home;
}

/** A closed run with metrics for steps 1…n. */
function runWithSteps(n: number): string {
  const w = createRun('integrity');
  for (let s = 1; s <= n; s++) w.appendMetrics(step(s));
  w.close();
  return w.dir;
}

describe('trainer/runDir: symbolic links', () => {
  it('refuses to resume a run whose checkpoints folder is a link, and the dot-files behind it survive', () => {
    const dir = runWithSteps(2);
    const home = homeLike();
    fs.symlinkSync(home, path.join(dir, CHECKPOINTS_DIR));
    assert.throws(() => RunWriter.resume(dir, 0), new RegExp(`${path.join(dir, CHECKPOINTS_DIR)} is a symbolic link: .*Replace the link`));
    assert.throws(() => writeCheckpoint(dir, tinyCheckpoint(3)), /checkpoints is a symbolic link/);
    assert.deepEqual(fs.readdirSync(home).sort(), ['.bashrc', '.ssh']);
    assert.equal(fs.readFileSync(path.join(home, '.ssh', 'id_ed25519'), 'utf8'), 'secret');
  });

  it('refuses to resume a run whose metrics.jsonl is a link, and leaves the linked file as it is', () => {
    const dir = runWithSteps(3);
    const elsewhere = path.join(tempDir('elsewhere'), 'notes.jsonl');
    fs.renameSync(path.join(dir, METRICS_FILE), elsewhere);
    const before = fs.readFileSync(elsewhere, 'utf8');
    fs.symlinkSync(elsewhere, path.join(dir, METRICS_FILE));
    assert.throws(() => RunWriter.resume(dir, 1), /metrics\.jsonl is a symbolic link/);
    assert.equal(fs.readFileSync(elsewhere, 'utf8'), before);
  });

  it('refuses a run folder that is itself a link', () => {
    const dir = runWithSteps(1);
    const link = path.join(tempDir('linked'), 'run');
    fs.symlinkSync(dir, link);
    assert.throws(() => RunWriter.resume(link, 1), new RegExp(`${link} is a symbolic link`));
  });

  it('deletes in checkpoints/ only the temp folders it names itself, of trainers no longer writing', () => {
    const dir = runWithSteps(1);
    const root = path.join(dir, CHECKPOINTS_DIR);
    for (const name of ['.tmp-step-000001-999999', '.trash-step-000001-999998', '.keep', '.tmp-notes', 'notes']) fs.mkdirSync(path.join(root, name), { recursive: true });
    writeCheckpoint(dir, tinyCheckpoint(2));
    assert.deepEqual(fs.readdirSync(root).sort(), ['.keep', '.tmp-notes', 'notes', 'step-000002']);
  });
});

describe('trainer/runDir: one writer per run', () => {
  it('refuses a second writer, naming the holder\'s pid, host and start and how to go on', () => {
    const w = createRun('locked');
    assert.throws(() => RunWriter.resume(w.dir, 0),
      new RegExp(`being trained by another trainer: pid ${process.pid} on ${os.hostname()} \\(since \\d{4}-.*\\)\\. Stop that trainer first`));
    w.close();
  });

  it('refuses a writer while another process holds the run, and takes the run once that process has exited', async () => {
    const dir = runWithSteps(1);
    const holder = spawn(process.execPath, ['--import', 'tsx', '-e',
      `require(${JSON.stringify(path.join(REPO, 'src/trainer/runDir/lock.ts'))}).RunLock.acquire(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000);`,
    ], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    assert.throws(() => RunWriter.resume(dir, 1), new RegExp(`being trained by another trainer: pid ${holder.pid} on ${os.hostname()}`));
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const w = RunWriter.resume(dir, 1);
    assert.match(w.notes.join('\n'), new RegExp(`Took over the lock of trainer pid ${holder.pid}`));
    w.close();
  });

  it('takes over the lock of a trainer that is gone, and says so', () => {
    const dir = runWithSteps(1);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: Number(gone), host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const w = RunWriter.resume(dir, 1);
    assert.match(w.notes.join('\n'), new RegExp(`Took over the lock of trainer pid ${gone} on ${os.hostname()} \\(since 2026-01-01T00:00:00\\.000Z\\), which is no longer running`));
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
    w.close();
  });

  it('names the trainer holding a run, and none once a lock\'s trainer is gone (what Delete Run and Prune Run ask)', () => {
    const w = createRun('holder');
    assert.equal(trainingHolder(w.dir)?.pid, process.pid);
    w.close();
    assert.equal(trainingHolder(w.dir), undefined);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(path.join(w.dir, LOCK_FILE), JSON.stringify({ pid: Number(gone), host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    assert.equal(trainingHolder(w.dir), undefined);
  });

  it('releases the lock when the run is closed', () => {
    const w = createRun('release');
    assert.ok(fs.existsSync(path.join(w.dir, LOCK_FILE)));
    w.close();
    assert.ok(!fs.existsSync(path.join(w.dir, LOCK_FILE)));
    RunWriter.resume(w.dir, 0).close();
  });
});

describe('trainer/runDir: resuming keeps history', () => {
  it('moves metrics past the resumed step, and a torn line, to metrics.after-step-N.jsonl', () => {
    const dir = runWithSteps(4);
    fs.appendFileSync(path.join(dir, METRICS_FILE), '{"step":5,"ti');
    const w = RunWriter.resume(dir, 2);
    w.close();
    assert.deepEqual(readMetrics(dir).steps.map((s) => s.step), [1, 2]);
    const aside = fs.readFileSync(path.join(dir, 'metrics.after-step-2.jsonl'), 'utf8');
    assert.equal(aside, `${JSON.stringify(step(3))}\n${JSON.stringify(step(4))}\n{"step":5,"ti`);
    assert.match(w.notes.join('\n'), /metrics\.jsonl: moved what it held past step 2 \(\d+ bytes\) to metrics\.after-step-2\.jsonl/);
  });

  it('gives a second set-aside of the same step its own file', () => {
    const dir = runWithSteps(3);
    RunWriter.resume(dir, 2).close();
    fs.appendFileSync(path.join(dir, METRICS_FILE), `${JSON.stringify(step(3))}\n`);
    RunWriter.resume(dir, 2).close();
    assert.ok(fs.existsSync(path.join(dir, 'metrics.after-step-2-2.jsonl')));
  });

  it('skips and counts unparsable and unknown lines without cutting what follows them', () => {
    const dir = runWithSteps(1);
    fs.appendFileSync(path.join(dir, METRICS_FILE), `not json\n{"unknown":true}\n${JSON.stringify(step(2))}\n`);
    const before = fs.readFileSync(path.join(dir, METRICS_FILE), 'utf8');
    const w = RunWriter.resume(dir, 2);
    w.close();
    assert.equal(fs.readFileSync(path.join(dir, METRICS_FILE), 'utf8'), before);
    assert.match(w.notes.join('\n'), /metrics\.jsonl: skipped 2 unreadable line\(s\), left in place \(the first: metrics\.jsonl line 2: /);
  });

  it('removes the temp files of a killed trainer\'s sample and graph writes, and nothing else', () => {
    const dir = runWithSteps(1);
    const files = ['graph.json.tmp-999999', 'samples/step-000004.png.tmp-999999', 'samples/notes.tmp-1', 'graph.json.tmp-mine'];
    for (const f of files) fs.writeFileSync(path.join(dir, f), '');
    RunWriter.resume(dir, 1).close();
    assert.deepEqual(files.map((f) => fs.existsSync(path.join(dir, f))), [false, false, true, true]);
  });
});

describe('trainer/session: resuming a run whose checkpoints do not load', function () {
  this.timeout(120_000);
  const config = (runsDir: string, extra: Partial<RunConfig> = {}): RunConfig => ({
    preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 3, runsDir, sampleEvery: 0, ...extra,
  });

  it('refuses, listing what is wrong with each checkpoint and how to start fresh, and changes nothing', async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const backend = await useWasm();
    const s = TrainingSession.open(config(tempDir('unloadable')), backend);
    await s.trainOneStep();
    const first = await s.writeCheckpoint();
    await s.trainOneStep();
    const second = await s.writeCheckpoint();
    s.close();
    fs.truncateSync(path.join(second, 'weights.bin'), 10);
    fs.writeFileSync(path.join(first, 'checkpoint.json'), '{');
    const metrics = fs.readFileSync(path.join(s.writer.dir, METRICS_FILE), 'utf8');
    assert.throws(() => TrainingSession.open(config('/unused', { resume: s.writer.dir }), backend), (e: Error) => {
      assert.match(e.message, /None of the 2 checkpoint\(s\) of .* can be loaded/);
      assert.match(e.message, /step-000002\/weights\.bin: 10 bytes, but/);
      assert.match(e.message, /step-000001\/checkpoint\.json: cannot be read as JSON/);
      assert.match(e.message, /To start fresh, train a new run/);
      return true;
    });
    assert.equal(fs.readFileSync(path.join(s.writer.dir, METRICS_FILE), 'utf8'), metrics);
    assert.ok(!fs.existsSync(path.join(s.writer.dir, LOCK_FILE)));
  });

  it('lets an inspector read a run while its writer holds the lock', async () => {
    const backend = await useWasm();
    const s = TrainingSession.open(config(tempDir('inspected')), backend);
    await s.trainOneStep();
    await s.writeCheckpoint();
    const inspector = TrainingSession.inspect(s.writer.dir, backend);
    assert.equal(inspector.step, 1);
    inspector.close();
    s.close();
  });
});
