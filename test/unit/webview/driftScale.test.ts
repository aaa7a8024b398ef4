import * as assert from 'node:assert/strict';
import { driftColor, DriftPalette } from '../../../webview-ui/batchnorm/driftScale';

const light: DriftPalette = { background: [255, 255, 255], calm: [0, 100, 200], warn: [200, 160, 0], hot: [220, 40, 40] };
const dark: DriftPalette = { ...light, background: [30, 30, 30] };

describe('batch-norm panel: drift heatmap colours', () => {
  it('draws no drift as the background, on a light theme and a dark one', () => {
    assert.deepEqual(driftColor(0, light), light.background);
    assert.deepEqual(driftColor(0, dark), dark.background);
  });

  it('keeps a channel within the threshold in the calm hue, never a warm one', () => {
    const [r, , b] = driftColor(1, light);
    assert.ok(b > r, `rgb at the threshold: ${driftColor(1, light)}`);
  });

  it('turns warm past the threshold, hot from twice it', () => {
    assert.deepEqual(driftColor(1.0001, light), light.warn);
    assert.deepEqual(driftColor(2, light), light.hot);
    assert.deepEqual(driftColor(9, dark), dark.hot);
  });
});
