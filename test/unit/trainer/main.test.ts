import * as assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLES_DIR, sampleFileName } from '../../../src/protocol/runDir';
import { RunConfig, TrainerEvent } from '../../../src/protocol/trainer';
import { metricsTail } from '../../../src/runFolder/reader';
import { REPO, tempDir } from './helpers';
import { TrainerProcess as Trainer } from './trainerProcess';

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
    assert.equal(os.getPriority(trainer.child.pid), os.constants.priority.PRIORITY_BELOW_NORMAL, 'it trains below the editor\'s priority');
    const runsDir = tempDir('ipc');
    trainer.send({ type: 'start', config: config(runsDir, 5) });
    assert.equal(await trainer.exited, 0);

    const types = trainer.events.map((e) => (e.type === 'wrote' ? `wrote ${e.record}` : e.type));
    assert.deepEqual(types, [
      'ready', 'started', 'wrote graph', 'wrote sample', 'wrote step', 'wrote step', 'wrote sample', 'wrote step', 'wrote step', 'wrote sample',
      'wrote step', 'wrote sample', 'stopped',
    ]);
    const started = await trainer.next('started');
    assert.equal(started.preset, 'mnist-tiny');
    assert.equal(started.batchSize, 32);
    assert.deepEqual(trainer.written('step'), [1, 2, 3, 4, 5]);
    assert.deepEqual(trainer.written('sample'), [0, 2, 4, 5]);
    for (const step of trainer.written('sample')) {
      assert.deepEqual([...fs.readFileSync(path.join(started.runDir, SAMPLES_DIR, sampleFileName(step))).subarray(1, 4)], [...Buffer.from('PNG')]);
    }
    assert.deepEqual(await trainer.next('stopped'), { type: 'stopped', step: 5, reason: 'completed' });
    const lines = metricsTail(started.runDir).readSync();
    assert.deepEqual([lines.records.map((l) => l.record.step), lines.invalid], [[1, 2, 3, 4, 5], 0]);
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
    await trainer.wrote('step');
    trainer.send({ type: 'pause' });
    const paused = await trainer.next('paused');
    await new Promise((r) => setTimeout(r, 300));
    const stepsWhilePaused = trainer.written('step').filter((step) => step > paused.step).length;
    assert.equal(stepsWhilePaused, 0, 'no steps while paused');
    trainer.send({ type: 'resume' });
    const resumed = await trainer.next('resumed');
    assert.equal(resumed.step, paused.step);
    const mark = trainer.events.length;
    await trainer.wrote('step', mark);
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
