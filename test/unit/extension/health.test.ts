import * as assert from 'node:assert/strict';
import { byConcern, Finding } from '../../../src/protocol/findings';
import { openFindings } from '../../../src/extension/doctor/health';

const finding = (kind: Finding['kind'], severity: Finding['severity'], step: number, lastStep = step): Finding => ({
  kind, severity, step, lastStep, summary: kind, evidence: {}, remedies: [],
});

describe('doctor: which finding comes first', () => {
  it('puts errors before warnings before infos, whatever their steps', () => {
    const order = byConcern([finding('checkerboard', 'info', 900), finding('oscillation', 'warning', 800), finding('non-finite', 'error', 10)]);
    assert.deepEqual(order.map((f) => f.severity), ['error', 'warning', 'info']);
  });

  it('puts the newest first among findings of one severity', () => {
    const order = byConcern([finding('oscillation', 'warning', 100, 200), finding('mode-collapse', 'warning', 150, 400)]);
    assert.deepEqual(order.map((f) => f.kind), ['mode-collapse', 'oscillation']);
  });

  it('leaves out findings that ended well before the run\'s newest step', () => {
    const found = openFindings([finding('oscillation', 'warning', 100, 200), finding('dead-units', 'info', 900, 1000)], 1000);
    assert.deepEqual(found.map((f) => f.kind), ['dead-units']);
  });

  it('has none open when all is clear', () => {
    assert.deepEqual(openFindings([], 500), []);
  });
});
