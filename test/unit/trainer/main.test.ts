import * as assert from 'node:assert/strict';
import { ChildProcess, fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunConfig, TrainerEvent, validateTrainerEvent } from '../../../src/protocol/trainer';
import { MNIST_DIR, REPO, tempDir, WASM_DIR } from './helpers';

/** The trainer as the extension runs it: a forked child with advanced serialization, here from sources via tsx. */
class Trainer {
  readonly events: TrainerEvent[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor() {
    this.child = fork(path.join(REPO, 'src/trainer/main.ts'), [], {
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      env: { ...process.env, GANSCOPE_DATA_DIR: MNIST_DIR, GANSCOPE_WASM_DIR: WASM_DIR, GANSCOPE_BACKEND: 'wasm' },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    this.child.on('message', (m) => {
      const checked = validateTrainerEvent(m);
      if (!checked.ok) throw new Error(`trainer sent an invalid event: ${checked.error}`);
      this.events.push(checked.value);
      this.waiters.forEach((w) => w());
    });
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  send(message: unknown): void {
    this.child.send(message as object);
  }

  /** Waits for the next event of `type` after the `from`th event. */
  next<T extends TrainerEvent['type']>(type: T, from = 0): Promise<Extract<TrainerEvent, { type: T }>> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.events.slice(from).find((e) => e.type === type);
        if (found) resolve(found as Extract<TrainerEvent, { type: T }>);
        else this.waiters.push(check);
      };
      check();
    });
  }

  disconnect(): void {
    this.child.disconnect();
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

const config = (runsDir: string, steps: number): RunConfig => ({ preset: 'mnist-tiny', dataset: 'mnist', steps, seed: 1, runsDir, sampleEvery: 2 });

describe('trainer/main: the IPC protocol', function () {
  this.timeout(60_000);
  let trainer: Trainer;
  afterEach(() => trainer?.kill());

  it('reports ready with its backend, trains a short run and exits 0', async () => {
    trainer = new Trainer();
    const ready = await trainer.next('ready');
    assert.deepEqual([ready.backend, ready.device, ready.tfjsVersion], ['wasm', 'CPU (wasm SIMD)', '4.22.0']);
    assert.ok(ready.threads >= 1);
    const runsDir = tempDir('ipc');
    trainer.send({ type: 'start', config: config(runsDir, 5) });
    assert.equal(await trainer.exited, 0);

    const types = trainer.events.map((e) => e.type);
    assert.deepEqual(types, ['ready', 'started', 'graph', 'samples', 'step', 'step', 'samples', 'step', 'step', 'samples', 'step', 'samples', 'stopped']);
    const started = await trainer.next('started');
    assert.equal(started.preset, 'mnist-tiny');
    assert.equal(started.batchSize, 32);
    const steps = trainer.events.flatMap((e) => (e.type === 'step' ? [e.metrics.step] : []));
    assert.deepEqual(steps, [1, 2, 3, 4, 5]);
    const samples = trainer.events.flatMap((e) => (e.type === 'samples' ? [e] : []));
    assert.deepEqual(samples.map((s) => s.step), [0, 2, 4, 5]);
    for (const s of samples) assert.deepEqual(fs.readFileSync(s.path), Buffer.from(s.png));
    assert.deepEqual(await trainer.next('stopped'), { type: 'stopped', step: 5, reason: 'completed' });
    assert.equal(fs.readFileSync(path.join(started.runDir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n').length, 5);
  });

  it('logs and drops invalid requests, and keeps running', async () => {
    trainer = new Trainer();
    await trainer.next('ready');
    trainer.send({ type: 'fly' });
    trainer.send({ type: 'start', config: { preset: 'mnist-tiny' } });
    const first = await trainer.next('log');
    assert.match(first.message, /invalid request: unknown message type "fly"/);
    const second = await trainer.next('log', trainer.events.indexOf(first) + 1);
    assert.match(second.message, /invalid request: start\.config\.dataset must be a string/);
    trainer.send({ type: 'start', config: config(tempDir('ipc'), 1) });
    assert.equal(await trainer.exited, 0);
    assert.equal((await trainer.next('stopped')).reason, 'completed');
  });

  it('pauses, resumes and stops on request', async () => {
    trainer = new Trainer();
    await trainer.next('ready');
    trainer.send({ type: 'start', config: config(tempDir('ipc'), 0) }); // 0: until stopped
    await trainer.next('step');
    trainer.send({ type: 'pause' });
    const paused = await trainer.next('paused');
    await new Promise((r) => setTimeout(r, 300));
    const stepsWhilePaused = trainer.events.filter((e) => e.type === 'step' && e.metrics.step > paused.step).length;
    assert.equal(stepsWhilePaused, 0, 'no steps while paused');
    trainer.send({ type: 'resume' });
    const resumed = await trainer.next('resumed');
    assert.equal(resumed.step, paused.step);
    const mark = trainer.events.length;
    await trainer.next('step', mark);
    trainer.send({ type: 'stop' });
    const stopped = await trainer.next('stopped');
    assert.equal(stopped.reason, 'requested');
    assert.ok(stopped.step > paused.step);
    assert.equal(await trainer.exited, 0);
  });

  it('reports a start it cannot honour as a non-fatal error and stays ready for another', async () => {
    trainer = new Trainer();
    await trainer.next('ready');
    trainer.send({ type: 'start', config: { ...config(tempDir('ipc'), 1), preset: 'mnist-huge' } });
    const error = await trainer.next('error');
    assert.deepEqual([error.fatal, /Unknown preset "mnist-huge"/.test(error.message)], [false, true]);
    trainer.send({ type: 'stop' });
    assert.deepEqual(await trainer.next('stopped'), { type: 'stopped', step: 0, reason: 'requested' });
    assert.equal(await trainer.exited, 0);
  });

  it('exits 0 when its parent disconnects', async () => {
    trainer = new Trainer();
    await trainer.next('ready');
    trainer.disconnect();
    assert.equal(await trainer.exited, 0);
  });

  it('exits with a fatal error event when its backend cannot be used', async () => {
    const child = fork(path.join(REPO, 'src/trainer/main.ts'), [], {
      execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      env: { ...process.env, GANSCOPE_BACKEND: 'quantum' },
    });
    const events: TrainerEvent[] = [];
    child.on('message', (m) => events.push(m as TrainerEvent));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'error');
    assert.match((events[0] as { message: string }).message, /GANSCOPE_BACKEND is "quantum"; use one of auto, tensorflow, webgpu, wasm, cpu/);
  });
});
