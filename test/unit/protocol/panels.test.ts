// The extension↔panel messages are validated on arrival on both sides.
import * as assert from 'node:assert/strict';
import { validateFromPanel, validateToPanel } from '../../../src/protocol/panels';

describe('Panel messages', () => {
  it('accepts a probe request and an export with bytes', () => {
    assert.ok(validateFromPanel({ type: 'probe', id: 3, query: { kind: 'generatorActivations', z: { kind: 'cell', index: 2 } } }).ok);
    assert.ok(validateFromPanel({ type: 'export', format: 'gif', suggestedName: 'run.gif', data: new Uint8Array([71, 73, 70]) }).ok);
  });

  it('rejects a probe whose query is malformed, naming the field', () => {
    const r = validateFromPanel({ type: 'probe', id: 1, query: { kind: 'generatorActivations', z: { kind: 'cell' } } });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /index/);
  });

  it('rejects an export that is not bytes or not a known format', () => {
    assert.equal(validateFromPanel({ type: 'export', format: 'png', suggestedName: 'a.png', data: [1, 2] }).ok, false);
    assert.equal(validateFromPanel({ type: 'export', format: 'jpeg', suggestedName: 'a.jpg', data: new Uint8Array() }).ok, false);
  });

  it('rejects a chart series whose steps and values differ in length', () => {
    const series = (values: number[]) => ({ type: 'series', reset: true, series: [{ name: 'D loss', group: 'Losses', steps: [1, 2], values }] });
    assert.ok(validateToPanel(series([0.5, 0.4])).ok);
    const r = validateToPanel(series([0.5]));
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /same length/);
  });

  it('carries a probe result with its typed arrays', () => {
    const result = { kind: 'images', shape: [1, 2, 2, 1], data: new Float32Array(4) };
    assert.ok(validateToPanel({ type: 'probeResult', id: 9, result }).ok);
    assert.equal(validateToPanel({ type: 'probeResult', id: 9, result: { ...result, data: [0, 0, 0, 0] } }).ok, false);
  });
});
