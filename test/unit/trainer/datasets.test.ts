import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { parseDatasetSpec } from '../../../src/protocol/dataset';
import { CIFAR_RECORD, loadCifar10 } from '../../../src/trainer/data/cifar10';
import { loadDataset } from '../../../src/trainer/data/dataset';
import { downloadDataset, extractTarGz, fetchToFile, verifyChecksum } from '../../../src/trainer/data/download';
import { Resizer } from '../../../src/trainer/data/resize';
import { BatchSampler } from '../../../src/trainer/data/sampler';
import { MNIST_DIR, requireFashionMnist, tempDir } from './helpers';

/** CIFAR-10 binary records: record r has label r % 10 and planes R = r, G = 100 + r, B = 200 + r (mod 256). */
function cifarRecords(count: number): Buffer {
  const buf = Buffer.alloc(count * CIFAR_RECORD);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD;
    buf[at] = r % 10;
    buf.fill(r % 256, at + 1, at + 1 + 1024);
    buf.fill((100 + r) % 256, at + 1 + 1024, at + 1 + 2048);
    buf.fill((200 + r) % 256, at + 1 + 2048, at + CIFAR_RECORD);
  }
  return buf;
}

function pngFile(file: string, side: number, height = side, colour = (x: number, y: number) => [x * 10, y * 10, 50]): void {
  const png = new PNG({ width: side, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < side; x++) {
      const [r, g, b] = colour(x, y);
      png.data.set([r, g, b, 255], (y * side + x) * 4);
    }
  }
  fs.writeFileSync(file, PNG.sync.write(png));
}

function jpegFile(file: string, side: number, grey: number): void {
  const data = Buffer.alloc(side * side * 4, grey);
  fs.writeFileSync(file, jpeg.encode({ width: side, height: side, data }, 95).data);
}

describe('trainer/data: dataset specs', () => {
  it('parses every kind, with paths that may hold colons (Windows drives)', () => {
    assert.deepEqual(parseDatasetSpec('mnist'), { kind: 'mnist' });
    assert.deepEqual(parseDatasetSpec('fashion-mnist:/data/f'), { kind: 'fashion-mnist', path: '/data/f' });
    assert.deepEqual(parseDatasetSpec('idx:/d/train-images-idx3-ubyte.gz'), { kind: 'idx', path: '/d/train-images-idx3-ubyte.gz' });
    assert.deepEqual(parseDatasetSpec('cifar10:C:\\data\\cifar'), { kind: 'cifar10', path: 'C:\\data\\cifar' });
    assert.deepEqual(parseDatasetSpec('folder:./faces'), { kind: 'folder', path: './faces' });
  });

  it('rejects unknown kinds and missing paths with the syntax in the message', () => {
    assert.throws(() => parseDatasetSpec('svhn:/x'), /Dataset "svhn:\/x": unknown kind "svhn". Use one of:\nmnist [\s\S]*\nfashion-mnist:<folder>/);
    assert.throws(() => parseDatasetSpec('folder:'), /"folder" needs a path after the colon/);
    assert.throws(() => parseDatasetSpec('cifar10'), /"cifar10" needs a path/);
  });
});

describe('trainer/data: Fashion-MNIST (official files from Debian\'s dataset-fashion-mnist)', function () {
  this.timeout(30_000);

  it('loads 60,000 training images of 28×28 with labels 0–9 through its dataset spec', () => {
    const data = loadDataset(`fashion-mnist:${requireFashionMnist()}`);
    assert.deepEqual([data.count, data.rows, data.cols, data.channels, data.pixels.length], [60000, 28, 28, 1, 60000 * 784]);
    assert.deepEqual([...new Set(data.labels)].sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(data.labels![0], 9); // the first Fashion-MNIST training item is an ankle boot
  });

  it('loads one IDX images file on its own (idx:), gzipped', () => {
    const data = loadDataset(`idx:${path.join(requireFashionMnist(), 't10k-images-idx3-ubyte.gz')}`);
    assert.deepEqual([data.count, data.rows, data.cols, data.labels], [10000, 28, 28, undefined]);
  });

  it('says which file is the wrong kind when a labels file is given as images', () => {
    const file = path.join(requireFashionMnist(), 't10k-labels-idx1-ubyte.gz');
    assert.throws(() => loadDataset(`idx:${file}`), new RegExp(`${file}: magic number at byte 0 is 2049, expected 2051`));
  });

  it('names a truncated gzip file', () => {
    const dir = tempDir('fashion-cut');
    const src = fs.readFileSync(path.join(requireFashionMnist(), 't10k-images-idx3-ubyte.gz'));
    const file = path.join(dir, 'cut-images.gz');
    fs.writeFileSync(file, src.subarray(0, 5000));
    assert.throws(() => loadDataset(`idx:${file}`), /cut-images\.gz: not a valid gzip file \(unexpected end of file\)/);
  });

  it('names missing folders and files, and says how to get Fashion-MNIST', () => {
    assert.throws(() => loadDataset('fashion-mnist:/nowhere/fashion'), /Dataset folder \/nowhere\/fashion does not exist \(run `ganscope-train download fashion-mnist/);
    assert.throws(() => loadDataset('idx:/nowhere/images.gz'), /Cannot read \/nowhere\/images\.gz: no such file/);
    assert.throws(() => loadDataset(`idx:${tempDir('dir')}`), /is a folder, not a file/);
  });
});

describe('trainer/data: CIFAR-10 binary batches', () => {
  it('reads records into interleaved RGB with their labels', () => {
    const dir = tempDir('cifar');
    fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords(3));
    fs.writeFileSync(path.join(dir, 'data_batch_2.bin'), cifarRecords(2));
    const data = loadDataset(`cifar10:${dir}`);
    assert.deepEqual([data.count, data.rows, data.cols, data.channels], [5, 32, 32, 3]);
    assert.deepEqual(Array.from(data.labels!), [0, 1, 2, 0, 1]);
    const image2 = data.pixels.subarray(2 * 3072, 3 * 3072);
    assert.deepEqual(Array.from(image2.subarray(0, 6)), [2, 102, 202, 2, 102, 202]);
    assert.deepEqual(Array.from(image2.subarray(3069)), [2, 102, 202]);
  });

  it('finds the batches in the archive\'s cifar-10-batches-bin subfolder, and the test batch', () => {
    const dir = tempDir('cifar-sub');
    fs.mkdirSync(path.join(dir, 'cifar-10-batches-bin'));
    fs.writeFileSync(path.join(dir, 'cifar-10-batches-bin', 'test_batch.bin'), cifarRecords(4));
    fs.writeFileSync(path.join(dir, 'cifar-10-batches-bin', 'data_batch_3.bin'), cifarRecords(1));
    assert.equal(loadCifar10(dir, 'test').count, 4);
    assert.equal(loadCifar10(dir, 'train').count, 1);
  });

  it('reports a truncated batch with the byte offset of the incomplete record', () => {
    const dir = tempDir('cifar-cut');
    fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), cifarRecords(3).subarray(0, 2 * CIFAR_RECORD + 100));
    assert.throws(() => loadDataset(`cifar10:${dir}`), new RegExp(`data_batch_1\\.bin: truncated at byte ${2 * CIFAR_RECORD + 100}: .*record 2 starts at byte ${2 * CIFAR_RECORD} and is incomplete`));
  });

  it('rejects a label outside 0–9 at its byte offset', () => {
    const dir = tempDir('cifar-label');
    const buf = cifarRecords(2);
    buf[CIFAR_RECORD] = 57;
    fs.writeFileSync(path.join(dir, 'data_batch_1.bin'), buf);
    assert.throws(() => loadDataset(`cifar10:${dir}`), new RegExp(`label 57 at byte ${CIFAR_RECORD} \\(record 1\\) is not a CIFAR-10 class`));
  });

  it('says what it looked for in a folder without batches', () => {
    assert.throws(() => loadDataset(`cifar10:${tempDir('cifar-empty')}`), /No CIFAR-10 binary batches \(data_batch_1\.bin, .*\) in .*cifar-10-batches-bin/);
  });
});

describe('trainer/data: image folders (PNG and JPEG)', () => {
  it('decodes PNGs and JPEGs, subfolders included, sorted by path, as RGB', () => {
    const dir = tempDir('folder');
    pngFile(path.join(dir, 'a.png'), 8);
    fs.mkdirSync(path.join(dir, 'sub'));
    jpegFile(path.join(dir, 'sub', 'b.JPG'), 8, 128);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const data = loadDataset(`folder:${dir}`);
    assert.deepEqual([data.count, data.rows, data.cols, data.channels], [2, 8, 8, 3]);
    // a.png pixel (x=3, y=2) is [30, 20, 50]
    assert.deepEqual(Array.from(data.pixels.subarray((2 * 8 + 3) * 3, (2 * 8 + 3) * 3 + 3)), [30, 20, 50]);
    const jpegMean = data.pixels.subarray(192).reduce((a, b) => a + b, 0) / 192;
    assert.ok(Math.abs(jpegMean - 128) < 3, `JPEG decodes to its grey (${jpegMean})`);
  });

  it('keeps one channel when every image is grey', () => {
    const dir = tempDir('folder-grey');
    pngFile(path.join(dir, 'a.png'), 4, 4, (x) => [x * 60, x * 60, x * 60]);
    pngFile(path.join(dir, 'b.png'), 4, 4, () => [7, 7, 7]);
    const data = loadDataset(`folder:${dir}`);
    assert.equal(data.channels, 1);
    assert.deepEqual(Array.from(data.pixels.subarray(0, 4)), [0, 60, 120, 180]);
  });

  it('rejects an image whose size differs from the first, naming both', () => {
    const dir = tempDir('folder-sizes');
    pngFile(path.join(dir, 'a.png'), 8);
    pngFile(path.join(dir, 'b.png'), 16);
    assert.throws(() => loadDataset(`folder:${dir}`), /b\.png: 16×16, but .*a\.png \(the first image\) is 8×8; .*resize them first/);
  });

  it('rejects non-square images, undecodable files and empty folders', () => {
    const dir = tempDir('folder-bad');
    pngFile(path.join(dir, 'wide.png'), 8, 4);
    assert.throws(() => loadDataset(`folder:${dir}`), /wide\.png: 8×4 is not square/);
    fs.rmSync(path.join(dir, 'wide.png'));
    fs.writeFileSync(path.join(dir, 'fake.jpg'), 'GIF89a');
    assert.throws(() => loadDataset(`folder:${dir}`), /fake\.jpg: neither a PNG nor a JPEG \(its first bytes are 47 49 46 38\)/);
    fs.writeFileSync(path.join(dir, 'fake.jpg'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0]));
    assert.throws(() => loadDataset(`folder:${dir}`), /fake\.jpg: not a valid PNG/);
    fs.rmSync(path.join(dir, 'fake.jpg'));
    assert.throws(() => loadDataset(`folder:${dir}`), /holds no PNG or JPEG images/);
    assert.throws(() => loadDataset('folder:/nowhere/pics'), /Image folder \/nowhere\/pics does not exist/);
  });
});

describe('trainer/data: resizing to the model\'s side', () => {
  it('keeps a flat image flat, and keeps the mean brightness when shrinking', () => {
    const up = new Resizer(28, 64, 1);
    const out = new Float32Array(64 * 64);
    up.resize(new Uint8Array(28 * 28).fill(200), out);
    assert.ok(out.every((v) => Math.abs(v - 200) < 1e-3));
    const down = new Resizer(64, 16, 3);
    const src = Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 256);
    const small = new Float32Array(16 * 16 * 3);
    down.resize(src, small);
    const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(Math.abs(mean(small) - mean(src)) < 2, `means ${mean(small)} vs ${mean(src)}`);
  });

  it('samples MNIST batches at 64×64 for the talk preset', () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const data = loadDataset('mnist');
    const batch = new BatchSampler(data, 2, 1, 64).next();
    assert.equal(batch.length, 2 * 64 * 64);
    assert.ok(Math.min(...batch) >= -1 && Math.max(...batch) <= 1);
  });
});

describe('trainer/data: downloads with checksums', function () {
  this.timeout(30_000);

  it('verifies MD5 and SHA-256 of a local file, naming the file and both digests on a mismatch', async () => {
    const file = path.join(tempDir('sum'), 'data.bin');
    fs.writeFileSync(file, 'GANscope');
    const md5 = createHash('md5').update('GANscope').digest('hex');
    const sha256 = createHash('sha256').update('GANscope').digest('hex');
    await verifyChecksum(file, { md5, sha256 });
    await assert.rejects(verifyChecksum(file, { md5: '0'.repeat(32) }), new RegExp(`data\\.bin: MD5 is ${md5}, expected 0{32}; the file is corrupt or not the official one`));
    await assert.rejects(verifyChecksum(file, { sha256: 'f'.repeat(64) }), /SHA256 is [0-9a-f]{64}, expected f{64}/);
  });

  it('fetches over HTTP following redirects, and deletes a download whose checksum is wrong', async () => {
    const server = http.createServer((req, res) => {
      if (req.url === '/moved/train-images-idx3-ubyte.gz') return void res.writeHead(302, { location: '/real/train-images-idx3-ubyte.gz' }).end();
      if (req.url?.startsWith('/real/')) return void res.end('not the official file');
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = tempDir('fetch');
      await fetchToFile(`${base}/moved/train-images-idx3-ubyte.gz`, path.join(dir, 'x'), 5000);
      assert.equal(fs.readFileSync(path.join(dir, 'x'), 'utf8'), 'not the official file');
      await assert.rejects(downloadDataset('fashion-mnist', dir, { baseUrl: `${base}/real` }), /real\/train-images-idx3-ubyte\.gz: MD5 is [0-9a-f]+, expected 8d4fb7e6c68d591d4c3dfef9ec88bf0d/);
      assert.deepEqual(fs.readdirSync(dir), ['x'], 'no partial or corrupt file left');
      await assert.rejects(fetchToFile(`${base}/missing`, path.join(dir, 'y'), 5000), /Cannot download .*\/missing: the server answered HTTP 404/);
    } finally {
      server.close();
    }
  });

  it('fails clearly when the official server cannot be reached (no network here)', async () => {
    const dir = tempDir('offline');
    await assert.rejects(
      downloadDataset('cifar10', dir, { idleTimeoutMs: 5000 }),
      /Cannot download https:\/\/www\.cs\.toronto\.edu\/~kriz\/cifar-10-binary\.tar\.gz: .+\. Check the network connection/,
    );
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('extracts the CIFAR-10 archive\'s batches, and they load', () => {
    const dir = tempDir('tar');
    fs.mkdirSync(path.join(dir, 'src', 'cifar-10-batches-bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'cifar-10-batches-bin', 'data_batch_1.bin'), cifarRecords(3));
    fs.writeFileSync(path.join(dir, 'src', 'cifar-10-batches-bin', 'batches.meta.txt'), 'airplane\n');
    execFileSync('tar', ['czf', path.join(dir, 'cifar.tar.gz'), '-C', path.join(dir, 'src'), 'cifar-10-batches-bin']);
    const out = path.join(dir, 'out');
    const written = extractTarGz(path.join(dir, 'cifar.tar.gz'), out, (n) => n.startsWith('cifar-10-batches-bin/'));
    assert.equal(written.length, 2);
    assert.equal(loadDataset(`cifar10:${out}`).count, 3);
  });
});
