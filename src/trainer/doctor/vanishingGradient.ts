// vanishing-gradient: a layer's gradient norm has fallen orders of magnitude below its own recent range.
import { Detector, round3 } from './detector';
import { layerShifts, ORDERS } from './gradientRange';
import { remedy } from './remedies';

export const vanishingGradient: Detector = {
  kind: 'vanishing-gradient',
  check(history, settings) {
    const shift = layerShifts(history).find((s) => s.orders <= -ORDERS);
    if (!shift) return undefined;
    return {
      severity: 'warning',
      summary: `${shift.layer}'s gradient vanishes: its norm fell from about ${round3(shift.reference)} to ${round3(shift.recent)} (${round3(-shift.orders)} orders of magnitude), so the layer has nearly stopped learning.`,
      evidence: { orders: round3(shift.orders), recent: round3(shift.recent), reference: round3(shift.reference) },
      remedies: [...(settings.loss === 'minimax' ? [remedy.nonSaturating()] : []), remedy.slowerD(settings), remedy.generatorBatchNorm(settings)],
    };
  },
};
