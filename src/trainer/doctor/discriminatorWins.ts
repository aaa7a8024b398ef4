// discriminator-wins: D tells real from fake almost perfectly for a sustained stretch, so G learns little or nothing.
import { Detector, round3 } from './detector';
import { History, mean, median } from './history';
import { remedy } from './remedies';

/** Steps over which D's outputs are averaged: long enough that a few confident batches of a healthy run do not count. */
export const WINDOW = 100;
/**
 * Mean D(x) at least this and mean D(G(z)) at most 1 − this: D is right with ≥ 95 % confidence on average. Healthy
 * mnist-tiny and mnist-dcgan runs stay near D(x) 0.7–0.9 and D(G(z)) 0.1–0.5 (DCGAN's balance); a winning D sits at
 * 0.99 / 0.01.
 */
export const CONFIDENT = 0.95;

export const discriminatorWins: Detector = {
  kind: 'discriminator-wins',
  check(history, settings) {
    const to = history.lastStep + 1;
    const window = history.between(to - WINDOW, to);
    if (window.length < WINDOW * 0.9) return undefined;
    const dReal = mean(window.map((r) => r.dReal));
    const dFake = mean(window.map((r) => r.dFake));
    if (dReal < CONFIDENT || dFake > 1 - CONFIDENT) return undefined;
    const gradient = gGradientTrend(history);
    const minimax = settings.loss === 'minimax';
    const fasterD = settings.learningRateD > settings.learningRateG;
    const fading = gradient < 0.1 ? `; G's gradient is ${round3(gradient)}× its earlier size` : '';
    return {
      severity: 'warning',
      summary: `D wins: over the last ${WINDOW} steps D(x) averaged ${round3(dReal)} and D(G(z)) ${round3(dFake)}${fading}, so G gets little to learn from.`,
      evidence: { dReal: round3(dReal), dFake: round3(dFake), gGradientRatio: round3(gradient) },
      remedies: [...(minimax && fasterD ? [remedy.nonSaturatingSlowerD(settings)] : []), ...(minimax ? [remedy.nonSaturating()] : []), ...(fasterD ? [remedy.slowerD(settings)] : []),
        remedy.labelSmoothing(), remedy.instanceNoise(), remedy.spectralNorm(settings)],
    };
  },
};

/** G's total gradient norm now (median of the window) over its largest earlier window median: < 1 when it fades. */
function gGradientTrend(history: History): number {
  const total = (r: { gradNorms: Record<string, number> }) =>
    Math.sqrt(Object.entries(r.gradNorms).filter(([name]) => name.startsWith('G.')).reduce((s, [, v]) => s + v * v, 0));
  const to = history.lastStep + 1;
  const now = median(history.between(to - WINDOW, to).map(total));
  let peak = now;
  for (let end = to - WINDOW; end - WINDOW >= (history.steps[0]?.step ?? 0); end -= WINDOW) {
    peak = Math.max(peak, median(history.between(end - WINDOW, end).map(total)));
  }
  return peak > 0 ? now / peak : 1;
}
