import * as assert from 'node:assert/strict';
import { problemRange } from '../../../../src/extension/ganFile/problemRange';

const TEXT = `{
  // my GAN
  "extends": "mnist-dcgan",
  "batchSize": -4,
  "generator": [
    { "type": "project", "channels": 128 },
    { "type": "conv2dTranspose", "filters": 1, "kernel": 4, "stride": 4 }
  ]
}`;
const at = (path: (string | number)[]) => {
  const { offset, length } = problemRange(TEXT, { path });
  return TEXT.slice(offset, offset + length);
};

describe('extension/ganFile/problemRange', () => {
  it('underlines a field with its key and value', () => {
    assert.equal(at(['batchSize']), '"batchSize": -4');
  });

  it('underlines a field inside a layer', () => {
    assert.equal(at(['generator', 1, 'stride']), '"stride": 4');
  });

  it('underlines a layer at its type', () => {
    assert.equal(at(['generator', 1]), '"type": "conv2dTranspose"');
  });

  it('underlines only the key of a field whose value spans lines', () => {
    assert.equal(at(['generator']), '"generator"');
  });

  it('puts a problem at extends there, where an inherited problem is reported', () => {
    assert.equal(at(['extends']), '"extends": "mnist-dcgan"');
  });

  it('puts a field the file leaves out at the deepest part of its path that is written', () => {
    assert.equal(at(['generator', 0, 'side']), '"type": "project"');
  });

  it('puts a problem of the whole file at its opening brace', () => {
    assert.equal(at([]), '{');
  });

  it('puts a syntax error at its offset', () => {
    assert.deepEqual(problemRange('{ "a": NaN }', { path: [], offset: 7, length: 3 }), { offset: 7, length: 3 });
  });
});
