// Thins a chart's lines to what its pixels can show: per horizontal pixel, each line's lowest and highest value.
// A canvas cannot draw more than that, so the picture is the same, and a redraw costs the chart's width, not the run's length.

/** Steps and one column of values per line, all the same length, steps ascending; null where a line has no value. */
export type Columns = [number[], ...(number | null)[][]];

/** Buckets on each side of a zoomed window: enough for the lines to lead out of it, and for a zoom-out to look right at once. */
const OUTSIDE_SHARE = 0.25;

/**
 * At most two rows per bucket of `buckets` equal step ranges across the window `view` (the whole run when absent), fewer
 * outside it. In each bucket every line keeps its minimum and maximum, in the order they occur, placed at the bucket's
 * first and last step. Data that already fits is returned as it is.
 */
export function decimate(data: Columns, buckets: number, view?: { min: number; max: number }): Columns {
  const xs = data[0];
  const n = xs.length;
  if (n <= 2 * buckets) return data;
  const out: Columns = [[], ...data.slice(1).map(() => [])];
  if (!view || (view.min <= xs[0] && view.max >= xs[n - 1])) {
    thin(data, 0, n, buckets, out);
    return out;
  }
  // One raw point either side of the window, so the lines run on to its edges.
  const lo = Math.max(0, firstAtLeast(xs, view.min) - 1);
  const end = firstAtLeast(xs, view.max);
  const hi = Math.min(n, (xs[end] === view.max ? end + 1 : end) + 1);
  const outside = Math.max(1, Math.round(buckets * OUTSIDE_SHARE));
  thin(data, 0, lo, outside, out);
  thin(data, lo, hi, buckets, out);
  thin(data, hi, n, outside, out);
  return out;
}

/** Appends rows [from, to) of `data` to `out`, thinned to two rows per bucket. */
function thin(data: Columns, from: number, to: number, buckets: number, out: Columns): void {
  const xs = data[0];
  const lines = data.length - 1;
  if (to - from <= 2 * buckets) {
    for (let c = 0; c <= lines; c++) for (let i = from; i < to; i++) (out[c] as (number | null)[]).push(data[c][i]);
    return;
  }
  const x0 = xs[from];
  const width = (xs[to - 1] - x0) / buckets || 1;
  const bucketOf = (x: number) => Math.min(buckets - 1, Math.floor((x - x0) / width));
  for (let i = from; i < to; ) {
    const bucket = bucketOf(xs[i]);
    let j = i + 1;
    while (j < to && bucketOf(xs[j]) === bucket) j++;
    out[0].push(xs[i]);
    if (j - i > 1) out[0].push(xs[j - 1]);
    for (let c = 1; c <= lines; c++) {
      const ys = data[c];
      let lowAt = -1;
      let highAt = -1;
      for (let k = i; k < j; k++) {
        const y = ys[k];
        if (y === null) continue;
        if (lowAt < 0 || y < ys[lowAt]!) lowAt = k;
        if (highAt < 0 || y > ys[highAt]!) highAt = k;
      }
      const column = out[c] as (number | null)[];
      const first = lowAt < 0 ? null : ys[Math.min(lowAt, highAt)];
      const last = lowAt < 0 ? null : ys[Math.max(lowAt, highAt)];
      column.push(first);
      if (j - i > 1) column.push(last);
    }
    i = j;
  }
}

/** The first index whose step is ≥ x (xs ascending); xs.length when none is. */
export function firstAtLeast(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
