// dead-units: a large share of a generator layer's ReLU units never activate, for any sample or position.
import { Detector, round3 } from './detector';
import { mean } from './history';
import { remedy } from './remedies';
import { sustained } from './sustained';

/**
 * A layer with at least this share of dead units. Behind batch norm, about half of each channel's values are positive,
 * so healthy G layers have none dead (measured: none in any measurement of a healthy mnist-tiny run); runs under stress
 * lose one or two channels of 16 for a while (0.06–0.125); a quarter of a layer that never activates, for three
 * measurements in a row, is width G has lost. Measured on mnist-tiny: with both rates 25× the DCGAN paper's, β1 0.9
 * and the least-squares loss, a G layer loses 0.375–0.69 of its channels from step 500 on; with rates of 10, 0.6–0.9.
 */
export const DEAD_SHARE = 0.25;

export const deadUnits: Detector = {
  kind: 'dead-units',
  check(history, settings) {
    const last = history.measurements.at(-1);
    if (!last) return undefined;
    for (const layer of Object.keys(last.deadShare)) {
      const dead = sustained(history, (m) => (m.deadShare[layer] ?? 0) >= DEAD_SHARE);
      if (!dead) continue;
      const share = mean(dead.map((m) => m.deadShare[layer]));
      return {
        severity: 'warning',
        summary: `${round3(100 * share)} % of ${layer}'s units never activate, for any sample: that part of G no longer learns.`,
        evidence: { deadShare: round3(share) },
        remedies: [remedy.generatorBatchNorm(settings), remedy.leakyGenerator(settings), remedy.lowerRates(settings, 2)],
      };
    }
    return undefined;
  },
};
