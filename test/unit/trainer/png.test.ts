import * as assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { encodeGrayPng, encodePng } from '../../../src/trainer/png';
import { crc32, decodeGrayPng } from './helpers';

describe('trainer/png', () => {
  it('checks PNG chunks with the standard CRC-32 (check value of "123456789" and of the IEND chunk type)', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.from('IEND')), 0xae426082);
  });

  it('encodes a grayscale image whose decoded pixels and header match the input', () => {
    const width = 5;
    const height = 3;
    const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 37) % 256);
    const decoded = decodeGrayPng(encodeGrayPng(pixels, width, height), crc32);
    assert.deepEqual({ w: decoded.width, h: decoded.height, depth: decoded.bitDepth, color: decoded.colorType }, { w: 5, h: 3, depth: 8, color: 0 });
    assert.deepEqual(decoded.pixels, pixels);
  });

  it('encodes an RGB image that decodes to the same pixels', () => {
    const pixels = Uint8Array.from({ length: 4 * 2 * 3 }, (_, i) => (i * 53) % 256);
    const decoded = PNG.sync.read(Buffer.from(encodePng(pixels, 4, 2, 3)));
    assert.deepEqual([decoded.width, decoded.height, decoded.colorType], [4, 2, 2]);
    const rgb = Uint8Array.from(decoded.data.filter((_, i) => i % 4 !== 3));
    assert.deepEqual(rgb, pixels);
  });

  it('rejects pixel data that does not fill the image', () => {
    assert.throws(() => encodeGrayPng(new Uint8Array(10), 4, 3), /10 pixels do not fill 4×3/);
  });
});
