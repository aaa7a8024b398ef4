import * as assert from 'node:assert/strict';
import { layerHintLabel, layerHints, networkSummary } from '../../../../src/extension/ganFile/layerHints';
import { GanShapes } from '../../../../src/ganFile/shapes';

const SHAPES: GanShapes = {
  generator: {
    inputShape: [100],
    layers: [
      { type: 'project', outputShape: [7, 7, 128], params: 633_472 },
      { type: 'relu', outputShape: [7, 7, 128], params: 0 },
    ],
    params: 633_472,
  },
  discriminator: { inputShape: [28, 28, 1], layers: [{ type: 'flatten', outputShape: [784], params: 0 }, { type: 'dense', outputShape: [1], params: 785 }], params: 785 },
  problems: [],
};

describe('extension/ganFile/layerHints', () => {
  it('says a layer\'s output shape and its parameters', () => {
    assert.equal(layerHintLabel({ type: 'project', outputShape: [7, 7, 128], params: 633_472 }), '→ 7×7×128 · 633,472 params');
  });

  it('says only the shape of a layer without weights', () => {
    assert.equal(layerHintLabel({ type: 'flatten', outputShape: [784], params: 0 }), '→ [784]');
  });

  it('sums a network up from its input to its output', () => {
    assert.equal(networkSummary('discriminator', SHAPES.discriminator), 'D: 28×28×1 → [1], 785 params');
  });

  it('puts each hint just after its layer\'s closing brace', () => {
    const text = '{ "generator": [ { "type": "project", "channels": 128 }, { "type": "relu" } ] }';
    const hints = layerHints(text, SHAPES);
    assert.deepEqual(hints.map((h) => text.slice(0, h.offset).slice(-1)), ['}', '}']);
    assert.deepEqual(hints.map((h) => h.label), ['→ 7×7×128 · 633,472 params', '→ 7×7×128']);
  });

  it('gives no hints to a network the file takes from the one it extends', () => {
    assert.deepEqual(layerHints('{ "extends": "mnist-dcgan" }', SHAPES), []);
  });
});
