// The host's chart lines stay bounded however long a run grows, keeping the newest point and the steps where settings changed.
import * as assert from 'node:assert/strict';
import { ThinnedLine, ThinnedSeries } from '../../../src/extension/panels/thinnedSeries';

const never = () => false;

describe('thinned chart lines', () => {
  it('keeps at most its cap of points however many arrive', () => {
    const line = new ThinnedLine(100, never);
    for (let step = 0; step < 100_000; step++) line.add(step, step);
    assert.ok(line.size <= 100, `${line.size} points`);
    assert.ok(line.size >= 50, `${line.size} points: thinning halves, no more`);
  });

  it('keeps points spread evenly over the whole run', () => {
    const line = new ThinnedLine(64, never);
    for (let step = 0; step < 10_000; step++) line.add(step, step);
    const gaps = line.steps.slice(1).map((s, i) => s - line.steps[i]);
    assert.equal(line.steps[0], 0);
    assert.ok(Math.max(...gaps.slice(0, -1)) === Math.min(...gaps.slice(0, -1)), `gaps ${[...new Set(gaps)]}`);
  });

  it('always ends at the newest point', () => {
    const line = new ThinnedLine(16, never);
    for (let step = 0; step <= 1001; step++) line.add(step, step * 2);
    const { steps, values } = line.points();
    assert.equal(steps.at(-1), 1001);
    assert.equal(values.at(-1), 2002);
  });

  it('keeps the points at steps where the run changed, through every halving', () => {
    const series = new ThinnedSeries(32);
    for (let step = 0; step < 10_000; step++) {
      if (step === 4321) series.pin(step);
      series.add('D loss', 'Losses', step, step);
    }
    assert.ok(series.all()[0].steps.includes(4321));
  });

  it('keeps a changed step that the stride had already passed over, when its change line comes after its step line', () => {
    const series = new ThinnedSeries(8);
    for (let step = 0; step < 101; step++) series.add('G loss', 'Losses', step, step);
    series.pin(100);
    for (let step = 101; step < 200; step++) series.add('G loss', 'Losses', step, step);
    assert.ok(series.all()[0].steps.includes(100));
  });

  it('hands on only the points added since a mark, and says when a line was thinned since', () => {
    const series = new ThinnedSeries(1000);
    for (let step = 0; step < 10; step++) series.add('D(x)', 'D', step, step);
    const mark = series.mark();
    for (let step = 10; step < 13; step++) series.add('D(x)', 'D', step, step);
    assert.deepEqual(series.since(mark)[0].steps, [10, 11, 12]);
    assert.equal(series.thinnedSince(mark), false);
    for (let step = 13; step < 2000; step++) series.add('D(x)', 'D', step, step);
    assert.equal(series.thinnedSince(mark), true);
  });
});
