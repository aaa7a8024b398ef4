import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadMnist, parseIdxImages, parseIdxLabels } from '../../../src/trainer/data/mnist';
import { BatchSampler } from '../../../src/trainer/data/sampler';
import { MNIST_DIR, tempDir } from './helpers';

/** A small IDX images file: `count` images of rows×cols, with header fields overridable to break it. */
function idxImages(count: number, rows: number, cols: number, magic = 2051, bodyBytes = count * rows * cols): Buffer {
  const head = Buffer.alloc(16);
  head.writeUInt32BE(magic, 0);
  head.writeUInt32BE(count, 4);
  head.writeUInt32BE(rows, 8);
  head.writeUInt32BE(cols, 12);
  return Buffer.concat([head, Buffer.alloc(bodyBytes, 7)]);
}

function idxLabels(count: number, magic = 2049): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(magic, 0);
  head.writeUInt32BE(count, 4);
  return Buffer.concat([head, Buffer.alloc(count, 3)]);
}

function writeSplit(images: Buffer, labels: Buffer, gzip: boolean): string {
  const dir = tempDir('mnist');
  const suffix = gzip ? '.gz' : '';
  fs.writeFileSync(path.join(dir, `train-images-idx3-ubyte${suffix}`), gzip ? gzipSync(images) : images);
  fs.writeFileSync(path.join(dir, `train-labels-idx1-ubyte${suffix}`), gzip ? gzipSync(labels) : labels);
  return dir;
}

describe('trainer/data/mnist', () => {
  it('loads the complete official training set: 60,000 images of 28×28 with labels 0–9', () => {
    const data = loadMnist(MNIST_DIR, 'train');
    assert.deepEqual([data.count, data.rows, data.cols, data.pixels.length, data.labels.length], [60000, 28, 28, 60000 * 784, 60000]);
    assert.equal(Math.max(...data.labels), 9);
    assert.equal(data.labels[0], 5); // the first MNIST training digit is a 5
  });

  it('loads the 10,000-image test split', () => {
    assert.equal(loadMnist(MNIST_DIR, 'test').count, 10000);
  });

  it('reads gzipped files the same as raw ones', () => {
    const images = idxImages(3, 4, 5);
    const labels = idxLabels(3);
    const raw = loadMnist(writeSplit(images, labels, false), 'train');
    const gz = loadMnist(writeSplit(images, labels, true), 'train');
    assert.deepEqual(gz.pixels, raw.pixels);
    assert.equal(gz.count, 3);
  });

  it('rejects a wrong magic number, naming the file and byte 0', () => {
    assert.throws(() => parseIdxImages(idxLabels(3), 'labels-as-images'), /labels-as-images: magic number at byte 0 is 2049, expected 2051/);
    assert.throws(() => parseIdxLabels(idxImages(1, 2, 2), 'x.idx'), /x\.idx: magic number at byte 0 is 2051, expected 2049/);
  });

  it('rejects a truncated images file, naming the byte where it ends', () => {
    const bad = idxImages(10, 28, 28, 2051, 9 * 784 + 100);
    assert.throws(() => parseIdxImages(bad, 'short.idx'), new RegExp(`short\\.idx: truncated at byte ${16 + 9 * 784 + 100}; its header promises 10 images of 28×28`));
  });

  it('rejects a file shorter than its header', () => {
    assert.throws(() => parseIdxLabels(idxLabels(0).subarray(0, 5), 'tiny'), /tiny: 5 bytes is shorter than the 8-byte IDX header/);
  });

  it('rejects trailing bytes after the last image', () => {
    assert.throws(() => parseIdxImages(idxImages(2, 3, 3, 2051, 20), 'long'), /long: 2 unexpected bytes after byte 34/);
  });

  it('rejects a labels file whose count differs from the images file, naming both', () => {
    const dir = writeSplit(idxImages(4, 2, 2), idxLabels(3), true);
    assert.throws(() => loadMnist(dir, 'train'), /train-labels-idx1-ubyte\.gz: holds 3 labels at byte 4, but .*train-images-idx3-ubyte\.gz holds 4 images/);
  });

  it('says which folder and variable to fix when the files are missing', () => {
    assert.throws(() => loadMnist(tempDir('empty'), 'train'), /train-images-idx3-ubyte\(\.gz\) not found in .*GANSCOPE_DATA_DIR/);
  });

  it('rejects a file that is not gzip despite its name', () => {
    const dir = tempDir('notgz');
    fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), idxImages(1, 2, 2));
    fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), idxLabels(1));
    assert.throws(() => loadMnist(dir, 'train'), /train-images-idx3-ubyte\.gz: not a valid gzip file/);
  });
});

describe('trainer/data/sampler', () => {
  const data = { count: 5, rows: 1, cols: 2, channels: 1, pixels: Uint8Array.from([0, 255, 10, 10, 20, 20, 30, 30, 40, 40]), labels: new Uint8Array(5) };

  it('scales pixels 0..255 to [-1, 1]', () => {
    const sampler = new BatchSampler({ ...data, count: 1 }, 1, 0);
    assert.deepEqual(Array.from(sampler.next()), [-1, 1]);
  });

  it('visits every image once per epoch, in an order fixed by the seed', () => {
    const firstPixels = (seed: number) => {
      const s = new BatchSampler(data, 5, seed);
      return Array.from(s.next()).filter((_, i) => i % 2 === 1);
    };
    const epoch = firstPixels(42);
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    assert.deepEqual(sorted(epoch), sorted(Array.from(Float32Array.from([255, 10, 20, 30, 40], (v) => v / 127.5 - 1))));
    assert.deepEqual(firstPixels(42), epoch);
    assert.notDeepEqual(firstPixels(43), epoch);
  });
});
