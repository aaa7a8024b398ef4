import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deleteRunProblem, formatBytes, prunePlan, readRunEntries, RunEntry, RunFolderFacts, runFolderFacts } from '../../../src/extension/housekeepingPlan';

const dirEntry = (name: string, bytes = 100): RunEntry => ({ name, kind: 'directory', bytes });
const fileEntry = (name: string, bytes = 10): RunEntry => ({ name, kind: 'file', bytes });
const sampleNames = (n: number) => Array.from({ length: n }, (_, i) => `step-${String(i * 20).padStart(6, '0')}.png`);

describe('Prune Run: what goes', () => {
  it('keeps only the newest checkpoint, by step, not by listing order', () => {
    const plan = prunePlan({ checkpoints: [dirEntry('step-001000'), dirEntry('step-000200'), dirEntry('step-000400')], samples: [] }, 10);
    assert.deepEqual(plan.checkpoints.map((e) => e.name), ['step-000200', 'step-000400']);
    assert.equal(plan.keptCheckpoint, 'step-001000');
  });

  it('keeps the first sample grid, every n-th after it, and the newest', () => {
    const plan = prunePlan({ checkpoints: [], samples: sampleNames(8).map((n) => fileEntry(n)) }, 3);
    const kept = sampleNames(8).filter((n) => !plan.samples.some((e) => e.name === n));
    assert.deepEqual(kept, ['step-000000.png', 'step-000060.png', 'step-000120.png', 'step-000140.png']);
    assert.equal(plan.keptSamples, 4);
  });

  it('deletes nothing when n is 1 and there is one checkpoint', () => {
    const plan = prunePlan({ checkpoints: [dirEntry('step-000200')], samples: sampleNames(5).map((n) => fileEntry(n)) }, 1);
    assert.deepEqual([plan.checkpoints, plan.samples, plan.bytes], [[], [], 0]);
  });

  it('touches only the trainer\'s names, matched exactly, and never links or files posing as folders', () => {
    const plan = prunePlan({
      checkpoints: [dirEntry('step-000100'), dirEntry('.tmp-step-000300-123'), dirEntry('step-000200.bak'), { name: 'step-000150', kind: 'link', bytes: 0 },
        fileEntry('step-000120'), dirEntry('step-000300')],
      samples: [fileEntry('step-000000.png'), fileEntry('notes.png'), fileEntry('step-000020.png.part'), fileEntry('step-20.png'),
        { name: 'step-000040.png', kind: 'link', bytes: 0 }, dirEntry('step-000060.png'), fileEntry('step-000080.png'), fileEntry('step-000100.png')],
    }, 5);
    assert.deepEqual(plan.checkpoints.map((e) => e.name), ['step-000100']);
    assert.deepEqual(plan.samples.map((e) => e.name), ['step-000080.png']);
  });

  it('adds up the bytes of everything that goes', () => {
    const plan = prunePlan({ checkpoints: [dirEntry('step-000100', 5000), dirEntry('step-000200', 5000)], samples: sampleNames(3).map((n) => fileEntry(n, 7)) }, 2);
    assert.equal(plan.bytes, 5000 + 7);
  });

  it('refuses an n that is not a positive whole number', () => {
    assert.throws(() => prunePlan({ checkpoints: [], samples: [] }, 0), /n must be a positive integer, not 0/);
  });
});

describe('Delete Run: what may go', () => {
  const facts = (over: Partial<RunFolderFacts>): RunFolderFacts => ({
    runDir: '/w/.ganscope/runs/r1', runsDir: '/w/.ganscope/runs', isLink: false, realRunDir: '/w/.ganscope/runs/r1', realRunsDir: '/w/.ganscope/runs', live: false, ...over,
  });

  it('allows a real folder directly inside the runs folder', () => {
    assert.equal(deleteRunProblem(facts({})), undefined);
  });

  it('allows it when the runs folder itself is reached through a link', () => {
    assert.equal(deleteRunProblem(facts({ realRunDir: '/data/runs/r1', realRunsDir: '/data/runs' })), undefined);
  });

  it('refuses a run folder that is a symbolic link', () => {
    assert.match(deleteRunProblem(facts({ isLink: true, realRunDir: '/elsewhere/r1' })) ?? '', /is a symbolic link\. .*never what a link points to/);
  });

  it('refuses a folder outside the runs folder, or nested deeper in it', () => {
    assert.match(deleteRunProblem(facts({ runDir: '/tmp/cli-run', realRunDir: '/tmp/cli-run' })) ?? '', /is not in the runs folder \(\/w\/\.ganscope\/runs\)/);
    assert.match(deleteRunProblem(facts({ realRunDir: '/w/.ganscope/runs/r1/samples' })) ?? '', /is not in the runs folder/);
  });

  it('refuses the live run, and a folder that is gone', () => {
    assert.match(deleteRunProblem(facts({ live: true })) ?? '', /Run r1 is training\. Stop it first/);
    assert.match(deleteRunProblem(facts({ realRunDir: undefined })) ?? '', /no longer exists/);
  });
});

describe('run housekeeping: reading the disk', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-housekeeping-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('sizes checkpoint folders by their files, and sees links as links without following them', () => {
    const run = path.join(root, 'runs', 'r1');
    fs.mkdirSync(path.join(run, 'checkpoints', 'step-000200'), { recursive: true });
    fs.writeFileSync(path.join(run, 'checkpoints', 'step-000200', 'weights.bin'), Buffer.alloc(300));
    fs.writeFileSync(path.join(run, 'checkpoints', 'step-000200', 'checkpoint.json'), '{}');
    fs.mkdirSync(path.join(root, 'precious'));
    fs.writeFileSync(path.join(root, 'precious', 'big.bin'), Buffer.alloc(1000));
    fs.symlinkSync(path.join(root, 'precious'), path.join(run, 'checkpoints', 'step-000100'));
    fs.symlinkSync(path.join(root, 'precious'), path.join(run, 'samples'));
    const entries = readRunEntries(run);
    assert.deepEqual(entries.checkpoints.sort((a, b) => a.name.localeCompare(b.name)), [
      { name: 'step-000100', kind: 'link', bytes: 0 },
      { name: 'step-000200', kind: 'directory', bytes: 302 },
    ]);
    assert.deepEqual(entries.samples, [], 'a samples folder that is a link reads as empty');
  });

  it('tells a linked run folder from a real one', () => {
    fs.mkdirSync(path.join(root, 'runs', 'real'), { recursive: true });
    fs.mkdirSync(path.join(root, 'outside'));
    fs.symlinkSync(path.join(root, 'outside'), path.join(root, 'runs', 'linked'));
    assert.equal(deleteRunProblem(runFolderFacts(path.join(root, 'runs', 'real'), path.join(root, 'runs'), false)), undefined);
    assert.match(deleteRunProblem(runFolderFacts(path.join(root, 'runs', 'linked'), path.join(root, 'runs'), false)) ?? '', /symbolic link/);
  });

  it('writes sizes for people', () => {
    assert.deepEqual([formatBytes(999), formatBytes(1500), formatBytes(12_345_678)], ['999 bytes', '1.5 kB', '12.3 MB']);
  });
});
