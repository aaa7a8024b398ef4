// The Inception Score (Salimans et al. 2016) with GANscope's MNIST classifier in place of Inception v3.

/**
 * IS = exp(E_x[KL(p(y|x) ‖ p(y))]) of `probs` (n rows of `classes` probabilities), in `splits` equal parts averaged as
 * the paper does (1: the whole set at once). 1 when every image gets the same prediction (or the classifier is unsure
 * of all), `classes` when each image is one class for certain and the classes are balanced.
 */
export function inceptionScore(probs: ArrayLike<number>, classes: number, splits = 1): number {
  const n = probs.length / classes;
  if (!Number.isInteger(n) || n < splits || splits < 1) {
    throw new Error(`inceptionScore needs whole rows of ${classes} probabilities and at least ${splits} of them; got ${probs.length} values`);
  }
  let total = 0;
  for (let s = 0; s < splits; s++) {
    const from = Math.floor((s * n) / splits);
    const to = Math.floor(((s + 1) * n) / splits);
    const marginal = new Float64Array(classes);
    for (let i = from; i < to; i++) for (let k = 0; k < classes; k++) marginal[k] += probs[i * classes + k] / (to - from);
    let kl = 0;
    for (let i = from; i < to; i++) {
      for (let k = 0; k < classes; k++) {
        const p = probs[i * classes + k];
        if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[k]));
      }
    }
    total += Math.exp(kl / (to - from));
  }
  return total / splits;
}
