// exploding-gradient: a layer's gradient norm has risen orders of magnitude above its own recent range, measured while D
// did not saturate (a gradient that returns when a saturated D lets go is not exploding).
import { Detector, round3 } from './detector';
import { dSaturated, layerShifts, ORDERS } from './gradientRange';
import { remedy } from './remedies';

export const explodingGradient: Detector = {
  kind: 'exploding-gradient',
  check(history, settings) {
    const shift = layerShifts(history, (r) => !dSaturated(r)).find((s) => s.orders >= ORDERS);
    if (!shift) return undefined;
    return {
      severity: 'warning',
      summary: `${shift.layer}'s gradient explodes: its norm rose from about ${round3(shift.reference)} to ${round3(shift.recent)} (${round3(shift.orders)} orders of magnitude).`,
      evidence: { orders: round3(shift.orders), recent: round3(shift.recent), reference: round3(shift.reference) },
      remedies: [remedy.lowerRates(settings), remedy.spectralNorm(settings), remedy.dcganAdam()],
    };
  },
};
