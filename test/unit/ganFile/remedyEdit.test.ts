import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { mergeIntoGanFile } from '../../../src/ganFile/remedyEdit';

const FILE = `{
  // D learns 25× faster than G
  "extends": "mnist-tiny",
  "loss": "minimax", // the saturating one
  "optimizer": {
    "generator": { "type": "adam", "learningRate": 0.0001 },
    "discriminator": { "type": "adam", "learningRate": 0.0025 }
  }
}
`;

describe('GAN file: a remedy merged into its text', () => {
  it('replaces a value in place and keeps the comments', () => {
    const out = mergeIntoGanFile(FILE, { loss: 'non-saturating' });
    assert.match(out, /"loss": "non-saturating", \/\/ the saturating one/);
    assert.match(out, /\/\/ D learns 25× faster than G/);
  });

  it('merges a nested object field by field, leaving its siblings', () => {
    const out = parse(mergeIntoGanFile(FILE, { optimizer: { discriminator: { learningRate: 0.0001 } } }));
    assert.deepEqual(out.optimizer.discriminator, { type: 'adam', learningRate: 0.0001 });
    assert.deepEqual(out.optimizer.generator, { type: 'adam', learningRate: 0.0001 });
  });

  it('adds a field the file does not have, in the file\'s indentation', () => {
    const out = mergeIntoGanFile(FILE, { labelSmoothing: 0.1 });
    assert.match(out, /\n  "labelSmoothing": 0\.1\n/);
    assert.equal(parse(out).labelSmoothing, 0.1);
  });

  it('creates the objects on the way to a new nested field', () => {
    const out = parse(mergeIntoGanFile('{ "extends": "mnist-tiny" }', { optimizer: { discriminator: { learningRate: 0.0002 } } }));
    assert.deepEqual(out.optimizer, { discriminator: { learningRate: 0.0002 } });
  });

  it('replaces a list whole', () => {
    const text = '{\n  "generator": [{ "type": "dense", "units": 10 }, { "type": "relu" }]\n}\n';
    const out = parse(mergeIntoGanFile(text, { generator: [{ type: 'dense', units: 10 }, { type: 'batchNorm' }, { type: 'relu' }] }));
    assert.deepEqual(out.generator.map((l: { type: string }) => l.type), ['dense', 'batchNorm', 'relu']);
  });

  it('replaces a field that is not an object where the change has one', () => {
    const out = parse(mergeIntoGanFile('{ "instanceNoise": 0 }', { instanceNoise: { stddev: 0.1 } }));
    assert.deepEqual(out.instanceNoise, { stddev: 0.1 });
  });
});
