// A mode-collapse indicator: which digits the generator draws, by the classifier's verdict.

/** A class counts as covered when it gets at least this share of the samples: a fifth of a balanced share of 10 %. */
export const COVERED_SHARE = 0.02;

export interface ClassModes {
  /** The fraction of samples whose most probable class is k, for each k. */
  histogram: number[];
  /** Entropy of the histogram in nats: ln(classes) when balanced, 0 when every sample is one class. */
  entropy: number;
  /** Classes with at least COVERED_SHARE of the samples. */
  covered: number;
}

export function classModes(probs: ArrayLike<number>, classes: number): ClassModes {
  const n = probs.length / classes;
  if (!Number.isInteger(n) || n === 0) throw new Error(`classModes needs whole rows of ${classes} probabilities; got ${probs.length} values`);
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probs[i * classes + k] > probs[i * classes + best]) best = k;
    counts[best]++;
  }
  const histogram = counts.map((c) => c / n);
  const entropy = histogram.reduce((h, p) => (p > 0 ? h - p * Math.log(p) : h), 0);
  return { histogram, entropy, covered: histogram.filter((p) => p >= COVERED_SHARE).length };
}
