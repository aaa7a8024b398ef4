// oscillation: a loss swings with a growing amplitude instead of settling (the players circle each other).
import { Detector, round3 } from './detector';
import { History, StepRecord } from './history';
import { remedy } from './remedies';

/** Steps per window whose swing is measured; 4 consecutive windows are compared. */
export const WINDOW = 100;
/** Consecutive steps averaged before measuring the swing: removes batch-to-batch noise, keeps slower swings. */
export const SMOOTH = 10;
/** The last window's swing at least this many times the first's, and each window's above the one before: growing. */
export const GROWTH = 4;
/**
 * And at least this large (std of the smoothed, detrended loss, in the loss's own units): a BCE loss swinging by
 * ±0.3 around its trend is a visible swing; the smoothed losses of healthy runs wander by a few hundredths.
 */
export const MIN_SWING = 0.3;

export const oscillation: Detector = {
  kind: 'oscillation',
  check(history, settings) {
    const to = history.lastStep + 1;
    const windows = [3, 2, 1, 0].map((k) => history.inPhase(to - (k + 1) * WINDOW, to - k * WINDOW));
    if (windows.some((w) => w.length < WINDOW * 0.9)) return undefined;
    for (const loss of ['dLoss', 'gLoss'] as const) {
      const swings = windows.map((w) => swing(w, loss));
      const growing = swings.every((s, i) => i === 0 || s > swings[i - 1]);
      if (!growing || swings[3] < GROWTH * swings[0] || swings[3] < MIN_SWING) continue;
      const who = loss === 'dLoss' ? 'D' : 'G';
      return {
        severity: 'warning',
        summary: `${who}'s loss swings with a growing amplitude: its swing grew from ${round3(swings[0])} to ${round3(swings[3])} over the last ${4 * WINDOW} steps instead of settling.`,
        evidence: { swingFirst: round3(swings[0]), swingLast: round3(swings[3]), growth: round3(swings[3] / Math.max(swings[0], 1e-12)) },
        // Measured on the oscillation fixture, branched where it fired: with both rates halved the swing settled (0.27 to
        // 0.05 within 400 steps, nothing found in 600); with the DCGAN paper's Adam (G 50× slower) D won at once.
        remedies: [remedy.lowerRates(settings, 2), remedy.instanceNoise(), remedy.spectralNorm(settings), remedy.generatorEma()],
      };
    }
    return undefined;
  },
};

/** Std of the loss after a SMOOTH-step moving average and a straight-line trend are taken out. */
export function swing(records: StepRecord[], loss: 'dLoss' | 'gLoss'): number {
  const raw = records.map((r) => r[loss]);
  const smooth: number[] = [];
  for (let i = SMOOTH - 1; i < raw.length; i++) {
    let s = 0;
    for (let j = i - SMOOTH + 1; j <= i; j++) s += raw[j];
    smooth.push(s / SMOOTH);
  }
  const n = smooth.length;
  const xm = (n - 1) / 2;
  const ym = smooth.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  smooth.forEach((y, x) => {
    sxy += (x - xm) * (y - ym);
    sxx += (x - xm) ** 2;
  });
  const slope = sxx > 0 ? sxy / sxx : 0;
  const residual = smooth.map((y, x) => y - ym - slope * (x - xm));
  return Math.sqrt(residual.reduce((s, r) => s + r * r, 0) / n);
}

export type { History };
