/// <reference path="../../../webview-ui/gallery/gifenc.d.ts" />
import * as assert from 'node:assert/strict';
import { encodeGif, Frame, GIF_FRAMES, timelineSteps } from '../../../webview-ui/gallery/gif';

/** Reads a GIF's block structure: its signature, logical screen size, and each image's size and frame delay. */
function parseGif(bytes: Uint8Array) {
  const text = (from: number, n: number) => String.fromCharCode(...bytes.subarray(from, from + n));
  const u16 = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  const signature = text(0, 6);
  const screen = { width: u16(6), height: u16(8) };
  let at = 13 + (bytes[10] & 0x80 ? 3 * 2 ** ((bytes[10] & 7) + 1) : 0);
  const skipSubBlocks = () => {
    while (bytes[at] !== 0) at += bytes[at] + 1;
    at++;
  };
  const images: { width: number; height: number; delayMs?: number }[] = [];
  let delayMs: number | undefined;
  for (;;) {
    const block = bytes[at];
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      if (bytes[at + 1] === 0xf9) delayMs = u16(at + 4) * 10; // graphic control extension: delay in 1/100 s
      at += 2;
      skipSubBlocks();
    } else if (block === 0x2c) {
      images.push({ width: u16(at + 5), height: u16(at + 7), delayMs });
      const packed = bytes[at + 9];
      at += 10 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
      at++; // LZW minimum code size
      skipSubBlocks();
    } else {
      throw new Error(`byte ${at}: 0x${block?.toString(16)} is not a GIF block`);
    }
  }
  return { signature, screen, images, trailerAt: at };
}

/** A w×h frame of one grey level. */
function grey(level: number, width = 12, height = 8): Frame {
  const rgba = new Uint8Array(width * height * 4).fill(level);
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
  return { rgba, width, height };
}

describe('gallery: the timeline GIF', () => {
  it('is a GIF89a with one image per frame, each the grid\'s size, ending in the trailer', () => {
    const bytes = encodeGif([grey(0), grey(100), grey(200)]);
    const gif = parseGif(bytes);
    assert.equal(gif.signature, 'GIF89a');
    assert.deepEqual(gif.screen, { width: 12, height: 8 });
    assert.equal(gif.images.length, 3);
    assert.ok(gif.images.every((f) => f.width === 12 && f.height === 8));
    assert.equal(gif.trailerAt, bytes.length - 1);
  });

  it('holds the last frame longer than the others', () => {
    const delays = parseGif(encodeGif([grey(0), grey(50), grey(250)])).images.map((f) => f.delayMs);
    assert.deepEqual(delays, [200, 200, 1500]);
  });

  it('takes one frame per saved step when the timeline is short', () => {
    const steps = Array.from({ length: 32 }, (_, i) => i * 10);
    assert.deepEqual(timelineSteps(steps), steps);
    const gif = parseGif(encodeGif(timelineSteps(steps).map((s) => grey(s % 256))));
    assert.equal(gif.images.length, steps.length);
  });

  it('spreads a long timeline over 60 distinct frames, from the first step to the newest', () => {
    for (const length of [61, 120, 1000]) {
      const steps = Array.from({ length }, (_, i) => i * 50);
      const frames = timelineSteps(steps);
      assert.equal(frames.length, GIF_FRAMES, `${length} steps`);
      assert.equal(new Set(frames).size, GIF_FRAMES, `${length} steps: no step twice`);
      assert.deepEqual([frames[0], frames.at(-1)], [0, (length - 1) * 50]);
    }
  });

  it('refuses to make a GIF of no frames, saying why', () => {
    assert.throws(() => encodeGif([]), /no saved sample grids yet/);
  });
});
