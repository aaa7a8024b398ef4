// The recorded runs the walkthrough opens beside the learner's: complete, small, and read without a byte written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunFeed } from '../../../src/extension/panels/runFeed';
import { GROUPS } from '../../../src/extension/panels/series';
import { isReferenceRun, REFERENCE_RUNS, referenceRunDir } from '../../../src/extension/referenceRuns';
import { ToPanel } from '../../../src/protocol/panels';
import { parseMetricsLine, parseRunRecord, parseSampleSteps } from '../../../src/runFolder/records';

const root = path.join(__dirname, '..', '..', '..');
const NAMES = Object.keys(REFERENCE_RUNS);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What a recorded run may weigh in the VSIX. */
const MAX_BYTES = 500 * 1024;

/** Every file under `dir`, relative, with its size and modification time. */
function listing(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => {
    const file = path.join(e.parentPath, e.name);
    const stat = fs.statSync(file);
    return `${path.relative(dir, file)} ${stat.size} ${stat.mtimeMs}`;
  }).sort();
}

function metricsLines(dir: string) {
  return fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).map((text, i) => {
    const parsed = parseMetricsLine(JSON.parse(text), `metrics.jsonl line ${i + 1}`);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
    return parsed.value;
  });
}

describe('The recorded reference runs', () => {
  it('include the semi-supervised run the walkthrough shows', () => {
    assert.ok(isReferenceRun('mnist-ssgan-100'));
    assert.ok(!isReferenceRun('no-such-run') && !isReferenceRun(undefined));
  });

  for (const name of NAMES) {
    const dir = referenceRunDir(root, name);

    it(`${name}: has a run.json that parses, and names its preset`, () => {
      const parsed = parseRunRecord(JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')), 'run.json');
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
      assert.equal(parsed.value.config.preset, name);
    });

    it(`${name}: logs its steps, its scores and its test accuracy in metrics.jsonl`, () => {
      const lines = metricsLines(dir);
      assert.ok(lines.filter((l) => l.kind === 'step').length >= 100);
      assert.ok(lines.some((l) => l.kind === 'scores' && 'inceptionScore' in l.record.scores));
      assert.ok(lines.some((l) => l.kind === 'step' && l.record.extra?.testAccuracy !== undefined));
    });

    it(`${name}: has a few sample grids and weighs under ${MAX_BYTES / 1024} KB`, () => {
      const grids = parseSampleSteps(fs.readdirSync(path.join(dir, 'samples')));
      assert.ok(grids.length >= 2 && grids.length <= 6, `${grids.length} grids`);
      const bytes = listing(dir).reduce((sum, line) => sum + Number(line.split(' ').at(-2)), 0);
      assert.ok(bytes < MAX_BYTES, `${bytes} bytes`);
    });

    it(`${name}: holds only what the Metrics panel reads: no checkpoints, probes or lock`, () => {
      const top = fs.readdirSync(dir).sort();
      assert.deepEqual(top, ['metrics.jsonl', 'run.json', 'samples']);
    });

    it(`${name}: feeds a Metrics panel its scores and test accuracy without writing to its folder`, async () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-reference-'));
      fs.cpSync(dir, copy, { recursive: true, preserveTimestamps: true });
      const before = listing(copy);
      const feed = new RunFeed(copy);
      try {
        const got: ToPanel[] = [];
        await feed.subscribe({ kind: 'metrics', post: (m) => got.push(m) });
        // A busy machine reads the file in several slices: wait until the last lines (the score's) have come.
        const series = () => got.flatMap((m) => (m.type === 'series' ? m.series : []));
        for (let waited = 0; waited < 20_000 && !series().some((s) => s.group.startsWith(GROUPS.scores)); waited += 100) await sleep(100);
        assert.ok(series().some((s) => s.group.startsWith(GROUPS.scores) && s.steps.length > 0), 'a score is drawn');
        assert.ok(series().some((s) => s.name === 'testAccuracy' && s.steps.length > 0), 'test accuracy is drawn');
        assert.deepEqual(listing(copy), before);
      } finally {
        feed.dispose();
        fs.rmSync(copy, { recursive: true, force: true });
      }
    });
  }
});
