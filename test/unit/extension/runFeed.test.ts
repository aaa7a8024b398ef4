// A run's feed: a panel that subscribes gets everything so far, then only what the trainer appends, a few times a second.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunFeed } from '../../../src/extension/panels/runFeed';
import { GROUPS } from '../../../src/extension/panels/series';
import { LINE_POINTS } from '../../../src/extension/panels/thinnedSeries';
import { ToPanel } from '../../../src/protocol/panels';
import { VERDICT_BINS } from '../../../src/protocol/probes';
import { runRecord } from '../trainer/runFolders';

const line = (step: number) => `${JSON.stringify({ step, time: step, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 10 })}\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


describe('RunFeed', () => {
  let dir: string;
  let feed: RunFeed | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-feed-'))));
  afterEach(() => {
    feed?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sends a new metrics panel every step so far, then only the appended ones', async () => {
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), line(1) + line(2));
    feed = new RunFeed(dir);
    const got: ToPanel[] = [];
    await feed.subscribe({ kind: 'metrics', post: (m) => got.push(m) });
    const first = got.find((m) => m.type === 'series');
    assert.ok(first?.type === 'series' && first.reset);
    assert.deepEqual(first.series.find((s) => s.name === 'D loss')?.steps, [1, 2]);
    got.length = 0;
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), line(3));
    feed.poke();
    await sleep(400);
    const next = got.find((m) => m.type === 'series');
    assert.ok(next?.type === 'series' && !next.reset);
    assert.deepEqual(next.series.find((s) => s.name === 'D loss')?.steps, [3]);
  });

  it('sends a metrics panel the verdict histograms of the snapshots that have them, then those appended', async () => {
    const bins = (at: number) => Array.from({ length: VERDICT_BINS }, (_, i) => (i === at ? 4 : 0));
    const snapshot = (step: number, verdicts?: object) => `${JSON.stringify({ step, dReal: 0.6, dFake: 0.3, layers: [], batchNorm: [], ...(verdicts && { verdicts }) })}\n`;
    fs.writeFileSync(path.join(dir, 'probes.jsonl'), snapshot(50) + snapshot(100, { real: bins(12), fake: bins(5) }));
    feed = new RunFeed(dir);
    const got: ToPanel[] = [];
    await feed.subscribe({ kind: 'metrics', post: (m) => got.push(m) });
    const first = got.find((m) => m.type === 'verdicts');
    assert.deepEqual(first, { type: 'verdicts', reset: true, verdicts: [{ step: 100, real: bins(12), fake: bins(5) }] });
    got.length = 0;
    fs.appendFileSync(path.join(dir, 'probes.jsonl'), snapshot(150, { real: bins(13), fake: bins(6) }));
    feed.poke();
    await sleep(400);
    assert.deepEqual(got.find((m) => m.type === 'verdicts'), { type: 'verdicts', reset: false, verdicts: [{ step: 150, real: bins(13), fake: bins(6) }] });
  });

  it('tells a graph panel why there is nothing to draw when graph.json is missing', async () => {
    feed = new RunFeed(dir);
    const got: ToPanel[] = [];
    await feed.subscribe({ kind: 'graph', post: (m) => got.push(m) });
    const notice = got.find((m) => m.type === 'notice');
    assert.match(notice?.type === 'notice' ? notice.message : '', /no graph\.json yet/);
  });

  it('reads at most once per 250 ms however often the trainer pokes it', async () => {
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), line(1));
    feed = new RunFeed(dir);
    let pushes = 0;
    await feed.subscribe({ kind: 'metrics', post: (m) => m.type === 'series' && !m.reset && pushes++ });
    for (let step = 2; step < 40; step++) {
      fs.appendFileSync(path.join(dir, 'metrics.jsonl'), line(step));
      feed.poke();
      await sleep(10);
    }
    await sleep(300);
    assert.ok(pushes >= 1 && pushes <= 4, `${pushes} pushes for 38 steps over ~0.7 s`);
  });

  it('reads run.json once, not on every push', async () => {
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...runRecord(os.tmpdir()), id: 'r-7' }));
    feed = new RunFeed(dir);
    const runs: string[] = [];
    await feed.subscribe({ kind: 'metrics', post: (m) => m.type === 'run' && runs.push(`${m.run.runId} ${m.run.preset}`) });
    fs.writeFileSync(path.join(dir, 'run.json'), '{not json');
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), line(1));
    feed.poke();
    await sleep(400);
    assert.deepEqual(runs, ['r-7 mnist-tiny', 'r-7 mnist-tiny']);
  });

  describe('a long run', () => {
    const STEPS = 3 * LINE_POINTS;
    beforeEach(() => {
      const lines: string[] = [];
      for (let step = 0; step < STEPS; step++) lines.push(line(step));
      fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join(''));
    });

    /** Subscribes a metrics panel and waits until the feed has read the whole file; returns what the panel was sent. */
    async function loaded(): Promise<ToPanel[]> {
      feed = new RunFeed(dir);
      const got: ToPanel[] = [];
      await feed.subscribe({ kind: 'metrics', post: (m) => got.push(m) });
      while (feed.run.step < STEPS - 1) await sleep(20);
      await sleep(50);
      return got;
    }

    it('sends a metrics panel at most a few thousand points of each line', async () => {
      const got = await loaded();
      for (const m of got) if (m.type === 'series') for (const s of m.series) assert.ok(s.steps.length <= LINE_POINTS, `${s.name}: ${s.steps.length} points`);
    });

    it('sends every point of the steps a zoom shows', async () => {
      await loaded();
      const detail = await feed!.detail(GROUPS.losses, 5000, 5099);
      const dLoss = detail.find((s) => s.name === 'D loss');
      assert.deepEqual(dLoss?.steps, Array.from({ length: 100 }, (_, i) => 5000 + i));
      assert.deepEqual(detail.map((s) => s.group), [GROUPS.losses, GROUPS.losses]);
    });
  });
});
