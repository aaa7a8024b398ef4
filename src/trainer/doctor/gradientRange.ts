// What vanishing- and exploding-gradient share: how far a layer's gradient norm has left its own recent range.
import { CONFIDENT } from './discriminatorWins';
import { History, median, StepRecord } from './history';

/** The layer's median log₁₀ gradient norm over the last this many steps: a median, so single odd batches do not count… */
export const RECENT = 50;
/**
 * …against its median over up to this many steps just before them (its recent range). The two windows touch, so a
 * shift shows within RECENT steps of happening, early in a run as late.
 */
export const REFERENCE = 350;
/** The reference needs at least this many steps: fewer is too little to call a range. */
export const MIN_REFERENCE = 25;
/** The reference must not reach back before this step: Adam's first, bias-corrected updates jolt every layer. */
export const WARMUP = 10;
/**
 * Orders of magnitude (log₁₀) away from the reference: 2 = 100×. Healthy runs move a layer's norm by under 10×
 * (measured: mnist-tiny 1,000 steps and mnist-dcgan 2,000 steps, at most 1.05 orders, G's second batch norm while
 * its digits form).
 */
export const ORDERS = 2;
/**
 * A reference below this is a gradient that was zero (saturated units, a starved G): its rise is a return from zero,
 * not an explosion, and the layer is left out.
 */
export const ZERO_GRADIENT = 1e-8;

export interface LayerShift {
  layer: string;
  /** log₁₀(recent / reference). */
  orders: number;
  recent: number;
  reference: number;
}

/**
 * A step at which D was sure of both batches, the real and the fake (discriminator-wins' CONFIDENT). Every layer, G's
 * and D's, gets almost no gradient then, and when D loses that grip every norm jumps back by orders of magnitude: a
 * recovery, not an explosion. Measured: the discriminator-wins fixture branched at step 200 with D's rate lowered to
 * G's, its norms went from ~0.01 to ~10 within 30 steps, then settled near 1.
 */
export function dSaturated(r: StepRecord): boolean {
  return r.dReal >= CONFIDENT && r.dFake <= 1 - CONFIDENT;
}

/**
 * Every layer's shift, largest first; empty until the history covers MIN_REFERENCE steps of reference (those that
 * `inReference` keeps, when given).
 *
 * A range belongs to one network (History.inPhase): while a progressive run's new resolution fades in, α scales the
 * new layers' gradients up from near zero and the old path's down to it (measured: mnist-progressive's
 * D.14x14.fromRGB rose 2.25 orders, 0.011 to 1.93, over its fade-in).
 */
export function layerShifts(history: History, inReference: (r: StepRecord) => boolean = () => true): LayerShift[] {
  const to = history.lastStep + 1;
  const reference = history.inPhase(Math.max(to - RECENT - REFERENCE, WARMUP), to - RECENT).filter(inReference);
  const recent = history.inPhase(to - RECENT, to);
  if (reference.length < MIN_REFERENCE || recent.length < RECENT * 0.9) return [];
  const layers = Object.keys(recent[recent.length - 1].gradNorms);
  const log = (v: number) => Math.log10(Math.max(v, 1e-30));
  return layers.map((layer) => {
    const ref = median(reference.map((r) => log(r.gradNorms[layer] ?? 0)));
    const now = median(recent.map((r) => log(r.gradNorms[layer] ?? 0)));
    return { layer, orders: now - ref, recent: 10 ** now, reference: 10 ** ref };
  }).filter((s) => s.reference >= ZERO_GRADIENT).sort((a, b) => Math.abs(b.orders) - Math.abs(a.orders));
}
