// The drift heatmap's colours: one hue for channels within the threshold, warm ones for those past it, on any theme.

/** Theme colours as [r, g, b]: the panel's background, the "fine" hue and the two ends of the "drifting" range. */
export interface DriftPalette {
  background: number[];
  calm: number[];
  warn: number[];
  hot: number[];
}

/** How much of the calm hue a channel right at the threshold gets: visible, but never mistaken for a warm colour. */
const CALM_AT_THRESHOLD = 0.55;

/**
 * The colour of a drift score (1 = the threshold): from the background to a faint calm hue up to the threshold, so a
 * layer without drift reads as quiet on a light or a dark theme alike; past it from the warning colour at 1 to the hot
 * one at 2 and beyond.
 */
export function driftColor(score: number, p: DriftPalette): number[] {
  if (!(score > 1)) return mix(p.background, p.calm, Math.max(0, score) * CALM_AT_THRESHOLD);
  return mix(p.warn, p.hot, Math.min(1, score - 1));
}

function mix(from: number[], to: number[], t: number): number[] {
  return from.map((c, i) => Math.round(c + (to[i] - c) * t));
}
