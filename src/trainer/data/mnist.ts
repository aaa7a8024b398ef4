// Reads MNIST-format IDX files (MNIST, Fashion-MNIST; gzipped or raw), checking every header field so a bad file fails clearly.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** IDX magic numbers: 0x0803 (unsigned bytes, 3 dims) for images, 0x0801 (1 dim) for labels. */
const IMAGES_MAGIC = 2051;
const LABELS_MAGIC = 2049;
const IMAGES_HEADER = 16;
const LABELS_HEADER = 8;

/** Images of one size, as bytes in the layout tf wants ([count, rows, cols, channels], channels interleaved). */
export interface ImageSet {
  count: number;
  rows: number;
  cols: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: number;
  /** count × rows × cols × channels bytes, 0 to 255 (MNIST: 0 background to 255 ink). */
  pixels: Uint8Array;
  /** One class label per image, when the dataset has them. */
  labels?: Uint8Array;
}

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/**
 * Loads one split from `dir`, taking `<name>.gz` when present and `<name>` otherwise. `hint` ends the message when a
 * file is missing (what the user can do about it).
 */
export function loadMnist(dir: string, split: 'train' | 'test', hint = 'set GANSCOPE_DATA_DIR to the folder that holds it'): ImageSet & { labels: Uint8Array } {
  const [imagesName, labelsName] = FILES[split];
  const imagesFile = locate(dir, imagesName, hint);
  const labelsFile = locate(dir, labelsName, hint);
  const images = parseIdxImages(readMaybeGzip(imagesFile), imagesFile);
  const labels = parseIdxLabels(readMaybeGzip(labelsFile), labelsFile);
  if (labels.length !== images.count) {
    throw new Error(`${labelsFile}: holds ${labels.length} labels at byte 4, but ${imagesFile} holds ${images.count} images`);
  }
  return { ...images, labels };
}

/** One IDX images file (`idx:` datasets): no labels needed. */
export function loadIdxImages(file: string): ImageSet {
  return parseIdxImages(readMaybeGzip(file), file);
}

function locate(dir: string, name: string, hint: string): string {
  if (!fs.existsSync(dir)) throw new Error(`Dataset folder ${dir} does not exist (${hint})`);
  for (const candidate of [path.join(dir, `${name}.gz`), path.join(dir, name)]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`MNIST file ${name}(.gz) not found in ${dir} (${hint})`);
}

/** Reads a file, gunzipping it when its name ends in .gz; errors name the file and say what is wrong. */
export function readMaybeGzip(file: string): Buffer {
  const bytes = readFile(file);
  if (!file.endsWith('.gz')) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new Error(`${file}: not a valid gzip file (${(e as Error).message})`);
  }
}

/** fs.readFileSync with the file named in the error and the usual causes in words. */
export function readFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
      : code === 'EISDIR' ? 'is a folder, not a file' : (e as Error).message;
    throw new Error(`Cannot read ${file}: ${why}`);
  }
}

export function parseIdxImages(buf: Uint8Array, file: string): ImageSet {
  const view = header(buf, file, IMAGES_MAGIC, IMAGES_HEADER);
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (rows === 0 || cols === 0) throw new Error(`${file}: image size ${rows}×${cols} at byte 8 is empty`);
  checkLength(buf, file, IMAGES_HEADER + count * rows * cols, `${count} images of ${rows}×${cols}`);
  return { count, rows, cols, channels: 1, pixels: buf.subarray(IMAGES_HEADER) };
}

export function parseIdxLabels(buf: Uint8Array, file: string): Uint8Array {
  const view = header(buf, file, LABELS_MAGIC, LABELS_HEADER);
  const count = view.getUint32(4);
  checkLength(buf, file, LABELS_HEADER + count, `${count} labels`);
  return buf.subarray(LABELS_HEADER);
}

function header(buf: Uint8Array, file: string, magic: number, size: number): DataView {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  // The magic number first: a wrong kind of file is the likelier mistake than a short one.
  const found = buf.length >= 4 ? view.getUint32(0) : undefined;
  if (found !== undefined && found !== magic) {
    throw new Error(`${file}: magic number at byte 0 is ${found}, expected ${magic}; not an IDX (MNIST-format) ${magic === IMAGES_MAGIC ? 'images' : 'labels'} file`);
  }
  if (buf.length < size) throw new Error(`${file}: ${buf.length} bytes is shorter than the ${size}-byte IDX header (truncated at byte ${buf.length})`);
  return view;
}

function checkLength(buf: Uint8Array, file: string, expected: number, what: string): void {
  if (buf.length < expected) throw new Error(`${file}: truncated at byte ${buf.length}; its header promises ${what} (${expected} bytes)`);
  if (buf.length > expected) throw new Error(`${file}: ${buf.length - expected} unexpected bytes after byte ${expected}, the end of ${what}`);
}
