import * as assert from 'node:assert/strict';
import { currentFindings, Finding, findingProblem, FINDING_KINDS } from '../../../src/protocol/findings';

const finding = (over: Partial<Finding> = {}): Finding => ({
  step: 300, lastStep: 300, kind: 'discriminator-wins', severity: 'warning', summary: 'D wins',
  evidence: { dReal: 0.99, dFake: 0.01 }, remedies: [{ title: 'Use the non-saturating loss', change: { loss: 'non-saturating' } }], ...over,
});

describe('protocol/findings', () => {
  it('names the ten kinds of the issue', () => {
    assert.deepEqual([...FINDING_KINDS], ['non-finite', 'discriminator-wins', 'mode-collapse', 'oscillation', 'vanishing-gradient',
      'exploding-gradient', 'dead-units', 'batchnorm-drift', 'checkerboard', 'memorisation']);
  });

  it('accepts a well-formed finding', () => assert.equal(findingProblem(finding(), 'f'), undefined));

  it('rejects an unknown kind, a non-numeric evidence value, a remedy without a change and a lastStep before step', () => {
    assert.match(findingProblem(finding({ kind: 'sad' as never }), 'f')!, /f\.kind/);
    assert.match(findingProblem(finding({ evidence: { x: NaN } }), 'f')!, /f\.evidence\.x/);
    assert.match(findingProblem(finding({ remedies: [{ title: 't' } as never] }), 'f')!, /change/);
    assert.match(findingProblem(finding({ lastStep: 299 }), 'f')!, /lastStep/);
  });

  it('keeps the last line of each (kind, step)', () => {
    const lines = [finding(), finding({ lastStep: 400 }), finding({ kind: 'mode-collapse', step: 350, lastStep: 350 }), finding({ lastStep: 500 })];
    assert.deepEqual(currentFindings(lines).map((f) => [f.kind, f.step, f.lastStep]), [['discriminator-wins', 300, 500], ['mode-collapse', 350, 350]]);
  });
});
