import * as assert from 'node:assert/strict';
import { inceptionScore } from '../../../../src/trainer/scores/inception';
import { classModes } from '../../../../src/trainer/scores/modes';

/** n rows of K probabilities, row i from `row(i)`. */
const rows = (n: number, k: number, row: (i: number) => number[]) => Float32Array.from({ length: n * k }, (_, j) => row(Math.floor(j / k))[j % k]);
const oneHot = (k: number, c: number) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0));

describe('trainer/scores/inception', () => {
  it('is 1 when the classifier is equally unsure of every image', () => {
    assert.ok(Math.abs(inceptionScore(rows(50, 10, () => new Array(10).fill(0.1)), 10) - 1) < 1e-6);
  });

  it('is 1 when every image is surely the same class (total mode collapse)', () => {
    assert.ok(Math.abs(inceptionScore(rows(50, 10, () => oneHot(10, 3)), 10) - 1) < 1e-9);
  });

  it('is K for sure predictions balanced over K classes', () => {
    assert.ok(Math.abs(inceptionScore(rows(100, 10, (i) => oneHot(10, i % 10)), 10) - 10) < 1e-4);
    assert.ok(Math.abs(inceptionScore(rows(60, 10, (i) => oneHot(10, i % 3)), 10) - 3) < 1e-4);
  });

  it('averages over splits as the paper does', () => {
    // First half all class 0 (IS 1 alone), second half balanced over 2 classes (IS 2 alone).
    const probs = rows(40, 2, (i) => (i < 20 ? [1, 0] : oneHot(2, i % 2)));
    assert.ok(Math.abs(inceptionScore(probs, 2, 2) - 1.5) < 1e-6);
  });

  it('rejects a ragged probability array', () => {
    assert.throws(() => inceptionScore(new Float32Array(15), 10), /whole rows of 10/);
  });
});

describe('trainer/scores/modes', () => {
  it('has the entropy ln K and covers every class when predictions are balanced', () => {
    const m = classModes(rows(100, 10, (i) => oneHot(10, i % 10)), 10);
    assert.deepEqual(m.histogram, new Array(10).fill(0.1));
    assert.ok(Math.abs(m.entropy - Math.log(10)) < 1e-12);
    assert.equal(m.covered, 10);
  });

  it('has entropy 0 and covers one class when the generator draws one digit', () => {
    const m = classModes(rows(30, 10, () => [0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.55, 0.05, 0.05]), 10);
    assert.equal(m.histogram[7], 1);
    assert.equal(m.entropy, 0);
    assert.equal(m.covered, 1);
  });

  it('counts the most probable class of each sample; a class under 2 % is not covered', () => {
    // 99 samples split over classes 0 and 1, one sample of class 2: 1 % of the samples.
    const m = classModes(rows(100, 3, (i) => (i === 99 ? [0, 0.2, 0.8] : i % 2 ? [0.3, 0.7, 0] : [0.6, 0.4, 0])), 3);
    assert.deepEqual(m.histogram, [0.5, 0.49, 0.01]);
    assert.equal(m.covered, 2);
    const p = [0.5, 0.49, 0.01];
    assert.ok(Math.abs(m.entropy + p.reduce((h, x) => h + x * Math.log(x), 0)) < 1e-12);
  });
});
