// What vanishing- and exploding-gradient share: how far a layer's gradient norm has left its own recent range.
import { History, median } from './history';

/** The reference: the layer's median log₁₀ gradient norm over these steps back (from 400 to 100 steps ago)… */
export const REFERENCE_FROM = 400;
export const REFERENCE_TO = 100;
/** …against its median over the last this many steps: a median, so single odd batches do not count. */
export const RECENT = 50;
/** The reference must not reach back before this step: the first steps' gradients settle from the initialisation. */
export const WARMUP = 50;
/** Orders of magnitude (log₁₀) away from the reference: 2 = 100×. Healthy runs move a layer's norm by under 10×. */
export const ORDERS = 2;
/**
 * A reference below this is a gradient that was zero (saturated units, a starved G): its rise is a return from zero,
 * not an explosion, and the layer is left out.
 */
export const MIN_REFERENCE = 1e-8;

export interface LayerShift {
  layer: string;
  /** log₁₀(recent / reference). */
  orders: number;
  recent: number;
  reference: number;
}

/** Every layer's shift, largest first; empty until the history covers a reference window. */
export function layerShifts(history: History): LayerShift[] {
  const to = history.lastStep + 1;
  const from = Math.max(to - REFERENCE_FROM, WARMUP);
  const reference = history.between(from, to - REFERENCE_TO);
  const recent = history.between(to - RECENT, to);
  if (reference.length < REFERENCE_TO || recent.length < RECENT * 0.9) return [];
  const layers = Object.keys(recent[recent.length - 1].gradNorms);
  const log = (v: number) => Math.log10(Math.max(v, 1e-30));
  return layers.map((layer) => {
    const ref = median(reference.map((r) => log(r.gradNorms[layer] ?? 0)));
    const now = median(recent.map((r) => log(r.gradNorms[layer] ?? 0)));
    return { layer, orders: now - ref, recent: 10 ** now, reference: 10 ** ref };
  }).filter((s) => s.reference >= MIN_REFERENCE).sort((a, b) => Math.abs(b.orders) - Math.abs(a.orders));
}
