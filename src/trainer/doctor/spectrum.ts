// The share of an image's energy at the frequencies of an upsampling grid: where transposed convolutions whose kernel
// does not divide by their stride stamp their checkerboard (Odena et al. 2016; Durall et al. 2020).

/**
 * Mean over the batch of: energy at the 2-D frequencies (u, v) ∈ {k·side/factor}² other than (0, 0), over the image's
 * total energy with its mean removed (Parseval). images: [batch, side, side, channels] (channels averaged).
 */
export function gridEnergyShare(images: Float32Array, batch: number, side: number, channels: number, factor: number): number {
  const step = side / factor;
  const freqs = Array.from({ length: factor }, (_, k) => k * step);
  const cos = freqs.map((u) => Float64Array.from({ length: side }, (_, m) => Math.cos((2 * Math.PI * u * m) / side)));
  const sin = freqs.map((u) => Float64Array.from({ length: side }, (_, m) => Math.sin((2 * Math.PI * u * m) / side)));
  const gray = new Float64Array(side * side);
  let total = 0;
  for (let b = 0; b < batch; b++) {
    let meanValue = 0;
    for (let p = 0; p < side * side; p++) {
      let v = 0;
      for (let c = 0; c < channels; c++) v += images[(b * side * side + p) * channels + c];
      gray[p] = v / channels;
      meanValue += gray[p];
    }
    meanValue /= side * side;
    let energy = 0;
    for (let p = 0; p < side * side; p++) energy += (gray[p] -= meanValue) ** 2;
    let grid = 0;
    for (let i = 0; i < factor; i++) {
      for (let j = 0; j < factor; j++) {
        if (i === 0 && j === 0) continue;
        let re = 0;
        let im = 0;
        for (let y = 0; y < side; y++) {
          for (let x = 0; x < side; x++) {
            // e^{-i(a+b)} = cos a cos b − sin a sin b − i(sin a cos b + cos a sin b)
            const g = gray[y * side + x];
            re += g * (cos[i][y] * cos[j][x] - sin[i][y] * sin[j][x]);
            im -= g * (sin[i][y] * cos[j][x] + cos[i][y] * sin[j][x]);
          }
        }
        grid += re * re + im * im;
      }
    }
    // Parseval: Σ|X(u,v)|² = side² · Σ x²
    total += energy > 0 ? grid / (side * side * energy) : 0;
  }
  return total / batch;
}
