import * as assert from 'node:assert/strict';
import { AlignedLines } from '../../../webview-ui/metrics/aligned';
import { Columns, decimate } from '../../../webview-ui/metrics/decimate';

/** n steps 0…n−1 with a sine line and a line holding one spike. */
function run(n: number, spikeAt = Math.floor(n / 3)): Columns {
  const xs = Array.from({ length: n }, (_, i) => i);
  return [xs, xs.map((i) => Math.sin(i / 50)), xs.map((i) => (i === spikeAt ? 100 : 0))];
}

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
const values = (ys: (number | null)[]) => ys.filter((y): y is number => y !== null);

describe('metrics panel: thinning lines to the chart\'s pixels', () => {
  it('hands back data that already fits two rows per bucket unchanged', () => {
    const data = run(150);
    assert.equal(decimate(data, 100), data);
  });

  it('keeps at most two rows per bucket, steps ascending, from the first step to the last', () => {
    const out = decimate(run(100_000), 800);
    assert.ok(out[0].length <= 1600, `${out[0].length} rows`);
    assert.ok(ascending(out[0]));
    assert.deepEqual([out[0][0], out[0].at(-1)], [0, 99_999]);
    assert.ok(out.every((column) => column.length === out[0].length));
  });

  it('keeps every line\'s extremes, so a one-step spike still shows', () => {
    const data = run(100_000, 54_321);
    const out = decimate(data, 500);
    assert.equal(Math.max(...values(out[2])), 100);
    assert.equal(Math.min(...values(out[1])), Math.min(...values(data[1])));
    assert.equal(Math.max(...values(out[1])), Math.max(...values(data[1])));
  });

  it('orders a bucket\'s minimum and maximum as they occurred', () => {
    const xs = Array.from({ length: 40 }, (_, i) => i);
    const falling = xs.map((i) => 40 - i); // in each bucket the high comes first
    const out = decimate([xs, falling], 4);
    assert.deepEqual(out[1].slice(0, 2), [40, 31]);
  });

  it('leaves a line null in a bucket where it has no value', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const late = xs.map((i) => (i < 500 ? null : i));
    const out = decimate([xs, late], 10);
    assert.equal(out[1][0], null);
    assert.equal(out[1].at(-1), 999);
  });

  it('thins a zoomed window at full width and the rest coarsely, still spanning the whole run', () => {
    const out = decimate(run(100_000), 400, { min: 40_000, max: 41_000 });
    const inside = out[0].filter((x) => x >= 40_000 && x <= 41_000).length;
    assert.ok(inside > 700 && inside <= 800, `${inside} rows in the window`);
    assert.ok(out[0].length <= 2 * (400 + 2 * 100) + 2, `${out[0].length} rows in all`);
    assert.deepEqual([out[0][0], out[0].at(-1)], [0, 99_999]);
    assert.ok(ascending(out[0]));
  });
});

describe('metrics panel: lines on one step axis', () => {
  it('appends new steps of every line on a shared axis', () => {
    const lines = new AlignedLines();
    lines.append('D loss', [1, 2], [0.5, 0.4]);
    lines.append('G loss', [1, 2], [1.5, 1.4]);
    const axis = lines.columns[0];
    lines.append('D loss', [3], [0.3]);
    lines.append('G loss', [3], [1.3]);
    assert.equal(lines.columns[0], axis, 'the axis grew in place');
    assert.deepEqual(lines.columns, [[1, 2, 3], [0.5, 0.4, 0.3], [1.5, 1.4, 1.3]]);
  });

  it('gives a line that starts late nulls before its first step', () => {
    const lines = new AlignedLines();
    lines.append('D loss', [1, 2, 3], [1, 2, 3]);
    lines.append('lr', [3], [0.1]);
    assert.deepEqual(lines.columns, [[1, 2, 3], [1, 2, 3], [null, null, 0.1]]);
  });

  it('merges a step that falls between known ones in order', () => {
    const lines = new AlignedLines();
    lines.append('a', [10, 30], [1, 3]);
    lines.append('b', [20], [2]);
    assert.deepEqual(lines.columns, [[10, 20, 30], [1, null, 3], [null, 2, null]]);
    lines.append('a', [40], [4]);
    assert.deepEqual(lines.columns, [[10, 20, 30, 40], [1, null, 3, 4], [null, 2, null, null]]);
  });
});
