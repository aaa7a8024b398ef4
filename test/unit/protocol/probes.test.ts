// Probe queries, results and snapshots are validated as they cross the trainer, host and webview boundaries.
import * as assert from 'node:assert/strict';
import { validateToPanel } from '../../../src/protocol/panels';
import { checkProbeQuery, checkProbeResult, probeSnapshotProblem, VERDICT_BINS } from '../../../src/protocol/probes';
import { verdictCounts } from '../../../src/trainer/probes/snapshot';

const snapshot = { step: 50, dReal: 0.6, dFake: 0.3, layers: [], batchNorm: [] };
const bins = (n = VERDICT_BINS) => new Array<number>(n).fill(1);
const images = (n: number) => ({ images: new Float32Array(n), verdicts: [0.5], gradients: new Float32Array(n) });
const gradientsResult = {
  kind: 'inputGradients', step: 3, loss: 'minimax', shape: [1, 2, 2, 1], stepSize: 0.1,
  generated: images(4), after: { images: new Float32Array(4), verdicts: [0.6] }, real: images(4),
};

describe('Probe messages', () => {
  it('accepts an input-gradients query', () => {
    assert.ok(checkProbeQuery({ kind: 'inputGradients', cells: [0, 1], indices: [3], stepSize: 0.25 }).ok);
  });

  it('rejects an input-gradients step size outside 0 to 2, naming it', () => {
    assert.deepEqual(checkProbeQuery({ kind: 'inputGradients', cells: [0], indices: [0], stepSize: 3 }), { ok: false, error: 'inputGradients.stepSize must be between 0 and 2' });
    assert.equal(checkProbeQuery({ kind: 'inputGradients', cells: [0], indices: [0], stepSize: -0.1 }).ok, false);
    assert.equal(checkProbeQuery({ kind: 'inputGradients', cells: [-1], indices: [0], stepSize: 0.1 }).ok, false);
  });

  it('accepts an input-gradients result, and rejects one whose gradients are not a Float32Array', () => {
    assert.ok(checkProbeResult(gradientsResult).ok);
    const wrong = checkProbeResult({ ...gradientsResult, real: { ...images(4), gradients: [0, 0, 0, 0] } });
    assert.deepEqual(wrong, { ok: false, error: 'inputGradients.real.gradients must be a Float32Array' });
  });

  it('accepts a snapshot without verdict histograms, as older runs wrote them', () => {
    assert.equal(probeSnapshotProblem(snapshot, 'snapshot'), undefined);
  });

  it('accepts a snapshot\'s verdict histograms of VERDICT_BINS counts, and rejects another number of bins', () => {
    assert.equal(probeSnapshotProblem({ ...snapshot, verdicts: { real: bins(), fake: bins() } }, 's'), undefined);
    assert.equal(probeSnapshotProblem({ ...snapshot, verdicts: { real: bins(), fake: bins(3) } }, 's'), `s.verdicts.fake must have ${VERDICT_BINS} bins`);
  });

  it('checks the verdict histograms pushed to a metrics panel', () => {
    assert.ok(validateToPanel({ type: 'verdicts', reset: true, verdicts: [{ step: 1, real: bins(), fake: bins() }] }).ok);
    assert.equal(validateToPanel({ type: 'verdicts', reset: true, verdicts: [{ real: bins(), fake: bins() }] }).ok, false);
  });

  it('counts D\'s outputs into equal bins of [0, 1], an output of 1 in the last', () => {
    const counts = verdictCounts([0, 0.04, 0.05, 0.5, 0.999, 1]);
    assert.equal(counts.length, VERDICT_BINS);
    assert.deepEqual([counts[0], counts[1], counts[10], counts[VERDICT_BINS - 1]], [2, 1, 1, 2]);
    assert.equal(counts.reduce((a, b) => a + b), 6);
  });
});
