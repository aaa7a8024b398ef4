// Resizes square images between sides with a triangle (bilinear) filter widened when shrinking, as PIL's BILINEAR does.

/** For each output pixel along one axis: the input indices it reads and their weights (summing to 1). */
interface AxisTaps {
  index: Int32Array[];
  weight: Float32Array[];
}

function axisTaps(inSize: number, outSize: number): AxisTaps {
  const scale = inSize / outSize;
  const support = Math.max(1, scale); // wider than one input pixel when shrinking, so no input pixel is skipped
  const index: Int32Array[] = [];
  const weight: Float32Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale - 0.5; // half-pixel centres: corners line up
    const lo = Math.ceil(centre - support);
    const hi = Math.floor(centre + support);
    const idx: number[] = [];
    const w: number[] = [];
    // Taps past the edge are dropped and the rest renormalised, as PIL does.
    for (let i = Math.max(0, lo); i <= Math.min(inSize - 1, hi); i++) {
      const t = 1 - Math.abs(i - centre) / support;
      if (t <= 0) continue;
      idx.push(i);
      w.push(t);
    }
    const total = w.reduce((a, b) => a + b, 0);
    index.push(Int32Array.from(idx));
    weight.push(Float32Array.from(w, (x) => x / total));
  }
  return { index, weight };
}

/** Resizes one inSide×inSide×channels image (bytes, interleaved) into `out` (outSide×outSide×channels floats, 0–255). */
export class Resizer {
  private readonly taps: AxisTaps;
  private readonly rows: Float32Array;

  constructor(readonly inSide: number, readonly outSide: number, readonly channels: number) {
    this.taps = axisTaps(inSide, outSide);
    this.rows = new Float32Array(inSide * outSide * channels); // after the horizontal pass: inSide rows of outSide pixels
  }

  resize(src: Uint8Array, out: Float32Array): void {
    const { inSide, outSide, channels: c, taps, rows } = this;
    for (let y = 0; y < inSide; y++) {
      for (let x = 0; x < outSide; x++) {
        const idx = taps.index[x];
        const w = taps.weight[x];
        for (let ch = 0; ch < c; ch++) {
          let sum = 0;
          for (let k = 0; k < idx.length; k++) sum += w[k] * src[(y * inSide + idx[k]) * c + ch];
          rows[(y * outSide + x) * c + ch] = sum;
        }
      }
    }
    for (let y = 0; y < outSide; y++) {
      const idx = taps.index[y];
      const w = taps.weight[y];
      for (let x = 0; x < outSide; x++) {
        for (let ch = 0; ch < c; ch++) {
          let sum = 0;
          for (let k = 0; k < idx.length; k++) sum += w[k] * rows[(idx[k] * outSide + x) * c + ch];
          out[(y * outSide + x) * c + ch] = sum;
        }
      }
    }
  }
}
