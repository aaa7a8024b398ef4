// The metrics panel's lines: one per logged value, grouped into charts by what they measure.
import * as assert from 'node:assert/strict';
import { GROUPS, toSeries } from '../../../src/extension/panels/series';

describe('Chart series from run records', () => {
  it('makes losses, D outputs and speed from step lines, and sorts extra values into learning rates and others', () => {
    const series = toSeries(
      [1, 2].map((step) => ({ step, time: 0, dLoss: step, gLoss: 2 * step, dReal: 0.7, dFake: 0.3, imagesPerSec: 50, extra: { lrD: 2e-4, resolution: 7 } })),
      [],
      [],
    );
    const byName = new Map(series.map((s) => [s.name, s]));
    assert.deepEqual(byName.get('G loss')?.values, [2, 4]);
    assert.equal(byName.get('D loss')?.group, GROUPS.losses);
    assert.equal(byName.get('D(G(z))')?.group, GROUPS.outputs);
    assert.equal(byName.get('lrD')?.group, GROUPS.learningRates);
    assert.equal(byName.get('resolution')?.group, GROUPS.other);
  });

  it('makes one gradient-norm line per layer from snapshots, and one line per score', () => {
    const series = toSeries(
      [],
      [{ step: 100, time: 0, scores: { frechetDistance: 40, inceptionScore: 3 } }],
      [{ step: 50, dReal: 0.5, dFake: 0.5, layers: [{ name: 'G.dense1', weightNorm: 3, gradNorm: 0.2 }, { name: 'D.dense1', weightNorm: 1, gradNorm: 5 }], batchNorm: [] }],
    );
    const gradients = series.filter((s) => s.group === GROUPS.gradients);
    assert.deepEqual(gradients.map((s) => [s.name, s.steps, s.values]), [['G.dense1 ∇', [50], [0.2]], ['D.dense1 ∇', [50], [5]]]);
    assert.deepEqual(series.filter((s) => s.group.startsWith(GROUPS.scores)).map((s) => s.name), ['frechetDistance', 'inceptionScore']);
  });

  it('puts each kind of score on a chart of its own, the SWD of every scale together', () => {
    const series = toSeries([], [{ step: 500, time: 0, scores: { inceptionScore: 3, frechetDistance: 90, swd: 40, swd28: 30, classesCovered: 9, novelScore: 1 } }], []);
    const group = new Map(series.map((s) => [s.name, s.group]));
    assert.equal(group.get('inceptionScore'), 'Scores · Inception Score');
    assert.equal(group.get('frechetDistance'), 'Scores · Fréchet distance');
    assert.equal(group.get('swd'), group.get('swd28'));
    assert.equal(group.get('classesCovered'), 'Scores · Classes covered');
    assert.equal(group.get('novelScore'), 'Scores · novelScore');
  });
});
