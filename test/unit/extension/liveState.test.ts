import * as assert from 'node:assert/strict';
import { DashboardState } from '../../../src/protocol/dashboard';
import { foldMetrics, initialState, LiveState } from '../../../src/extension/liveState';

const metrics = (step: number) => ({ step, time: step * 10, dLoss: 1.2, gLoss: 0.8, dReal: 0.6, dFake: 0.4, imagesPerSec: 50 });

describe('LiveState', () => {
  it('folds trainer events into the dashboard state', () => {
    const published: DashboardState[] = [];
    const session = new LiveState((s) => published.push(s), 0);
    session.begin('mnist-tiny');
    session.apply({ type: 'ready', backend: 'wasm', device: 'CPU', threads: 2, skipped: [], tfjsVersion: '4.22.0' });
    session.apply({ type: 'started', runId: 'r1', runDir: '/runs/r1', preset: 'mnist-tiny', batchSize: 32, step: 0 });
    session.apply({ type: 'step', metrics: metrics(1) });
    session.apply({ type: 'samples', step: 1, path: '/runs/r1/samples/step-000001.png', png: new Uint8Array([137, 80]) });
    const s = session.state;
    assert.equal(s.status, 'running');
    assert.equal(s.backend, 'wasm (2 threads)');
    assert.equal(s.step, 1);
    assert.equal(s.dLoss, 1.2);
    assert.deepEqual(s.samples, { step: 1, uri: 'data:image/png;base64,iVA=' });
    assert.ok(published.length >= 3);
    session.dispose();
  });

  it('publishes step updates at most once per interval but status changes at once', async () => {
    const published: DashboardState[] = [];
    const session = new LiveState((s) => published.push(s), 100);
    session.begin('mnist-tiny');
    for (let i = 1; i <= 50; i++) session.apply({ type: 'step', metrics: metrics(i) });
    session.apply({ type: 'paused', step: 50 });
    assert.equal(published.at(-1)?.status, 'paused');
    const count = published.length;
    assert.ok(count <= 3, `published ${count} times for 50 steps`);
    await new Promise((r) => setTimeout(r, 150));
    session.dispose();
  });

  it('keeps a bounded loss history', () => {
    const session = new LiveState(() => undefined, 0);
    for (let i = 1; i <= 1000; i++) session.apply({ type: 'step', metrics: metrics(i) });
    assert.equal(session.state.history.length, 300);
    assert.equal(session.state.history.at(-1)?.step, 1000);
    session.dispose();
  });

  it('marks a fatal trainer error as a crash with its message', () => {
    const session = new LiveState(() => undefined, 0);
    session.begin('mnist-tiny');
    session.apply({ type: 'error', message: 'Unknown preset "nope".', fatal: true });
    assert.equal(session.state.status, 'crashed');
    assert.equal(session.state.message, 'Unknown preset "nope".');
    session.dispose();
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
