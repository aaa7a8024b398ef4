// Latent arithmetic on cells the learner clicks: each term (A, B, C) is the mean z of up to three cells of one kind,
// as DCGAN averaged three samples of "smiling woman", "neutral woman" and "neutral man".
import { LatentSource } from '../../src/protocol/probes';

export const TERMS = ['a', 'b', 'c'] as const;
export type Term = (typeof TERMS)[number];
export const CELLS_PER_TERM = 3;

/** The cells picked for each term, in click order. */
export type Picks = Record<Term, number[]>;

export const NO_PICKS: Picks = { a: [], b: [], c: [] };

/** The cell of a `side`×`side` grid under a point given as fractions (0–1) of the grid's width and height. */
export function cellAt(fx: number, fy: number, side: number): number {
  const clamp = (f: number) => Math.min(side - 1, Math.max(0, Math.floor(f * side)));
  return clamp(fy) * side + clamp(fx);
}

/** A click on `cell` while picking for `term`: picked there already, it is dropped; else it joins, the oldest leaving a full term. */
export function toggle(picks: Picks, term: Term, cell: number): Picks {
  const cells = picks[term];
  const next = cells.includes(cell) ? cells.filter((c) => c !== cell) : [...cells, cell].slice(-CELLS_PER_TERM);
  return { ...picks, [term]: next };
}

/** The term the next click goes to: the first with room, A before B before C (C when all are full). */
export function nextTerm(picks: Picks): Term {
  return TERMS.find((t) => picks[t].length < CELLS_PER_TERM) ?? 'c';
}

/** The mean z of a term's cells, times `sign`: one weighted sum the generate probe adds up. */
export function mean(cells: number[], sign = 1): { weight: number; z: LatentSource }[] {
  return cells.map((index) => ({ weight: sign / cells.length, z: { kind: 'cell', index } }));
}

/** The images of an arithmetic: the mean of A, of B and of C, then mean A − mean B + mean C. */
export function arithmeticLatents(p: Picks): { weight: number; z: LatentSource }[][] {
  return [mean(p.a), mean(p.b), mean(p.c), [...mean(p.a), ...mean(p.b, -1), ...mean(p.c)]];
}

/** `steps` images on the straight line from the mean of A to the mean of B. */
export function interpolationLatents(p: Picks, steps: number): { weight: number; z: LatentSource }[][] {
  return Array.from({ length: steps }, (_, i) => {
    const t = i / (steps - 1);
    return [...mean(p.a, 1 - t), ...mean(p.b, t)];
  });
}
