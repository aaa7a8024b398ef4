import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DashboardState } from '../../../src/protocol/dashboard';
import { foldMetrics, initialState, LiveState } from '../../../src/extension/liveState';

const metrics = (step: number) => ({ step, time: step * 10, dLoss: 1.2, gLoss: 0.8, dReal: 0.6, dFake: 0.4, imagesPerSec: 50 });
const line = (step: number) => `${JSON.stringify(metrics(step))}\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, test: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !test(); i++) await sleep(10);
  assert.ok(test(), `timed out waiting for ${what}`);
}

describe('LiveState', () => {
  let dir: string;
  let session: LiveState | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-live-'))));
  afterEach(() => {
    session?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const started = (step = 0) => ({ type: 'started', runId: 'r1', runDir: dir, preset: 'mnist-tiny', batchSize: 32, step }) as const;
  /** Appends steps `from`..`to` to metrics.jsonl and says so, as the trainer does. */
  const train = (s: LiveState, from: number, to: number) => {
    for (let step = from; step <= to; step++) {
      fs.appendFileSync(path.join(dir, 'metrics.jsonl'), line(step));
      s.apply({ type: 'wrote', record: 'step', step });
    }
  };

  it('folds trainer events, and the records they say were written, into the dashboard state', async () => {
    const published: DashboardState[] = [];
    const s = (session = new LiveState((state) => published.push(state), 0));
    s.begin('mnist-tiny');
    s.apply({ type: 'ready', backend: 'wasm', device: 'CPU', threads: 2, skipped: [], tfjsVersion: '4.22.0' });
    s.apply(started());
    train(s, 1, 1);
    fs.mkdirSync(path.join(dir, 'samples'));
    fs.writeFileSync(path.join(dir, 'samples', 'step-000001.png'), new Uint8Array([137, 80]));
    s.apply({ type: 'wrote', record: 'sample', step: 1 });
    await until('the step and the grid', () => s.state.step === 1 && !!s.state.samples);
    assert.equal(s.state.status, 'running');
    assert.equal(s.state.backend, 'wasm (2 threads)');
    assert.equal(s.state.dLoss, 1.2);
    assert.deepEqual(s.state.samples, { step: 1, uri: 'data:image/png;base64,iVA=' });
    assert.ok(published.length >= 3);
  });

  it('shows the worst current finding in the Health section once the trainer says it wrote one, all clear before', async () => {
    const s = (session = new LiveState(() => undefined, 0));
    s.begin('mnist-tiny');
    s.apply(started());
    train(s, 1, 3);
    await until('the steps', () => s.state.step === 3);
    assert.deepEqual(s.state.health, { others: 0 });
    const finding = { step: 3, lastStep: 3, kind: 'oscillation', severity: 'warning', summary: 'Swings grow.', evidence: { growth: 3 }, remedies: [] };
    fs.appendFileSync(path.join(dir, 'findings.jsonl'), `${JSON.stringify(finding)}\n`);
    s.apply({ type: 'wrote', record: 'finding', step: 3 });
    await until('the finding', () => s.state.health?.worst !== undefined);
    assert.equal(s.state.health?.worst?.kind, 'oscillation');
    assert.deepEqual(s.state.health?.trend, { label: 'D loss', values: [1.2, 1.2, 1.2] });
    assert.equal(s.doctor?.findings.length, 1);
  });

  it('publishes step updates at most once per interval but status changes at once', async () => {
    const published: DashboardState[] = [];
    const s = (session = new LiveState((state) => published.push(state), 100));
    s.begin('mnist-tiny');
    s.apply(started());
    train(s, 1, 50);
    s.apply({ type: 'paused', step: 50 });
    assert.equal(published.at(-1)?.status, 'paused');
    const count = published.length;
    assert.ok(count <= 3, `published ${count} times for 50 steps`);
    await until('the steps read', () => s.state.history.length === 50);
    assert.ok(published.length <= count + 1, `published ${published.length - count} more times for one read`);
  });

  it('keeps a bounded loss history', async () => {
    const s = (session = new LiveState(() => undefined, 0));
    s.apply(started());
    train(s, 1, 1000);
    await until('step 1000', () => s.state.step === 1000);
    assert.equal(s.state.history.length, 300);
    assert.equal(s.state.history.at(-1)?.step, 1000);
  });

  it('shows only the steps trained since a resumed run started', async () => {
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), line(1) + line(2));
    const s = (session = new LiveState(() => undefined, 0));
    s.apply(started(2));
    train(s, 3, 4);
    await until('step 4', () => s.state.step === 4);
    assert.deepEqual(s.state.history.map((h) => h.step), [3, 4]);
  });

  it('marks a fatal trainer error as a crash with its message', () => {
    const s = (session = new LiveState(() => undefined, 0));
    s.begin('mnist-tiny');
    s.apply({ type: 'error', message: 'Unknown preset "nope".', fatal: true });
    assert.equal(s.state.status, 'crashed');
    assert.equal(s.state.message, 'Unknown preset "nope".');
  });

  it('shows a step-mode step\'s grids and verdicts before and after it, and its step at once', () => {
    const s = (session = new LiveState(() => undefined, 0));
    s.begin('mnist-tiny');
    s.apply(started(4));
    s.apply({ type: 'paused', step: 4 });
    s.beginStep('generator');
    assert.equal(s.state.stepping, 'generator');
    const view = (step: number, dFake: number) => ({ step, grid: new Uint8Array([137, 80]), dReal: 0.7, dFake });
    s.apply({ type: 'stepped', id: 1, update: 'generator', before: view(4, 0.2), after: view(5, 0.3) });
    assert.equal(s.state.step, 5);
    assert.equal(s.state.stepping, undefined);
    assert.deepEqual(s.state.stepped, {
      update: 'generator',
      before: { step: 4, uri: 'data:image/png;base64,iVA=', dReal: 0.7, dFake: 0.2 },
      after: { step: 5, uri: 'data:image/png;base64,iVA=', dReal: 0.7, dFake: 0.3 },
    });
  });

  it('lets the step buttons go again when the trainer refuses a step', () => {
    const s = (session = new LiveState(() => undefined, 0));
    s.begin('mnist-tiny');
    s.apply(started());
    s.beginStep('both');
    s.apply({ type: 'stepError', id: 1, message: 'Cannot step while the run trains: pause it first' });
    assert.equal(s.state.stepping, undefined);
  });

  it('drops the last step-mode views once the run resumes', () => {
    const s = (session = new LiveState(() => undefined, 0));
    s.begin('mnist-tiny');
    s.apply(started());
    const view = { step: 0, grid: new Uint8Array([1]), dReal: 0.5, dFake: 0.5 };
    s.apply({ type: 'stepped', id: 1, update: 'both', before: view, after: { ...view, step: 1 } });
    s.apply({ type: 'resumed', step: 1 });
    assert.equal(s.state.stepped, undefined);
  });
});

describe('foldMetrics', () => {
  it('keeps D(x) and D(G(z)) of each step for the dashboard\'s chart of the two players', () => {
    const s = [1, 2].reduce((state, step) => foldMetrics(state, { ...metrics(step), dReal: 0.5 + step / 10 }), initialState());
    assert.deepEqual(s.outputs, [{ step: 1, dReal: 0.6, dFake: 0.4 }, { step: 2, dReal: 0.7, dFake: 0.4 }]);
  });

  it('keeps a semi-supervised run\'s last test error while steps without one follow', () => {
    let s = foldMetrics(initialState(), { ...metrics(100), extra: { testError: 0.12, testAccuracy: 0.88 } });
    s = foldMetrics(s, metrics(101));
    assert.deepEqual(s.testError, { step: 100, value: 0.12 });
  });

  it('takes a progressive run\'s side and fade-in α', () => {
    const s = foldMetrics(initialState(), { ...metrics(5), extra: { resolution: 14, alpha: 0.25, lrD: 1e-3 } });
    assert.deepEqual(s.growth, { resolution: 14, alpha: 0.25 });
    assert.equal(s.testError, undefined);
  });
});
