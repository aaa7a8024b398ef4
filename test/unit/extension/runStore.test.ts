import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listRuns } from '../../../src/extension/runStore';

describe('RunStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-runs-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const line = (step: number) => JSON.stringify({ step, time: step, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 9 });

  it('lists runs newest first and reports an unreadable run.json instead of failing', async () => {
    fs.mkdirSync(path.join(dir, '2026-01-01-a'));
    fs.mkdirSync(path.join(dir, '2026-01-02-b'));
    fs.writeFileSync(path.join(dir, '2026-01-02-b', 'run.json'), '{not json');
    const runs = await listRuns(dir);
    assert.deepEqual(runs.map((r) => r.id), ['2026-01-02-b', '2026-01-01-a']);
    assert.match(runs[0].problem ?? '', /run\.json cannot be read/);
  });

  it('gives each run its last complete step and newest sample grid', async () => {
    const run = path.join(dir, 'r');
    fs.mkdirSync(path.join(run, 'samples'), { recursive: true });
    fs.writeFileSync(path.join(run, 'metrics.jsonl'), `${line(1)}\n${line(2)}\n{"step":3,"ti`);
    for (const name of ['step-000002.png', 'step-000010.png']) fs.writeFileSync(path.join(run, 'samples', name), 'png');
    const [summary] = await listRuns(dir);
    assert.equal(summary.lastMetrics?.step, 2);
    assert.equal(summary.latestSample, path.join(run, 'samples', 'step-000010.png'));
  });

  it('returns no runs for a folder that does not exist yet', async () => {
    assert.deepEqual(await listRuns(path.join(dir, 'missing')), []);
  });
});
