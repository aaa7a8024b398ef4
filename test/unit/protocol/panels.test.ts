// The extension↔panel messages are validated on arrival on both sides.
import * as assert from 'node:assert/strict';
import { exportFileName, validateFromPanel, validateToPanel } from '../../../src/protocol/panels';

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

  it('accepts a request to export the grid of a step, and rejects one without a whole step', () => {
    assert.ok(validateFromPanel({ type: 'exportSample', step: 120 }).ok);
    const r = validateFromPanel({ type: 'exportSample', step: -1 });
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.error : '', /step/);
    assert.equal(validateFromPanel({ type: 'exportSample', step: '../run.json' }).ok, false);
  });

  it('accepts a zoomed chart asking for the points of its steps, and the reply', () => {
    assert.ok(validateFromPanel({ type: 'seriesRange', group: 'Losses', from: 1000, to: 2000 }).ok);
    assert.equal(validateFromPanel({ type: 'seriesRange', group: 'Losses', from: '0', to: 2000 }).ok, false);
    const series = [{ name: 'D loss', group: 'Losses', steps: [1000, 1001], values: [0.7, 0.69] }];
    assert.ok(validateToPanel({ type: 'seriesDetail', group: 'Losses', from: 1000, to: 2000, series }).ok);
  });

  it('accepts the Diagnosis panel\'s remedy and walkthrough requests, and rejects a walkthrough step that is not an id', () => {
    assert.ok(validateFromPanel({ type: 'applyRemedy', kind: 'discriminator-wins', step: 125, remedy: 0 }).ok);
    assert.ok(validateFromPanel({ type: 'openWalkthrough', step: 'batch-norm' }).ok);
    assert.equal(validateFromPanel({ type: 'applyRemedy', kind: 'bad-luck', step: 125, remedy: 0 }).ok, false);
    assert.equal(validateFromPanel({ type: 'openWalkthrough', step: 'x#y' }).ok, false);
  });

  it('checks every finding pushed to a panel', () => {
    const finding = { step: 1, lastStep: 2, kind: 'oscillation', severity: 'warning', summary: 's', evidence: { growth: 3 }, remedies: [] };
    assert.ok(validateToPanel({ type: 'findings', reset: true, findings: [finding] }).ok);
    assert.equal(validateToPanel({ type: 'findings', reset: true, findings: [{ ...finding, lastStep: 0 }] }).ok, false);
  });

  it('carries step mode\'s last step to a gallery, or its end, and rejects an unknown update', () => {
    const shot = (step: number) => ({ step, uri: 'data:image/png;base64,AA==', dReal: 0.8, dFake: 0.3 });
    const stepped = { update: 'generator', before: shot(364), after: shot(365) };
    assert.ok(validateToPanel({ type: 'stepped', stepped }).ok);
    assert.ok(validateToPanel({ type: 'stepped' }).ok);
    assert.equal(validateToPanel({ type: 'stepped', stepped: { ...stepped, update: 'everything' } }).ok, false);
  });

  it('keeps a safe export file name as it is', () => {
    assert.equal(exportFileName('20250101-mnist_tiny-step-120.png'), '20250101-mnist_tiny-step-120.png');
  });

  it('replaces path separators and other unsafe characters in an export file name', () => {
    assert.equal(exportFileName('../../.ssh/x:y*?<run>-step-1.png'), '_.._.ssh_x_y___run_-step-1.png');
    assert.equal(exportFileName('C:\\Windows\\run-step-1.png'), 'C__Windows_run-step-1.png');
  });

  it('never proposes a hidden, empty or over-long export file name', () => {
    assert.equal(exportFileName('..bashrc'), 'bashrc');
    assert.equal(exportFileName(''), 'ganscope-export');
    assert.equal(exportFileName('/../'), 'ganscope-export');
    const long = exportFileName(`${'r'.repeat(500)}-step-7.png`);
    assert.ok(long.length <= 120 && long.endsWith('-step-7.png'), long);
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
