import * as assert from 'node:assert/strict';
import { frechetDistance, gaussianStats, symmetricEigen } from '../../../../src/trainer/scores/frechet';
import { seededRandom } from '../../../../src/trainer/random';

/** n samples of N(mean, L·Lᵀ) in `dim` dimensions, as rows. */
function gaussian(n: number, dim: number, seed: number, mean: number[] = [], l?: number[][]): Float64Array {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: dim }, normal);
    for (let j = 0; j < dim; j++) out[i * dim + j] = (mean[j] ?? 0) + (l ? l[j].reduce((s, lj, k) => s + lj * z[k], 0) : z[j]);
  }
  return out;
}

describe('trainer/scores/frechet', () => {
  it('finds the eigenvalues and orthonormal eigenvectors of a symmetric matrix', () => {
    const a = [4, 1, 2, 1, 3, 0, 2, 0, 5];
    const { values, vectors } = symmetricEigen(a, 3);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        const av = a[i * 3] * vectors[k] + a[i * 3 + 1] * vectors[3 + k] + a[i * 3 + 2] * vectors[6 + k];
        assert.ok(Math.abs(av - values[k] * vectors[i * 3 + k]) < 1e-10);
      }
    }
    assert.ok(Math.abs(values.reduce((s, v) => s + v, 0) - 12) < 1e-10); // the trace
  });

  it('is 0 between a set and itself', () => {
    const x = gaussian(500, 16, 1);
    const s = gaussianStats(x, 16);
    assert.ok(frechetDistance(s, gaussianStats(x, 16)) < 1e-8);
  });

  it('is |Δμ|² between a set and the same set shifted by Δμ', () => {
    const x = gaussian(400, 8, 2);
    const delta = [1, -2, 0.5, 0, 0, 3, 0, 0];
    const shifted = x.map((v, i) => v + delta[i % 8]);
    const expected = delta.reduce((s, d) => s + d * d, 0);
    assert.ok(Math.abs(frechetDistance(gaussianStats(x, 8), gaussianStats(shifted, 8)) - expected) < 1e-8);
  });

  it('matches the closed form between two known Gaussians: (σ₁ − σ₂)² per axis for isotropic ones', () => {
    // N(0, 1·I) against N(0, 4·I) in 4 dimensions: d² = Σ (1 + 4 − 2·√4) = 4.
    const a = gaussianStats(gaussian(20000, 4, 3), 4);
    const b = gaussianStats(gaussian(20000, 4, 4, [], [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 2]]), 4);
    assert.ok(Math.abs(frechetDistance(a, b) - 4) < 0.15, `got ${frechetDistance(a, b)}`);
  });

  it('matches scipy-style sqrtm on non-commuting covariances', () => {
    // Exact statistics (not samples): Σ₁ = diag(1, 4), Σ₂ = [[2, 1], [1, 2]]. Tr((Σ₁Σ₂)^½) by hand: Σ₁Σ₂ = [[2, 1], [4, 8]]
    // has eigenvalues 5 ± √13, so Tr = √(5 + √13) + √(5 − √13); d² = 5 + 4 − 2·Tr.
    const stats = (cov: number[]) => ({ dim: 2, count: 2, mean: new Float64Array(2), cov: Float64Array.from(cov) });
    const tr = Math.sqrt(5 + Math.sqrt(13)) + Math.sqrt(5 - Math.sqrt(13));
    assert.ok(Math.abs(frechetDistance(stats([1, 0, 0, 4]), stats([2, 1, 1, 2])) - (9 - 2 * tr)) < 1e-10);
  });

  it('computes the unbiased covariance', () => {
    const s = gaussianStats([1, 2, 3, 4, 5, 9], 2);
    assert.deepEqual([...s.mean], [3, 5]);
    assert.deepEqual([...s.cov], [4, 7, 7, 13]);
  });
});
