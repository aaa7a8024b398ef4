// A small seeded PRNG so a run's data order and noise are reproducible from its seed.

/** mulberry32: fast, 32-bit state, good enough for shuffling and seeding tf ops. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed for a tf random op, drawn from `random` so each call gets fresh noise. */
export function nextSeed(random: () => number): number {
  return Math.floor(random() * 2 ** 31);
}
