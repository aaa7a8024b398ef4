// The Fréchet distance between two Gaussians fitted to feature sets (FID's formula on the classifier's features), in float64.

/** Mean and covariance of n feature vectors of `dim` values. */
export interface GaussianStats {
  dim: number;
  count: number;
  mean: Float64Array;
  /** dim × dim, row-major; the unbiased (n − 1) estimate, as numpy.cov and the FID code use. */
  cov: Float64Array;
}

export function gaussianStats(features: ArrayLike<number>, dim: number): GaussianStats {
  const n = features.length / dim;
  if (!Number.isInteger(n) || n < 2) throw new Error(`gaussianStats needs at least 2 whole vectors of ${dim} values; got ${features.length} values`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += features[i * dim + j] / n;
  const cov = new Float64Array(dim * dim);
  const centered = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) centered[j] = features[i * dim + j] - mean[j];
    for (let a = 0; a < dim; a++) {
      const ca = centered[a];
      if (ca === 0) continue; // ReLU features are often exactly 0
      for (let b = a; b < dim; b++) cov[a * dim + b] += ca * centered[b];
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      cov[a * dim + b] /= n - 1;
      cov[b * dim + a] = cov[a * dim + b];
    }
  }
  return { dim, count: n, mean, cov };
}

/**
 * d² = |μ₁ − μ₂|² + Tr(Σ₁) + Tr(Σ₂) − 2·Tr((Σ₁Σ₂)^½), with Tr((Σ₁Σ₂)^½) = Σ √eig(Σ₁^½ Σ₂ Σ₁^½): that matrix is
 * symmetric positive semi-definite, so a symmetric eigensolver suffices (no complex square roots as in scipy.sqrtm).
 * Σ₁^½ is cached per stats object, so a fixed reference as `a` costs one eigendecomposition per call.
 */
export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  if (a.dim !== b.dim) throw new Error(`frechetDistance: feature sizes differ (${a.dim} and ${b.dim})`);
  const d = a.dim;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (a.mean[j] - b.mean[j]) ** 2;
  let traces = 0;
  for (let j = 0; j < d; j++) traces += a.cov[j * d + j] + b.cov[j * d + j];
  const rootA = sqrtPsd(a);
  const inner = multiply(multiply(rootA, b.cov, d), rootA, d);
  symmetrize(inner, d);
  const crossTrace = symmetricEigen(inner, d).values.reduce((t, v) => t + Math.sqrt(Math.max(v, 0)), 0);
  return Math.max(meanTerm + traces - 2 * crossTrace, 0);
}

const roots = new WeakMap<GaussianStats, Float64Array>();

/** Σ^½ = V·diag(√λ)·Vᵀ, negative round-off eigenvalues taken as 0. */
function sqrtPsd(stats: GaussianStats): Float64Array {
  const cached = roots.get(stats);
  if (cached) return cached;
  const d = stats.dim;
  const { values, vectors } = symmetricEigen(stats.cov, d);
  const root = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const s = Math.sqrt(Math.max(values[k], 0));
    if (s === 0) continue;
    for (let i = 0; i < d; i++) {
      const vik = vectors[i * d + k] * s;
      for (let j = 0; j < d; j++) root[i * d + j] += vik * vectors[j * d + k];
    }
  }
  roots.set(stats, root);
  return root;
}

function multiply(x: Float64Array, y: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const xik = x[i * d + k];
      if (xik === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += xik * y[k * d + j];
    }
  }
  return out;
}

function symmetrize(m: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) m[i * d + j] = m[j * d + i] = (m[i * d + j] + m[j * d + i]) / 2;
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`) of a symmetric d × d matrix by cyclic Jacobi rotations: slower
 * than QR for big matrices but simple, accurate to round-off, and a few milliseconds at FID's sizes (d = 128).
 */
export function symmetricEigen(matrix: ArrayLike<number>, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix as ArrayLike<number>);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (apq === 0) continue;
        // The rotation that zeroes a[p][q] (Numerical Recipes' jacobi, the smaller angle for stability).
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}
