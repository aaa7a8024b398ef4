// The run-folder reader: JSON-lines followed a chunk at a time, one parser per kind of record, run.json and graph.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Finding } from '../../../src/protocol/findings';
import { ModelGraph, ProbeSnapshot } from '../../../src/protocol/probes';
import { StepMetrics } from '../../../src/protocol/trainer';
import { JsonLinesTail } from '../../../src/runFolder/jsonLines';
import { parseMetricsLine, parseProbeLine } from '../../../src/runFolder/records';
import { metricsTail, readLastStep, readRunSync, RunFolderReader } from '../../../src/runFolder/reader';
import { runRecord } from '../trainer/runFolders';

const step = (n: number): StepMetrics => ({ step: n, time: n * 10, dLoss: 1, gLoss: 2, dReal: 0.6, dFake: 0.4, imagesPerSec: 100 });
const line = (value: unknown) => `${JSON.stringify(value)}\n`;
const snapshot = (n: number): ProbeSnapshot => ({ step: n, dReal: 0.5, dFake: 0.5, layers: [{ name: 'G.dense1', weightNorm: 2, gradNorm: 0.1 }], batchNorm: [] });
const graph: ModelGraph = {
  step: 0, preset: 'mnist-tiny',
  generator: { name: 'generator', inputShape: [100], layers: [{ name: 'G.dense1', type: 'dense', outputShape: [784], params: 79184 }] },
  discriminator: { name: 'discriminator', inputShape: [28, 28, 1], layers: [{ name: 'D.flatten1', type: 'flatten', outputShape: [784], params: 0 }] },
};

describe('runFolder/jsonLines: a JSON-lines file followed as it grows', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-lines-'));
    file = path.join(dir, 'probes.jsonl');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const steps = (records: { step: number }[]) => records.map((r) => r.step);

  it('keeps a torn last line for the next read', async () => {
    const tail = new JsonLinesTail(file, parseProbeLine);
    const text = line(snapshot(1)) + line(snapshot(2));
    fs.writeFileSync(file, text.slice(0, -20));
    assert.deepEqual(steps((await tail.read()).records), [1]);
    fs.appendFileSync(file, text.slice(-20));
    const next = await tail.read();
    assert.deepEqual([steps(next.records), next.invalid], [[2], 0]);
    assert.deepEqual((await tail.read()).records, []);
  });

  it('reads a line that chunk boundaries cut in several places', async () => {
    fs.writeFileSync(file, line(snapshot(1)) + line(snapshot(2)) + line(snapshot(3)));
    const read = await new JsonLinesTail(file, parseProbeLine, { chunkBytes: 7 }).read();
    assert.deepEqual([steps(read.records), read.invalid], [[1, 2, 3], 0]);
  });

  it('decodes a multi-byte character that a chunk boundary cuts in two', async () => {
    const named = (name: string): ProbeSnapshot => ({ ...snapshot(1), layers: [{ name, weightNorm: 1, gradNorm: 1 }] });
    const text = line(named('G.α→β'));
    fs.writeFileSync(file, text);
    const cut = Buffer.from(text).indexOf(Buffer.from('α')) + 1; // inside α's two bytes
    for (const chunkBytes of [cut, cut + 1, 3]) {
      const read = await new JsonLinesTail(file, parseProbeLine, { chunkBytes }).read();
      assert.equal(read.records[0]?.layers[0].name, 'G.α→β', `chunks of ${chunkBytes} bytes`);
    }
  });

  it('starts over when the file shrank (a resumed run cut it back)', async () => {
    const tail = new JsonLinesTail(file, parseProbeLine);
    fs.writeFileSync(file, line(snapshot(1)) + line(snapshot(2)));
    await tail.read();
    fs.writeFileSync(file, line(snapshot(1)));
    const again = await tail.read();
    assert.deepEqual([again.reset, steps(again.records)], [true, [1]]);
  });

  it('counts and skips lines that do not parse or validate, and reads the valid ones after them', async () => {
    fs.writeFileSync(file, [line(snapshot(1)), '{"step": 2, "dRe\n', '\n', line({ step: 'x' }), line(snapshot(3))].join(''));
    const read = await new JsonLinesTail(file, parseProbeLine).read();
    assert.deepEqual([steps(read.records), read.invalid], [[1, 3], 2]);
    assert.match(read.problem ?? '', /^probes\.jsonl line 2: /);
  });

  it('reads only the bytes appended since the last read', async () => {
    const tail = new JsonLinesTail(file, parseProbeLine);
    const first = line(snapshot(1));
    fs.writeFileSync(file, first);
    await tail.read();
    // Bytes already read, overwritten in place: a reader that read them again would find a bad line.
    fs.writeFileSync(file, 'x'.repeat(first.length - 1) + '\n' + line(snapshot(2)));
    const next = await tail.read();
    assert.deepEqual([steps(next.records), next.invalid], [[2], 0]);
  });

  it('reads the same records synchronously, for the trainer', async () => {
    fs.writeFileSync(file, line(snapshot(1)) + 'oops\n' + line(snapshot(2)) + '{"st');
    const sync = new JsonLinesTail(file, parseProbeLine, { chunkBytes: 5 }).readSync();
    assert.deepEqual(sync, await new JsonLinesTail(file, parseProbeLine).read());
  });

  it('reads nothing, and no error, while the file does not exist', async () => {
    assert.deepEqual(await new JsonLinesTail(file, parseProbeLine).read(), { reset: false, records: [], invalid: 0 });
  });
});

describe('runFolder/records and reader: a run folder', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-folder-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const append = (file: string, text: string) => fs.appendFileSync(path.join(dir, file), text);

  it('tells metrics.jsonl step lines from score lines and from lines of changed settings, none of them an error', () => {
    append('metrics.jsonl', line(step(1)) + line({ step: 2, time: 5, scores: { swd: 0.3 } }) + line({ step: 2, time: 6, changed: { loss: 'minimax' } }));
    const read = metricsTail(dir).readSync();
    assert.deepEqual(read.records.map((l) => `${l.kind} ${l.record.step}`), ['step 1', 'scores 2', 'changed 2']);
    assert.equal(read.invalid, 0);
  });

  it('names what is wrong with a line by its kind', () => {
    assert.deepEqual(parseMetricsLine({ step: 2, time: 5, scores: { swd: 'low' } }, 'line 4'), { ok: false, error: 'line 4.scores.swd must be a finite number' });
  });

  it('reads the last complete step of metrics.jsonl when the final line was cut short', async () => {
    append('metrics.jsonl', line(step(1)) + line(step(2)) + line({ step: 2, time: 5, scores: { swd: 0.3 } }) + '{"step":3,"ti');
    assert.equal((await readLastStep(dir))?.step, 2);
  });

  it('opens a run for the trainer by its run.json, saying what is wrong when it cannot', () => {
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...runRecord('/runs'), id: 'r' }));
    const run = readRunSync(dir);
    assert.deepEqual([run.id, run.dir, run.record.config.preset], [path.basename(dir), dir, 'mnist-tiny']);
    fs.writeFileSync(path.join(dir, 'run.json'), '{"schema": 1}');
    assert.throws(() => readRunSync(dir), /run\.json is not a valid run record \(run\.json\.id must be a string\)/);
  });

  it('reads graph.json once, and again only when it changes', async () => {
    fs.writeFileSync(path.join(dir, 'graph.json'), JSON.stringify(graph));
    const reader = new RunFolderReader(dir);
    assert.equal((await reader.read()).graph?.preset, 'mnist-tiny');
    assert.equal((await reader.read()).graph, undefined);
    fs.writeFileSync(path.join(dir, 'graph.json'), JSON.stringify({ ...graph, step: 400, preset: 'mnist-progressive' }));
    fs.utimesSync(path.join(dir, 'graph.json'), new Date(), new Date(Date.now() + 5_000));
    assert.equal((await reader.read()).graph?.preset, 'mnist-progressive');
  });

  it('names a graph.json that is not a model graph', async () => {
    fs.writeFileSync(path.join(dir, 'graph.json'), '{"step": 0}');
    const update = await new RunFolderReader(dir).read();
    assert.equal(update.graph, undefined);
    assert.match(update.problems[0], /graph\.json is not a model graph \(.*preset/);
  });

  it('reads findings.jsonl\'s lines in order, skipping a line cut by a kill', async () => {
    const finding = (lastStep: number): Finding => ({ step: 300, lastStep, kind: 'mode-collapse', severity: 'warning', summary: 'alike samples', evidence: { diversityRatio: 0.1 }, remedies: [] });
    append('findings.jsonl', line(finding(300)) + line(finding(400)) + '{"step": 300, "lastS');
    const update = await new RunFolderReader(dir).read();
    assert.deepEqual(update.findings.map((f) => f.lastStep), [300, 400]);
  });

  it('reads probe snapshots, steps and scores, and lists sample grids by step, in order', async () => {
    append('probes.jsonl', line(snapshot(50)) + line(snapshot(100)));
    append('metrics.jsonl', line(step(1)) + line({ step: 1, time: 5, scores: { swd: 0.3 } }));
    fs.mkdirSync(path.join(dir, 'samples'));
    for (const name of ['step-000100.png', 'step-000020.png', 'notes.txt']) fs.writeFileSync(path.join(dir, 'samples', name), 'png');
    const reader = new RunFolderReader(dir);
    const update = await reader.read();
    assert.deepEqual([update.snapshots.map((s) => s.step), update.steps.map((s) => s.step), update.scores.map((s) => s.scores)], [[50, 100], [1], [{ swd: 0.3 }]]);
    assert.deepEqual(update.sampleSteps, [20, 100]);
    assert.equal((await reader.read()).sampleSteps, undefined, 'unchanged samples are not sent again');
    assert.equal(await reader.sampleUri(20), `data:image/png;base64,${Buffer.from('png').toString('base64')}`);
  });
});
