import * as assert from 'node:assert/strict';
import { seededRandom } from '../../../../src/trainer/random';
import {
  laplacianPyramid, pyramidDescriptors, randomDirections, slicedWasserstein, sortedProjections, swdByLevel, swdProfile,
} from '../../../../src/trainer/scores/swd';

/** n 28×28 "digits": a bright bar at a random place and angle on a dark background, in [-1, 1]. */
function strokes(n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(n * 784).fill(-1);
  for (let i = 0; i < n; i++) {
    const [cx, cy, angle] = [8 + random() * 12, 8 + random() * 12, random() * Math.PI];
    for (let t = -7; t <= 7; t += 0.25) {
      const x = Math.round(cx + t * Math.cos(angle));
      const y = Math.round(cy + t * Math.sin(angle));
      if (x >= 0 && x < 28 && y >= 0 && y < 28) out[i * 784 + y * 28 + x] = 1;
    }
  }
  return out;
}

describe('trainer/scores/swd', () => {
  it('builds a 28 → 14 → 7 Laplacian pyramid whose detail levels vanish on a flat image', () => {
    const levels = laplacianPyramid(new Float32Array(784).fill(0.3), 28);
    assert.deepEqual(levels.map((l) => l.side), [28, 14, 7]);
    for (const v of [...levels[0].pixels, ...levels[1].pixels]) assert.ok(Math.abs(v) < 1e-6);
    for (const v of levels[2].pixels) assert.ok(Math.abs(v - 0.3) < 1e-6);
  });

  it('takes the wanted 7×7 neighbourhoods per image at each level, and the whole 7×7 level once', () => {
    const levels = pyramidDescriptors(strokes(3, 1), 28, 16, 5);
    assert.deepEqual(levels.map((l) => [l.side, l.count, l.values.length]), [[28, 48, 48 * 49], [14, 48, 48 * 49], [7, 3, 3 * 49]]);
  });

  it('is the mean |δ·u| over directions u between a set of vectors and the set shifted by δ', () => {
    const random = seededRandom(3);
    const [count, dim] = [300, 5];
    const a = Float32Array.from({ length: count * dim }, () => random());
    const delta = [0.5, -1, 0, 2, 0.25];
    const b = a.map((v, i) => v + delta[i % dim]);
    const dirs = randomDirections(64, dim, 9);
    const expected = Array.from({ length: 64 }, (_, k) => Math.abs(delta.reduce((s, d, j) => s + d * dirs[k * dim + j], 0))).reduce((s, x) => s + x) / 64;
    const swd = slicedWasserstein(sortedProjections(a, count, dirs), sortedProjections(b, count, dirs));
    assert.ok(Math.abs(swd - expected) < 1e-5, `got ${swd}, expected ${expected}`);
  });

  it('draws unit directions', () => {
    const dirs = randomDirections(10, 49, 1);
    for (let k = 0; k < 10; k++) assert.ok(Math.abs(dirs.slice(k * 49, (k + 1) * 49).reduce((s, x) => s + x * x, 0) - 1) < 1e-12);
  });

  it('is 0 at every level between a set of images and itself', () => {
    const images = strokes(100, 4);
    for (const { distance } of swdByLevel(swdProfile(images, 28), swdProfile(images.slice(), 28))) assert.equal(distance, 0);
  });

  it('is small between two samples of the same kind of image and larger for images that differ in shape', () => {
    const same = swdByLevel(swdProfile(strokes(300, 5), 28), swdProfile(strokes(300, 6), 28));
    // The same strokes drawn twice as thick: a change of shape that the per-set normalisation cannot undo.
    const thick = strokes(300, 6).map((v, i, all) => (v < 0 && ((i % 28 > 0 && all[i - 1] > 0) || (i >= 28 && all[i - 28] > 0)) ? 1 : v));
    const differ = swdByLevel(swdProfile(strokes(300, 5), 28), swdProfile(thick, 28));
    const total = (levels: { distance: number }[]) => levels.reduce((s, l) => s + l.distance, 0);
    assert.ok(differ[0].distance > 2 * same[0].distance, `finest level: ${differ[0].distance} vs ${same[0].distance}`);
    assert.ok(total(differ) > total(same), `all levels: ${total(differ)} vs ${total(same)}`);
  });

  it('refuses to compare sets of different sizes', () => {
    assert.throws(() => swdByLevel(swdProfile(strokes(20, 1), 28), swdProfile(strokes(30, 1), 28)), /as many directions and projections/);
  });
});
