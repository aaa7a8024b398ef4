// Reads CIFAR-10's binary batches: records of 3,073 bytes, a label byte then 32×32 red, green and blue planes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ImageSet, readFile } from './mnist';

export const CIFAR_SIDE = 32;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;
export const CIFAR_RECORD = 1 + 3 * PLANE;
const CLASSES = 10;
/** The official archive's folder, as `tar xzf cifar-10-binary.tar.gz` leaves it. */
export const CIFAR_FOLDER = 'cifar-10-batches-bin';

const TRAIN_FILES = [1, 2, 3, 4, 5].map((n) => `data_batch_${n}.bin`);
const TEST_FILES = ['test_batch.bin'];

/**
 * Loads the training batches (data_batch_1…5.bin; those present, at least one) or the test batch from `dir` or its
 * `cifar-10-batches-bin` subfolder. Pixels come out interleaved (HWC) as the models want them.
 */
export function loadCifar10(dir: string, split: 'train' | 'test'): ImageSet & { labels: Uint8Array } {
  if (!fs.existsSync(dir)) throw new Error(`CIFAR-10 folder ${dir} does not exist`);
  const names = split === 'train' ? TRAIN_FILES : TEST_FILES;
  const folder = [dir, path.join(dir, CIFAR_FOLDER)].find((d) => names.some((n) => fs.existsSync(path.join(d, n))));
  if (!folder) {
    throw new Error(`No CIFAR-10 binary batches (${names.join(', ')}) in ${dir} or ${path.join(dir, CIFAR_FOLDER)}; `
      + 'download "CIFAR-10 binary version" and extract it, or run `ganscope-train download cifar10`');
  }
  const parts = names.map((n) => path.join(folder, n)).filter((f) => fs.existsSync(f)).map((f) => parseCifarBatch(readFile(f), f));
  const count = parts.reduce((n, p) => n + p.count, 0);
  const pixels = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    pixels.set(p.pixels, at * 3 * PLANE);
    labels.set(p.labels, at);
    at += p.count;
  }
  return { count, rows: CIFAR_SIDE, cols: CIFAR_SIDE, channels: 3, pixels, labels };
}

/** One batch file's records, checked for whole records and labels 0–9. */
export function parseCifarBatch(buf: Uint8Array, file: string): ImageSet & { labels: Uint8Array } {
  if (buf.length === 0) throw new Error(`${file}: empty; a CIFAR-10 batch holds records of ${CIFAR_RECORD} bytes`);
  if (buf.length % CIFAR_RECORD !== 0) {
    const whole = Math.floor(buf.length / CIFAR_RECORD);
    throw new Error(`${file}: truncated at byte ${buf.length}: ${buf.length} bytes is not a whole number of ${CIFAR_RECORD}-byte records `
      + `(record ${whole} starts at byte ${whole * CIFAR_RECORD} and is incomplete)`);
  }
  const count = buf.length / CIFAR_RECORD;
  const pixels = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const start = r * CIFAR_RECORD;
    if (buf[start] >= CLASSES) {
      throw new Error(`${file}: label ${buf[start]} at byte ${start} (record ${r}) is not a CIFAR-10 class 0–9; is this a CIFAR-100 or other file?`);
    }
    labels[r] = buf[start];
    const planes = start + 1;
    const out = r * 3 * PLANE;
    for (let i = 0; i < PLANE; i++) {
      pixels[out + 3 * i] = buf[planes + i];
      pixels[out + 3 * i + 1] = buf[planes + PLANE + i];
      pixels[out + 3 * i + 2] = buf[planes + 2 * PLANE + i];
    }
  }
  return { count, rows: CIFAR_SIDE, cols: CIFAR_SIDE, channels: 3, pixels, labels };
}
