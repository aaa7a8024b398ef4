// The gallery's timeline as an animated GIF: which steps become frames, and the encoding (gifenc, no DOM needed).
import { applyPalette, GIFEncoder, quantize } from 'gifenc';

/** The GIF holds at most this many frames, evenly spread over the timeline. */
export const GIF_FRAMES = 60;
const FRAME_MS = 200;
/** The last frame stays up longer, so the loop shows where training got to. */
const LAST_FRAME_MS = 1500;

/** Every step when there are few; else `max` evenly spaced ones, from the first to the newest. */
export function timelineSteps(steps: number[], max = GIF_FRAMES): number[] {
  if (steps.length <= max) return steps;
  return Array.from({ length: max }, (_, k) => steps[Math.round((k * (steps.length - 1)) / (max - 1))]);
}

export interface Frame {
  rgba: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** One GIF frame per image, each with its own 256-colour palette, looping forever. */
export function encodeGif(frames: Frame[]): Uint8Array {
  if (!frames.length) throw new Error('A GIF needs at least one frame: the run has no saved sample grids yet.');
  const gif = GIFEncoder();
  frames.forEach(({ rgba, width, height }, i) => {
    const palette = quantize(rgba, 256);
    gif.writeFrame(applyPalette(rgba, palette), width, height, { palette, delay: i === frames.length - 1 ? LAST_FRAME_MS : FRAME_MS });
  });
  gif.finish();
  return gif.bytes();
}
