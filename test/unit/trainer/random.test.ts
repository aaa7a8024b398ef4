import * as assert from 'node:assert/strict';
import { normalArray } from '../../../src/trainer/random';

/** The standard normal CDF, by Abramowitz & Stegun 7.1.26 (error below 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

describe('normalArray', () => {
  const n = 400_000;
  const draws = normalArray(n, 2, 12345);

  it('draws N(0, std²): mean, variance and kurtosis', () => {
    let sum = 0, squares = 0, fourth = 0;
    for (const x of draws) { sum += x; squares += x * x; fourth += x ** 4; }
    const mean = sum / n;
    const variance = squares / n - mean * mean;
    assert.ok(Math.abs(mean) < 0.02, `mean ${mean}`);
    assert.ok(Math.abs(variance - 4) < 0.05, `variance ${variance}`);
    assert.ok(Math.abs(fourth / n / variance ** 2 - 3) < 0.05, `kurtosis ${fourth / n / variance ** 2}`);
  });

  it('follows the normal distribution, tails included (Kolmogorov–Smirnov, and the share beyond 3σ)', () => {
    const sorted = Float64Array.from(draws, (x) => x / 2).sort();
    let worst = 0;
    sorted.forEach((x, i) => { worst = Math.max(worst, Math.abs(normalCdf(x) - (i + 0.5) / n)); });
    assert.ok(worst < 1.63 / Math.sqrt(n), `KS distance ${worst} (the 1 % critical value is ${1.63 / Math.sqrt(n)})`);
    const beyond = sorted.filter((x) => Math.abs(x) > 3).length / n;
    assert.ok(Math.abs(beyond - 0.0027) < 0.0006, `share beyond 3σ ${beyond}, expected 0.0027`);
    assert.ok(sorted[0] < -3.5 && sorted[n - 1] > 3.5, 'draws reach past the ziggurat\'s base strip (R = 3.44) on both sides');
  });

  it('is reproducible from its seed, and another seed draws other numbers', () => {
    assert.deepEqual(normalArray(1000, 1, 7), normalArray(1000, 1, 7));
    const other = normalArray(1000, 1, 8);
    assert.ok(other.some((x, i) => x !== normalArray(1000, 1, 7)[i]));
    assert.equal(normalArray(0, 1, 7).length, 0);
  });
});
