// The diverging map's colour of a signed value: negative towards one colour, zero the background, positive towards the
// other, linear in |value| / scale; and the scale a set of gradient maps shares.

/** Theme colours as [r, g, b]. */
export interface Diverging {
  negative: number[];
  zero: number[];
  positive: number[];
}

/** The colour of `value` on a scale of ±`scale` (beyond it: the end colours). */
export function divergingRgb(colours: Diverging, value: number, scale: number): number[] {
  const t = scale > 0 ? Math.min(1, Math.abs(value) / scale) : 0;
  const end = value < 0 ? colours.negative : colours.positive;
  return colours.zero.map((c, i) => Math.round(c + (end[i] - c) * t));
}

/** The largest |per-pixel sum over channels| of images [N, H, W, C]: the scale their maps share. */
export function largestMagnitude(values: Float32Array, channels: number): number {
  let largest = 0;
  for (let i = 0; i < values.length; i += channels) {
    let sum = 0;
    for (let k = 0; k < channels; k++) sum += values[i + k];
    largest = Math.max(largest, Math.abs(sum));
  }
  return largest;
}
