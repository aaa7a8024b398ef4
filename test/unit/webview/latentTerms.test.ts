import * as assert from 'node:assert/strict';
import { arithmeticLatents, cellAt, interpolationLatents, nextTerm, NO_PICKS, Picks, toggle } from '../../../webview-ui/gallery/latentTerms';

const picks: Picks = { a: [0, 1, 2], b: [8, 9, 10], c: [16, 17, 18] };
/** A weighted sum of cells as { cell: weight }. */
const weights = (sum: { weight: number; z: { kind: string; index?: number } }[]) => Object.fromEntries(sum.map((t) => [t.z.index, Number(t.weight.toFixed(6))]));

describe('gallery: latent arithmetic on clicked cells', () => {
  it('finds the cell of the 8×8 grid under a click, row by row', () => {
    assert.equal(cellAt(0.01, 0.01, 8), 0);
    assert.equal(cellAt(0.99, 0.01, 8), 7);
    assert.equal(cellAt(0.3, 0.55, 8), 4 * 8 + 2);
    assert.equal(cellAt(1, 1, 8), 63);
  });

  it('fills A, then B, then C with three cells each; a second click on a cell drops it', () => {
    let p = NO_PICKS;
    for (const cell of [5, 6, 7, 20]) p = toggle(p, nextTerm(p), cell);
    assert.deepEqual(p, { a: [5, 6, 7], b: [20], c: [] });
    p = toggle(p, 'a', 6);
    assert.deepEqual(p.a, [5, 7]);
    assert.equal(nextTerm(p), 'a');
  });

  it('averages each term: the last image is mean A − mean B + mean C', () => {
    const [a, b, c, result] = arithmeticLatents(picks);
    assert.deepEqual(weights(a), { 0: 0.333333, 1: 0.333333, 2: 0.333333 });
    assert.deepEqual(weights(b), { 8: 0.333333, 9: 0.333333, 10: 0.333333 });
    assert.equal(c.length, 3);
    assert.deepEqual(weights(result), { 0: 0.333333, 1: 0.333333, 2: 0.333333, 8: -0.333333, 9: -0.333333, 10: -0.333333, 16: 0.333333, 17: 0.333333, 18: 0.333333 });
  });

  it('averages a term of fewer cells over the cells it has', () => {
    assert.deepEqual(weights(arithmeticLatents({ a: [3], b: [4, 5], c: [6] })[1]), { 4: 0.5, 5: 0.5 });
  });

  it('interpolates from the mean of A to the mean of B', () => {
    const line = interpolationLatents(picks, 5);
    assert.deepEqual(weights(line[0]), { 0: 0.333333, 1: 0.333333, 2: 0.333333, 8: 0, 9: 0, 10: 0 });
    assert.deepEqual(weights(line[4]), { 0: 0, 1: 0, 2: 0, 8: 0.333333, 9: 0.333333, 10: 0.333333 });
  });
});
