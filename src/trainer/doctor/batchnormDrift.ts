// batchnorm-drift: G's batch-norm running statistics disagree with its batch statistics, so inference-mode samples
// (the sample grid, exported images) differ from what training sees.
import { Detector, round3 } from './detector';
import { mean } from './history';
import { remedy } from './remedies';
import { sustained } from './sustained';

/**
 * RMS difference of G's inference-mode and training-mode images on the same z, over the training-mode images' RMS
 * spread: at 0.5 the difference is half as large as the differences between samples, plainly visible in the grid.
 */
export const OUTPUT_DRIFT = 0.5;

export const batchnormDrift: Detector = {
  kind: 'batchnorm-drift',
  check(history, settings) {
    const drifting = sustained(history, (m) => m.bnOutputDrift >= OUTPUT_DRIFT);
    if (!drifting) return undefined;
    const drift = mean(drifting.map((m) => m.bnOutputDrift));
    const last = drifting[drifting.length - 1];
    return {
      severity: 'warning',
      summary: `G's batch-norm running statistics do not match its batches: images drawn in inference mode differ from training mode by ${round3(drift)}× the spread between samples (worst: ${last.bnLayer}, mean off by ${round3(last.bnMeanGap)} running std).`,
      evidence: { outputDrift: round3(drift), meanGap: round3(last.bnMeanGap) },
      remedies: [remedy.largerBatch(settings.batchSize), remedy.lowerRates(settings, 2), remedy.generatorEma()],
    };
  },
};
