import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lastMetrics, listRuns } from '../../../src/extension/runStore';

describe('RunStore', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-runs-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const line = (step: number) => JSON.stringify({ step, time: step, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 9 });

  it('reads the last complete metrics line when the final one was cut short', () => {
    const file = path.join(dir, 'metrics.jsonl');
    fs.writeFileSync(file, `${line(1)}\n${line(2)}\n{"step":3,"ti`);
    assert.equal(lastMetrics(file)?.step, 2);
  });

  it('lists runs newest first and reports an unreadable run.json instead of failing', () => {
    fs.mkdirSync(path.join(dir, '2026-01-01-a'));
    fs.mkdirSync(path.join(dir, '2026-01-02-b'));
    fs.writeFileSync(path.join(dir, '2026-01-02-b', 'run.json'), '{not json');
    const runs = listRuns(dir);
    assert.deepEqual(runs.map((r) => r.id), ['2026-01-02-b', '2026-01-01-a']);
    assert.match(runs[0].problem ?? '', /cannot read run.json/);
  });

  it('returns no runs for a folder that does not exist yet', () => {
    assert.deepEqual(listRuns(path.join(dir, 'missing')), []);
  });
});
