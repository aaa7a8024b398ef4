// memorisation: G's samples are closer to their nearest training image than held-out test images are (data copying).
import { Detector, round3 } from './detector';
import { remedy } from './remedies';
import { sustained } from './sustained';

/**
 * Median nearest-training-image distance of G's samples below this share of test images' (Meehan et al. 2020 compare
 * the two distributions). A GAN that generalises draws samples no closer to the training set than unseen real images
 * are (share ≥ 1 on MNIST: its samples are rougher than real digits); copies sit at a small fraction.
 */
export const SHARE = 0.6;
/** Memorisation is measured every few measurements: two in a row. */
const IN_A_ROW = 2;

export const memorisation: Detector = {
  kind: 'memorisation',
  check(history) {
    const measured = history.measurements.filter((m) => m.nearestFake !== undefined);
    const copying = sustained(history, (m) => m.nearestFake! < SHARE * m.nearestTest!, IN_A_ROW, measured);
    if (!copying) return undefined;
    const last = copying[copying.length - 1];
    return {
      severity: 'warning',
      summary: `G copies its training images: its samples' median distance to the nearest training image is ${round3(last.nearestFake!)}, held-out test images' ${round3(last.nearestTest!)}.`,
      evidence: { nearestFake: round3(last.nearestFake!), nearestTest: round3(last.nearestTest!), ratio: round3(last.nearestFake! / last.nearestTest!) },
      remedies: [remedy.instanceNoise(), remedy.labelSmoothing(), remedy.moreDiscriminatorSteps()],
    };
  },
};
