// Reading a run directory for the panels: appended lines only, torn lines skipped, step and score lines told apart.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonlTail, RunFiles } from '../../../src/extension/panels/runFiles';
import { ModelGraph, ProbeSnapshot } from '../../../src/protocol/probes';
import { StepMetrics } from '../../../src/protocol/trainer';

const step = (n: number): StepMetrics => ({ step: n, time: n * 10, dLoss: 1, gLoss: 2, dReal: 0.6, dFake: 0.4, imagesPerSec: 100 });
const snapshot = (n: number): ProbeSnapshot => ({ step: n, dReal: 0.5, dFake: 0.5, layers: [{ name: 'G.dense1', weightNorm: 2, gradNorm: 0.1 }], batchNorm: [] });
const graph: ModelGraph = {
  step: 0, preset: 'mnist-tiny',
  generator: { name: 'generator', inputShape: [100], layers: [{ name: 'G.dense1', type: 'dense', outputShape: [784], params: 79184 }] },
  discriminator: { name: 'discriminator', inputShape: [28, 28, 1], layers: [{ name: 'D.flatten1', type: 'flatten', outputShape: [784], params: 0 }] },
};

describe('Run files for the panels', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-runfiles-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const append = (file: string, text: string) => fs.appendFileSync(path.join(dir, file), text);

  it('returns only lines appended since the last read, keeping a line still being written for later', () => {
    const tail = new JsonlTail(path.join(dir, 'metrics.jsonl'));
    append('metrics.jsonl', `${JSON.stringify(step(1))}\n{"step":2,`);
    assert.deepEqual(tail.read().values.map((v) => (v as StepMetrics).step), [1]);
    append('metrics.jsonl', `"time":0}\n`);
    assert.deepEqual(tail.read().values, [{ step: 2, time: 0 }]);
    assert.deepEqual(tail.read().values, []);
  });

  it('starts over when the file shrank (a resumed run rewrites it)', () => {
    const tail = new JsonlTail(path.join(dir, 'metrics.jsonl'));
    append('metrics.jsonl', `${JSON.stringify(step(1))}\n${JSON.stringify(step(2))}\n`);
    tail.read();
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), `${JSON.stringify(step(1))}\n`);
    const again = tail.read();
    assert.equal(again.reset, true);
    assert.equal(again.values.length, 1);
  });

  it('tells step lines from score lines and skips torn or invalid ones', () => {
    append('metrics.jsonl', [JSON.stringify(step(1)), '{"step": 2, "dLo', JSON.stringify({ step: 2, time: 5, scores: { swd: 0.3 } }), '{"step":"x"}', ''].join('\n'));
    const update = new RunFiles(dir).read();
    assert.deepEqual(update.steps.map((s) => s.step), [1]);
    assert.deepEqual(update.scores.map((s) => s.scores), [{ swd: 0.3 }]);
  });

  it('reads graph.json once, and again only when it changes', () => {
    fs.writeFileSync(path.join(dir, 'graph.json'), JSON.stringify(graph));
    const files = new RunFiles(dir);
    assert.equal(files.read().graph?.preset, 'mnist-tiny');
    assert.equal(files.read().graph, undefined);
    fs.writeFileSync(path.join(dir, 'graph.json'), JSON.stringify({ ...graph, step: 400, preset: 'mnist-progressive' }));
    fs.utimesSync(path.join(dir, 'graph.json'), new Date(), new Date(Date.now() + 5_000));
    assert.equal(files.read().graph?.preset, 'mnist-progressive');
  });

  it('names a graph.json that is not a model graph', () => {
    fs.writeFileSync(path.join(dir, 'graph.json'), '{"step": 0}');
    const update = new RunFiles(dir).read();
    assert.equal(update.graph, undefined);
    assert.match(update.problems[0], /graph\.json is not a model graph: .*preset/);
  });

  it('reads probe snapshots and lists sample grids by step, in order', () => {
    append('probes.jsonl', `${JSON.stringify(snapshot(50))}\n${JSON.stringify(snapshot(100))}\n`);
    fs.mkdirSync(path.join(dir, 'samples'));
    for (const name of ['step-000100.png', 'step-000020.png', 'notes.txt']) fs.writeFileSync(path.join(dir, 'samples', name), 'png');
    const files = new RunFiles(dir);
    const update = files.read();
    assert.deepEqual(update.snapshots.map((s) => s.step), [50, 100]);
    assert.deepEqual(update.sampleSteps, [20, 100]);
    assert.equal(files.read().sampleSteps, undefined, 'unchanged samples are not sent again');
    assert.equal(files.sampleUri(20), `data:image/png;base64,${Buffer.from('png').toString('base64')}`);
  });
});
