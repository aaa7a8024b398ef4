import * as assert from 'node:assert/strict';
import { LayerActivation } from '../../../src/protocol/probes';
import { featureMaps } from '../../../webview-ui/activations/featureMaps';

/** A [side, side, channels] layer whose value at pixel i of channel k is 1000·k + i + 1 (never 0), of which `sent` channels came. */
function layer(side: number, channels: number, sent = channels): LayerActivation {
  const data = new Float32Array(side * side * sent);
  for (let i = 0; i < side * side; i++) for (let k = 0; k < sent; k++) data[i * sent + k] = 1000 * k + i + 1;
  return {
    name: 'G.reshape', type: 'reshape', shape: [side, side, channels], data,
    channels: Array.from({ length: channels }, () => ({ mean: 0, std: 1, dead: 0 })),
    ...(sent < channels && { channelsShown: sent }),
  };
}

describe('activations panel: feature maps', () => {
  it('reads every pixel of each map of a layer sent whole', () => {
    const maps = featureMaps(layer(7, 16));
    assert.equal(maps.length, 16);
    assert.deepEqual(Array.from(maps[3]), Array.from({ length: 49 }, (_, i) => 3000 + i + 1));
  });

  it('reads a wide layer cut to its first channels at the stride of the channels sent, so no map has a blank half', () => {
    const maps = featureMaps(layer(7, 128, 64));
    assert.equal(maps.length, 64);
    for (const map of maps) assert.ok(map.every((v) => Number.isFinite(v) && v !== 0), 'a pixel read past the data');
    assert.deepEqual(Array.from(maps[63].subarray(45)), [63046, 63047, 63048, 63049]);
  });
});
