// A small seeded PRNG so a run's data order and noise are reproducible from its seed, and resumable from its state.

export interface SeededRandom {
  /** A uniform number in [0, 1). */
  (): number;
  /** The generator's whole state (one 32-bit word), saved in checkpoints. */
  state(): number;
  /** Continues from a state returned by state(). */
  restore(state: number): void;
}

/** mulberry32: fast, 32-bit state, good enough for shuffling and seeding tf ops. */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, { state: () => a, restore: (s: number) => void (a = s >>> 0) });
}

/** A seed for a tf random op, drawn from `random` so each call gets fresh noise. */
export function nextSeed(random: () => number): number {
  return Math.floor(random() * 2 ** 31);
}
