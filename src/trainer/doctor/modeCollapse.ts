// mode-collapse: G's samples are far less varied than real images, in D's features and in pixels, or cover few classes.
import { Detector, round3 } from './detector';
import { History, mean } from './history';
import { remedy } from './remedies';
import { sustained } from './sustained';

/**
 * G's samples' mean pairwise distance below this share of real images', in D's last hidden features and in pixels
 * both. Measured on mnist-tiny: a collapsed G (2-D latent) 0.05–0.15 in features and 0.01–0.06 in pixels from step
 * 300 on; a healthy one 0.8–1.0 in features and 0.34 (step 300, digits still forming) to 0.86 in pixels. Both spaces
 * must agree: pixels alone are low while digits form, D's features alone can shrink when D saturates.
 */
export const FEATURE_SHARE = 0.3;
export const PIXEL_SHARE = 0.2;
/** With a classifier's class histogram: fewer than this many classes holding ≥ CLASS_SHARE of the samples each. */
export const MIN_CLASSES = 4;
export const CLASS_SHARE = 0.02;

export const modeCollapse: Detector = {
  kind: 'mode-collapse',
  check(history, settings) {
    const collapsed = sustained(history, (m) => m.featureDiversity < FEATURE_SHARE && m.pixelDiversity < PIXEL_SHARE);
    const classes = classesCovered(history);
    if (!collapsed && classes === undefined) return undefined;
    const feature = collapsed ? mean(collapsed.map((m) => m.featureDiversity)) : history.measurements.at(-1)?.featureDiversity ?? 1;
    const pixel = collapsed ? mean(collapsed.map((m) => m.pixelDiversity)) : history.measurements.at(-1)?.pixelDiversity ?? 1;
    const why = collapsed
      ? `G's samples are ${round3(pixel)}× as spread as real images in pixels and ${round3(feature)}× in D's features`
      : `the classifier finds only ${classes} digit classes among G's samples`;
    return {
      severity: 'warning',
      summary: `Mode collapse: ${why}, so G draws a few kinds of image whatever its noise.`,
      evidence: { featureDiversity: round3(feature), pixelDiversity: round3(pixel), ...(classes !== undefined && { classesCovered: classes }) },
      remedies: [remedy.minibatchStddev(settings), remedy.labelSmoothing(), remedy.instanceNoise()],
    };
  },
};

/** Classes covered in each of the last two score records, when both have a histogram and both are below MIN_CLASSES. */
function classesCovered(history: History): number | undefined {
  const last = history.scores.filter((s) => s.classHistogram).slice(-2);
  if (last.length < 2) return undefined;
  const counts = last.map((s) => s.classHistogram!.filter((share) => share >= CLASS_SHARE).length);
  return counts.every((c) => c < MIN_CLASSES) ? Math.max(...counts) : undefined;
}
