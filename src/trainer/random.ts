// A small seeded PRNG so a run's data order and noise are reproducible from its seed, and resumable from its state.

export interface SeededRandom {
  /** A uniform number in [0, 1). */
  (): number;
  /** The generator's whole state (one 32-bit word), saved in checkpoints. */
  state(): number;
  /** Continues from a state returned by state(). */
  restore(state: number): void;
}

/** mulberry32's increment of its state, a draw apart. */
const MULBERRY_STEP = 0x6d2b79f5;

/** mulberry32's output for the state `a`: 32 random bits, as an int32 (so V8 keeps it out of a boxed double). */
function mulberry32(a: number): number {
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return t ^ (t >>> 14);
}

/** mulberry32: fast, 32-bit state, good enough for shuffling and seeding tf ops. */
export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + MULBERRY_STEP) >>> 0;
    return (mulberry32(a) >>> 0) / 4294967296;
  };
  return Object.assign(next, { state: () => a, restore: (s: number) => void (a = s >>> 0) });
}

/** A seed for a tf random op, drawn from `random` so each call gets fresh noise. */
export function nextSeed(random: () => number): number {
  return Math.floor(random() * 2 ** 31);
}

/**
 * `count` normal numbers (mean 0, deviation `std`) from `seed`: Marsaglia & Tsang's ziggurat (2000) over mulberry32,
 * about twice as fast as tfjs's randomNormal, whose polar method takes a logarithm per pair. Each 32-bit draw gives the
 * layer (7 bits), the sign (1) and the position in the layer (24): independent bits.
 */
export function normalArray(count: number, std: number, seed: number): Float32Array {
  const { k, w } = ziggurat();
  const out = new Float32Array(count);
  let a = seed >>> 0;
  for (let i = 0; i < count; i++) {
    a = (a + MULBERRY_STEP) | 0; // the state kept here: through seededRandom's closure the draw costs twice as much
    const u = mulberry32(a);
    const layer = u & 127;
    const m = u >>> 8; // uniform in [0, 2^24)
    const x = m < k[layer] ? m * w[layer] : outsideRectangle(u); // inside the layer's rectangle: about 97 % of draws
    out[i] = u & 128 ? -std * x : std * x;
  }
  return out;
}

/**
 * |x| for a draw `u` outside its layer's rectangle: in the wedge under the density, or in the tail beyond R. Its further
 * draws come from mulberry32 seeded by `u`.
 */
function outsideRectangle(u: number): number {
  const { k, w, f } = tables!;
  spare = u ^ 0x5bd1e995;
  for (;;) {
    const layer = u & 127;
    const m = u >>> 8;
    const x = m * w[layer];
    if (m < k[layer]) return x;
    if (layer === 0) { // the tail, by Marsaglia's method
      let tx: number, ty: number;
      do {
        tx = -Math.log(1 - spareRandom()) / ZIGGURAT_R;
        ty = -Math.log(1 - spareRandom());
      } while (ty + ty < tx * tx);
      return ZIGGURAT_R + tx;
    }
    if (f[layer] + spareRandom() * (f[layer - 1] - f[layer]) < Math.exp(-0.5 * x * x)) return x;
    u = Math.floor(spareRandom() * 4294967296);
  }
}

/** The state of outsideRectangle's generator: a module's variable, as a closure per call would cost more than the draw. */
let spare = 0;

function spareRandom(): number {
  spare = (spare + MULBERRY_STEP) | 0;
  return (mulberry32(spare) >>> 0) / 4294967296;
}

/** Where the 128-layer ziggurat's base strip ends, and each layer's area. */
const ZIGGURAT_R = 3.442619855899;
const ZIGGURAT_V = 9.91256303526217e-3;
let tables: { k: Uint32Array; w: Float64Array; f: Float64Array } | undefined;

/** The layers' tables for 24-bit positions: k (accept below), w (position to x) and f (the density at each edge). */
function ziggurat(): { k: Uint32Array; w: Float64Array; f: Float64Array } {
  if (tables) return tables;
  const m = 2 ** 24;
  const k = new Uint32Array(128);
  const w = new Float64Array(128);
  const f = new Float64Array(128);
  let d = ZIGGURAT_R;
  let t = d;
  const q = ZIGGURAT_V / Math.exp(-0.5 * d * d);
  k[0] = Math.floor((d / q) * m);
  k[1] = 0;
  w[0] = q / m;
  w[127] = d / m;
  f[0] = 1;
  f[127] = Math.exp(-0.5 * d * d);
  for (let i = 126; i >= 1; i--) {
    d = Math.sqrt(-2 * Math.log(ZIGGURAT_V / d + Math.exp(-0.5 * d * d)));
    k[i + 1] = Math.floor((d / t) * m);
    t = d;
    f[i] = Math.exp(-0.5 * d * d);
    w[i] = d / m;
  }
  return (tables = { k, w, f });
}
