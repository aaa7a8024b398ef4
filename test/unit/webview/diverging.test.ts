import * as assert from 'node:assert/strict';
import { Diverging, divergingRgb, largestMagnitude } from '../../../webview-ui/gradients/divergingScale';

const colours: Diverging = { negative: [0, 100, 200], zero: [30, 30, 30], positive: [220, 40, 40] };

describe('gradients panel: the diverging map', () => {
  it('draws zero as the background, and the ends of the scale in the two colours', () => {
    assert.deepEqual(divergingRgb(colours, 0, 1), colours.zero);
    assert.deepEqual(divergingRgb(colours, 0.5, 0.5), colours.positive);
    assert.deepEqual(divergingRgb(colours, -0.5, 0.5), colours.negative);
  });

  it('is linear in |value| and stops at the end colours beyond the scale', () => {
    assert.deepEqual(divergingRgb(colours, 0.5, 1), [125, 35, 35]);
    assert.deepEqual(divergingRgb(colours, -3, 1), colours.negative);
  });

  it('draws everything as the background when the scale is 0 (no gradient at all)', () => {
    assert.deepEqual(divergingRgb(colours, 0, 0), colours.zero);
  });

  it('scales by the largest |sum over channels| of a pixel', () => {
    assert.ok(Math.abs(largestMagnitude(new Float32Array([0.25, 0.25, 0.25, 0.5, -1.5, 0]), 3) - 1) < 1e-6);
    assert.equal(largestMagnitude(new Float32Array([0.25, -0.5]), 1), 0.5);
  });
});
