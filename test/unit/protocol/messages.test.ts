import * as assert from 'node:assert/strict';
import { validateTrainerEvent, validateTrainerRequest } from '../../../src/protocol/trainer';
import { validateFromWebview, validateToWebview } from '../../../src/protocol/dashboard';
import { runRecordProblem } from '../../../src/protocol/runDir';
import { parseMetricsLine } from '../../../src/runFolder/records';

describe('protocol validation', () => {
  const config = { preset: 'mnist-tiny', dataset: 'mnist', steps: 10, seed: 1, runsDir: '/tmp/runs', sampleEvery: 5 };

  it('accepts a well-formed start request', () => {
    assert.deepEqual(validateTrainerRequest({ type: 'start', config }), { ok: true, value: { type: 'start', config } });
  });

  it('rejects an unknown message type, naming it', () => {
    const result = validateTrainerRequest({ type: 'explode' });
    assert.equal(result.ok, false);
    assert.match((result as { error: string }).error, /unknown message type "explode"/);
  });

  it('rejects non-objects without throwing', () => {
    for (const raw of [null, undefined, 42, 'start', [], { type: 7 }]) assert.equal(validateTrainerRequest(raw).ok, false);
  });

  it('names the field that is wrong', () => {
    const result = validateTrainerRequest({ type: 'start', config: { ...config, steps: -1 } });
    assert.deepEqual(result, { ok: false, error: 'start.config.steps must be a non-negative integer' });
  });

  it('rejects a metrics step line whose loss is not finite', () => {
    const metrics = { step: 3, time: 10, dLoss: NaN, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 100 };
    assert.deepEqual(parseMetricsLine(metrics, 'line 3'), { ok: false, error: 'line 3.dLoss must be a finite number' });
  });

  it('accepts a "wrote" event naming what was written and its step, and nothing else', () => {
    assert.equal(validateTrainerEvent({ type: 'wrote', record: 'sample', step: 1 }).ok, true);
    assert.equal(validateTrainerEvent({ type: 'wrote', record: 'finding', step: 300 }).ok, true);
    assert.equal(validateTrainerEvent({ type: 'wrote', record: 'png', step: 1 }).ok, false);
    assert.equal(validateTrainerEvent({ type: 'wrote', record: 'step', step: -1 }).ok, false);
  });

  it('validates webview messages in both directions', () => {
    assert.equal(validateFromWebview({ type: 'action', action: 'pause' }).ok, true);
    assert.equal(validateFromWebview({ type: 'action', action: 'format-disk' }).ok, false);
    const state = { status: 'running', step: 1, dLoss: null, gLoss: null, dReal: null, dFake: null, imagesPerSec: null, history: [] };
    assert.equal(validateToWebview({ type: 'state', state }).ok, true);
    assert.equal(validateToWebview({ type: 'state', state: { ...state, status: 'dancing' } }).ok, false);
    assert.equal(validateToWebview({ type: 'state', state: { ...state, history: [{ step: 1 }] } }).ok, false);
  });

  it('checks run.json records', () => {
    const record = {
      schema: 1, id: 'r', createdAt: '2026-11-28T00:00:00Z', config, backend: 'wasm', device: 'cpu', tfjsVersion: '4.22.0',
      batchSize: 32, model: { latentDim: 100, imageSize: 28, channels: 1 },
    };
    assert.equal(runRecordProblem(record, 'run.json'), undefined);
    assert.equal(runRecordProblem({ ...record, model: {} }, 'run.json'), 'run.json.model.latentDim must be a non-negative integer');
  });
});
