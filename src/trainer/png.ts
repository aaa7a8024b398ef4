// Encodes 8-bit grayscale or RGB pixels as a PNG (by pngjs) for sample grids.
import { PNG } from 'pngjs';

const COLOR_TYPE = { 1: 0, 3: 2 } as const; // PNG colour types: 0 grayscale, 2 RGB

/** pixels: width × height bytes, row-major, 0 black to 255 white. */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  return encodePng(pixels, width, height, 1);
}

/** pixels: width × height × channels bytes, row-major, channels interleaved (1: gray, 3: RGB). */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Uint8Array {
  if (pixels.length !== width * height * channels) throw new Error(`PNG: ${pixels.length} pixels do not fill ${width}×${height}${channels === 3 ? '×3' : ''}`);
  const colorType = COLOR_TYPE[channels];
  const png = new PNG(); // no size given: it allocates no RGBA buffer of its own
  Object.assign(png, { width, height, data: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength) });
  // Unfiltered rows: sample grids are mostly flat black and grey, where adaptive filtering gains little for its time.
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false, filterType: 0 });
}
