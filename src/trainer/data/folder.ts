// Reads a folder of PNG and JPEG images (subfolders included) into one ImageSet; every image must share one square size.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { ImageSet, readFile } from './mnist';

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
/** jpeg-js refuses images that would need more; a training image is far smaller. */
const JPEG_MAX_MEMORY_MB = 1024;

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Decodes every .png/.jpg/.jpeg under `dir` (sorted by path, so the order is reproducible). The first image sets the
 * size; an image of another size, a non-square one or one that does not decode is an error naming it. Images are
 * grayscale (1 channel) when every pixel of every image has R = G = B, else RGB; alpha is dropped.
 */
export function loadImageFolder(dir: string): ImageSet {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new Error(`Image folder ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new Error(`${dir} is a file; an image folder dataset needs a folder of PNG or JPEG images`);
  const files = listImages(dir);
  if (files.length === 0) throw new Error(`${dir} holds no PNG or JPEG images (looked for ${IMAGE_EXTENSIONS.join(', ')}, subfolders included)`);

  const images = files.map((f) => decodeImage(f));
  const { width: side, height } = images[0];
  if (side !== height) throw new Error(`${files[0]}: ${side}×${height} is not square; GANscope's models make square images`);
  images.forEach((img, i) => {
    if (img.width !== side || img.height !== side) {
      throw new Error(`${files[i]}: ${img.width}×${img.height}, but ${files[0]} (the first image) is ${side}×${side}; `
        + 'all images of a folder dataset must have one size: resize them first');
    }
  });
  const gray = images.every((img) => isGray(img.data));
  const channels = gray ? 1 : 3;
  const size = side * side;
  const pixels = new Uint8Array(images.length * size * channels);
  images.forEach((img, n) => {
    for (let i = 0; i < size; i++) {
      for (let c = 0; c < channels; c++) pixels[(n * size + i) * channels + c] = img.data[4 * i + c];
    }
  });
  return { count: images.length, rows: side, cols: side, channels, pixels };
}

function listImages(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listImages(full));
    else if (IMAGE_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) found.push(full);
  }
  return found;
}

/** Decodes by content, not by name, to RGBA. */
export function decodeImage(file: string): Rgba {
  const bytes = readFile(file);
  if (bytes.subarray(0, 4).equals(PNG_SIGNATURE)) {
    try {
      return PNG.sync.read(bytes);
    } catch (e) {
      throw new Error(`${file}: not a valid PNG (${(e as Error).message})`);
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    try {
      return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: JPEG_MAX_MEMORY_MB });
    } catch (e) {
      throw new Error(`${file}: not a valid JPEG (${(e as Error).message})`);
    }
  }
  const head = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`${file}: neither a PNG nor a JPEG (its first bytes are ${head || 'missing: the file is empty'})`);
}

function isGray(rgba: Uint8Array): boolean {
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) return false;
  return true;
}
