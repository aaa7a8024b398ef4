import * as assert from 'node:assert/strict';
import { tickLabels } from '../../../webview-ui/metrics/ticks';

describe('metrics panel: axis tick labels', () => {
  it('writes a learning rate around 2·10⁻⁴ in powers of ten, each tick different, none "0"', () => {
    const labels = tickLabels([1.5e-4, 2e-4, 2.5e-4]);
    assert.deepEqual(labels, ['1.5·10⁻⁴', '2.0·10⁻⁴', '2.5·10⁻⁴']);
  });

  it('gives ticks of a narrow range as many decimals as their spacing needs', () => {
    assert.deepEqual(tickLabels([0.45, 0.5, 0.55]), ['0.45', '0.50', '0.55']);
    assert.deepEqual(tickLabels([0, 100, 200]), ['0', '100', '200']);
  });

  it('keeps 0 as "0" on an axis of tiny values', () => {
    assert.equal(tickLabels([0, 1e-4, 2e-4])[0], '0');
  });
});
