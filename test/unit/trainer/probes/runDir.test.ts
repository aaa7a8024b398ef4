import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GRAPH_FILE, ModelGraph, PROBES_FILE, ProbeSnapshot } from '../../../../src/protocol/probes';
import { RUN_SCHEMA_VERSION } from '../../../../src/protocol/runDir';
import { RunWriter } from '../../../../src/trainer/runDir/writer';
import { tempDir } from '../helpers';

const record = (runsDir: string) => ({
  schema: RUN_SCHEMA_VERSION,
  createdAt: new Date().toISOString(),
  config: { preset: 'mnist-tiny', dataset: 'mnist', steps: 2, seed: 1, runsDir, sampleEvery: 1 },
  backend: 'wasm', device: 'CPU (wasm SIMD)', tfjsVersion: '4.22.0', batchSize: 32,
  model: { latentDim: 100, imageSize: 28, channels: 1 },
});

const graph = (step: number): ModelGraph => ({
  step, preset: 'mnist-tiny',
  generator: { name: 'generator', inputShape: [100], layers: [{ name: 'G.dense1', type: 'dense', outputShape: [784], params: 79184 }] },
  discriminator: { name: 'discriminator', inputShape: [28, 28, 1], layers: [] },
});

const snapshot = (step: number): ProbeSnapshot => ({ step, dReal: 0.6, dFake: 0.4, layers: [{ name: 'G.dense1', weightNorm: 1, gradNorm: 0.1 }], batchNorm: [] });

describe('trainer/runDir/writer: graph.json and probes.jsonl', () => {
  it('replaces graph.json whole, leaving no temp file', () => {
    const runsDir = tempDir('graph');
    const w = RunWriter.create(runsDir, 'r', record(runsDir));
    w.writeGraph(graph(0));
    w.writeGraph(graph(300));
    w.close();
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(w.dir, GRAPH_FILE), 'utf8')), graph(300));
    assert.deepEqual(fs.readdirSync(w.dir).filter((f) => f.includes('.tmp')), []);
  });

  it('creates probes.jsonl on the first snapshot only, a line each', () => {
    const runsDir = tempDir('probes');
    const w = RunWriter.create(runsDir, 'r', record(runsDir));
    assert.equal(fs.existsSync(path.join(w.dir, PROBES_FILE)), false);
    w.appendProbe(snapshot(50));
    w.appendProbe(snapshot(100));
    w.close();
    const lines = fs.readFileSync(path.join(w.dir, PROBES_FILE), 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l)), [snapshot(50), snapshot(100)]);
  });

  it('cuts probes.jsonl back to the checkpoint\'s step when a run resumes, dropping a half-written line', () => {
    const runsDir = tempDir('probes-resume');
    const w = RunWriter.create(runsDir, 'r', record(runsDir));
    for (const step of [50, 100, 150]) w.appendProbe(snapshot(step));
    w.close();
    fs.appendFileSync(path.join(w.dir, PROBES_FILE), '{"step":200,"dRe');
    RunWriter.resume(w.dir, 100).close();
    const lines = fs.readFileSync(path.join(w.dir, PROBES_FILE), 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l).step), [50, 100]);
  });

  it('opens a run to inspect without touching it, refusing every write', () => {
    const runsDir = tempDir('read-only');
    const w = RunWriter.create(runsDir, 'r', record(runsDir));
    w.close();
    const before = fs.readdirSync(w.dir).sort();
    const inspected = RunWriter.readOnly(w.dir);
    assert.throws(() => inspected.writeGraph(graph(0)), /open only to be inspected/);
    assert.throws(() => inspected.appendProbe(snapshot(1)), /open only to be inspected/);
    assert.throws(() => inspected.appendMetrics({ step: 1, time: 1, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 1 }), /open only to be inspected/);
    inspected.close();
    assert.deepEqual(fs.readdirSync(w.dir).sort(), before);
  });
});
