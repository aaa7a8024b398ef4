import * as assert from 'node:assert/strict';
import { StepMetrics } from '../../../src/protocol/trainer';
import { ComparedRun, compareSeries, gridAt, gridSteps, history, lineage, shortLabels } from '../../../src/extension/compare/compareSeries';

const step = (n: number, dLoss: number): StepMetrics => ({ step: n, time: n, dLoss, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 100 });
const run = (id: string, steps: number[], dLoss: number, extra: Partial<ComparedRun> = {}): ComparedRun => ({
  id, dir: `/runs/${id}`, steps: steps.map((n) => step(n, dLoss)), scores: [], sampleSteps: [], ...extra,
});

describe('compare: series of runs and their branches', () => {
  const parent = run('p', [1, 2, 3, 4, 5, 6], 1, { sampleSteps: [2, 4, 6] });
  const branch = run('b', [5, 6, 7], 2, { parent: { run: 'p', step: 4 }, sampleSteps: [6] });
  const known = new Map([parent, branch].map((r) => [r.id, r]));

  it('gives a branch its parent\'s history up to the branch step, then its own', () => {
    const { steps } = history(lineage(branch, known));
    assert.deepEqual(steps.map((m) => [m.step, m.dLoss]), [[1, 1], [2, 1], [3, 1], [4, 1], [5, 2], [6, 2], [7, 2]]);
  });

  it('keeps a run whose parent is unknown to its own steps', () => {
    const orphan = run('o', [11, 12], 3, { parent: { run: 'gone', step: 10 } });
    assert.deepEqual(history(lineage(orphan, known)).steps.map((m) => m.step), [11, 12]);
  });

  it('names each line for its run, so that one chart overlays the runs', () => {
    const series = compareSeries([parent, branch], known);
    const losses = series.filter((s) => s.group === 'Losses').map((s) => s.name);
    assert.deepEqual(losses, ['p · D loss', 'p · G loss', 'b · D loss', 'b · G loss']);
  });

  it('shows a branch\'s grid from its parent before the branch step and its own after', () => {
    const line = lineage(branch, known);
    assert.deepEqual(gridAt(line, 5), { dir: '/runs/p', step: 4 });
    assert.deepEqual(gridAt(line, 6), { dir: '/runs/b', step: 6 });
    assert.equal(gridAt(line, 1), undefined);
  });

  it('offers the steps at which any compared lineage has a grid', () => {
    assert.deepEqual(gridSteps([lineage(parent, known), lineage(branch, known)]), [2, 4, 6]);
  });

  it('shortens run ids to what tells them apart', () => {
    assert.deepEqual(shortLabels(['2026-11-28T22-50-01-mnist-tiny', '2026-11-28T23-10-44-dwins']), ['28T22-50-01-mnist-tiny', '28T23-10-44-dwins']);
  });
});
