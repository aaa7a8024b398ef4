// The sliced Wasserstein distance of Karras et al. 2018 (Progressive GAN, appendix D; their metrics/sliced_wasserstein.py),
// adapted to one-channel images: Laplacian-pyramid levels, 7×7 neighbourhoods, sorted 1-D projections.
import { seededRandom } from '../random';

/** Side of the square neighbourhoods (descriptors) taken from each pyramid level, as in the paper. */
export const PATCH = 7;
const BINOMIAL = [1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16];

/**
 * The Laplacian pyramid of one side×side image, finest level first: each level is the image at that resolution minus
 * the next coarser one upsampled; the last is the coarsest Gaussian level itself. Levels halve the side down to the
 * first side below 2·PATCH (28 → 28, 14, 7; 32 → 32, 16, 8), so the coarsest still holds one whole 7×7 neighbourhood.
 */
export function laplacianPyramid(image: ArrayLike<number>, side: number): { side: number; pixels: Float32Array }[] {
  const levels: { side: number; pixels: Float32Array }[] = [];
  let current: Float32Array = Float32Array.from(image as ArrayLike<number>);
  let s = side;
  while (s >= 2 * PATCH && s % 2 === 0) {
    const down = downsample(current, s);
    const up = upsample(down, s / 2);
    const detail = new Float32Array(s * s);
    for (let i = 0; i < detail.length; i++) detail[i] = current[i] - up[i];
    levels.push({ side: s, pixels: detail });
    current = down;
    s /= 2;
  }
  levels.push({ side: s, pixels: current });
  return levels;
}

/** Separable 5-tap binomial blur with mirrored edges (scipy.ndimage's 'mirror'), as the paper's pyramid uses. */
function blur(x: Float32Array, side: number, gain = 1): Float32Array {
  const mirror = (i: number) => (i < 0 ? -i : i >= side ? 2 * side - 2 - i : i);
  const rows = new Float32Array(side * side);
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    for (let x0 = 0; x0 < side; x0++) {
      let v = 0;
      for (let k = -2; k <= 2; k++) v += BINOMIAL[k + 2] * x[y * side + mirror(x0 + k)];
      rows[y * side + x0] = v * gain;
    }
  }
  for (let y = 0; y < side; y++) {
    for (let x0 = 0; x0 < side; x0++) {
      let v = 0;
      for (let k = -2; k <= 2; k++) v += BINOMIAL[k + 2] * rows[mirror(y + k) * side + x0];
      out[y * side + x0] = v * gain;
    }
  }
  return out;
}

function downsample(x: Float32Array, side: number): Float32Array {
  const blurred = blur(x, side);
  const half = side / 2;
  const out = new Float32Array(half * half);
  for (let y = 0; y < half; y++) for (let x0 = 0; x0 < half; x0++) out[y * half + x0] = blurred[2 * y * side + 2 * x0];
  return out;
}

/** Zeros between the pixels, then the blur with gain 2 per axis, so a constant image stays constant. */
function upsample(x: Float32Array, side: number): Float32Array {
  const double = side * 2;
  const spread = new Float32Array(double * double);
  for (let y = 0; y < side; y++) for (let x0 = 0; x0 < side; x0++) spread[2 * y * double + 2 * x0] = x[y * side + x0];
  return blur(spread, double, 2);
}

/** One pyramid level's descriptors: `count` vectors of PATCH² values. */
export interface Descriptors {
  side: number;
  count: number;
  values: Float32Array;
}

/**
 * The descriptors of `images` (n one-channel side×side images, concatenated): per level, `perImage` 7×7 neighbourhoods
 * at positions drawn from `seed` (fewer when a level has fewer positions: a 7×7 level has one, the whole level).
 */
export function pyramidDescriptors(images: ArrayLike<number>, side: number, perImage: number, seed: number): Descriptors[] {
  const n = images.length / (side * side);
  if (!Number.isInteger(n) || n === 0) throw new Error(`pyramidDescriptors needs whole ${side}×${side} images; got ${images.length} values`);
  const random = seededRandom(seed);
  let levels: Descriptors[] | undefined;
  for (let i = 0; i < n; i++) {
    const pyramid = laplacianPyramid(slice(images, i * side * side, (i + 1) * side * side), side);
    levels ??= pyramid.map((l) => {
      const positions = (l.side - PATCH + 1) ** 2;
      const count = n * Math.min(perImage, positions);
      return { side: l.side, count, values: new Float32Array(count * PATCH * PATCH) };
    });
    pyramid.forEach((level, li) => {
      const out = levels![li];
      const span = level.side - PATCH + 1;
      const per = out.count / n;
      for (let d = 0; d < per; d++) {
        // Every position once when a level has no more positions than wanted, else random ones.
        const at = per === span * span ? d : Math.floor(random() * span * span);
        const top = Math.floor(at / span);
        const left = at % span;
        const base = (i * per + d) * PATCH * PATCH;
        for (let y = 0; y < PATCH; y++) {
          for (let x = 0; x < PATCH; x++) out.values[base + y * PATCH + x] = level.pixels[(top + y) * level.side + left + x];
        }
      }
    });
  }
  return levels!;
}

function slice(values: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  return values instanceof Float32Array || values instanceof Float64Array ? values.subarray(from, to) : Array.prototype.slice.call(values, from, to);
}

/**
 * The paper's per-level normalisation: minus the mean, over the std, of every value of the set's descriptors of that
 * level (per channel in the paper; one channel here). Each set is normalised by its own statistics.
 */
export function normalizeDescriptors(d: Descriptors): Descriptors {
  let mean = 0;
  for (const v of d.values) mean += v / d.values.length;
  let variance = 0;
  for (const v of d.values) variance += (v - mean) ** 2 / d.values.length;
  const std = Math.sqrt(variance) || 1;
  return { ...d, values: d.values.map((v) => (v - mean) / std) };
}

/** `count` random unit vectors of `dim` values (Gaussian, normalised): the paper draws 4 × 128 per level. */
export function randomDirections(count: number, dim: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const dirs = new Float64Array(count * dim);
  for (let k = 0; k < count; k++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      // Box–Muller: Gaussian components make the direction uniform on the sphere.
      const g = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      dirs[k * dim + j] = g;
      norm += g * g;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) dirs[k * dim + j] /= norm;
  }
  return dirs;
}

/**
 * The projections of `values` (count vectors of dim) on directions `from` up to `to`, each sorted: one row of `count`
 * per direction.
 */
export function sortedProjections(values: Float32Array, count: number, directions: Float64Array, from = 0, to = directions.length / (values.length / count)): Float32Array[] {
  const dim = values.length / count;
  const rows: Float32Array[] = [];
  for (let k = from; k < to; k++) {
    const row = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      let p = 0;
      for (let j = 0; j < dim; j++) p += values[i * dim + j] * directions[k * dim + j];
      row[i] = p;
    }
    rows.push(row.sort());
  }
  return rows;
}

/**
 * The sliced Wasserstein distance: the mean over directions of the 1-D Wasserstein-1 distance between the two sets'
 * projections, which for equal-sized sets is the mean |difference| of the sorted projections.
 */
export function slicedWasserstein(a: Float32Array[], b: Float32Array[]): number {
  if (a.length !== b.length || a[0]?.length !== b[0]?.length) {
    throw new Error(`slicedWasserstein needs as many directions and projections in both sets; got ${a.length}×${a[0]?.length} and ${b.length}×${b[0]?.length}`);
  }
  let total = 0;
  for (let k = 0; k < a.length; k++) {
    let sum = 0;
    for (let i = 0; i < a[k].length; i++) sum += Math.abs(a[k][i] - b[k][i]);
    total += sum / a[k].length;
  }
  return total / a.length;
}

/** How SWD samples descriptors and directions; both sets of a comparison must use the same settings. */
export interface SwdSettings {
  /** 7×7 neighbourhoods per image and level (the paper: 128 over 16,384 images; fewer here, from fewer images). */
  perImage: number;
  /** Random directions per level (the paper: 4 repeats × 128). */
  directions: number;
  /** Seeds the directions (the same for both sets) and the neighbourhood positions. */
  seed: number;
}

export const SWD_SETTINGS: SwdSettings = { perImage: 16, directions: 256, seed: 2018 };
/** Directions projected per piece of work, so a scorer can spread the projections over several training steps. */
const DIRECTIONS_PER_PIECE = 32;

/** A set's sorted projections at each pyramid level: what two sets' SWD is computed from. */
export type SwdProfile = { side: number; sorted: Float32Array[] }[];

/** The profile of `images` (n side×side one-channel images), yielding between pieces of work of a few milliseconds. */
export function* swdProfileSteps(images: ArrayLike<number>, side: number, settings = SWD_SETTINGS): Generator<void, SwdProfile> {
  const levels = pyramidDescriptors(images, side, settings.perImage, settings.seed);
  const profile: SwdProfile = [];
  for (const [li, level] of levels.entries()) {
    yield;
    const normalized = normalizeDescriptors(level);
    const directions = randomDirections(settings.directions, PATCH * PATCH, settings.seed + 1 + li);
    const sorted: Float32Array[] = [];
    for (let from = 0; from < settings.directions; from += DIRECTIONS_PER_PIECE) {
      sorted.push(...sortedProjections(normalized.values, normalized.count, directions, from, Math.min(from + DIRECTIONS_PER_PIECE, settings.directions)));
      yield;
    }
    profile.push({ side: level.side, sorted });
  }
  return profile;
}

export function swdProfile(images: ArrayLike<number>, side: number, settings = SWD_SETTINGS): SwdProfile {
  const steps = swdProfileSteps(images, side, settings);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The SWD at each level between two profiles of the same number of images, finest level first. */
export function swdByLevel(a: SwdProfile, b: SwdProfile): { side: number; distance: number }[] {
  if (a.map((l) => l.side).join() !== b.map((l) => l.side).join()) throw new Error(`swdByLevel: the pyramids differ (${a.map((l) => l.side)} and ${b.map((l) => l.side)})`);
  return a.map((level, i) => ({ side: level.side, distance: slicedWasserstein(level.sorted, b[i].sorted) }));
}
