import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GRAPH_FILE, ModelGraph, PROBES_FILE, ProbeSnapshot } from '../../../../src/protocol/probes';
import { RunWriter } from '../../../../src/trainer/runDir/writer';
import { TrainingSession } from '../../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from '../helpers';
import { createRun } from '../runFolders';

const graph = (step: number): ModelGraph => ({
  step, preset: 'mnist-tiny',
  generator: { name: 'generator', inputShape: [100], layers: [{ name: 'G.dense1', type: 'dense', outputShape: [784], params: 79184 }] },
  discriminator: { name: 'discriminator', inputShape: [28, 28, 1], layers: [] },
});

const snapshot = (step: number): ProbeSnapshot => ({ step, dReal: 0.6, dFake: 0.4, layers: [{ name: 'G.dense1', weightNorm: 1, gradNorm: 0.1 }], batchNorm: [] });

describe('trainer/runDir/writer: graph.json and probes.jsonl', () => {
  it('replaces graph.json whole, leaving no temp file', () => {
    const w = createRun('graph');
    w.writeGraph(graph(0));
    w.writeGraph(graph(300));
    w.close();
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(w.dir, GRAPH_FILE), 'utf8')), graph(300));
    assert.deepEqual(fs.readdirSync(w.dir).filter((f) => f.includes('.tmp')), []);
  });

  it('creates probes.jsonl on the first snapshot only, a line each', () => {
    const w = createRun('probes');
    assert.equal(fs.existsSync(path.join(w.dir, PROBES_FILE)), false);
    w.appendProbe(snapshot(50));
    w.appendProbe(snapshot(100));
    w.close();
    const lines = fs.readFileSync(path.join(w.dir, PROBES_FILE), 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l)), [snapshot(50), snapshot(100)]);
  });

  it('moves probes.jsonl lines past the checkpoint\'s step, and a half-written line, aside when a run resumes', () => {
    const w = createRun('probes-resume');
    for (const step of [50, 100, 150]) w.appendProbe(snapshot(step));
    w.close();
    fs.appendFileSync(path.join(w.dir, PROBES_FILE), '{"step":200,"dRe');
    RunWriter.resume(w.dir, 100).close();
    const lines = fs.readFileSync(path.join(w.dir, PROBES_FILE), 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l).step), [50, 100]);
    const aside = fs.readFileSync(path.join(w.dir, 'probes.after-step-100.jsonl'), 'utf8').split('\n');
    assert.deepEqual([JSON.parse(aside[0]).step, aside[1]], [150, '{"step":200,"dRe']);
  });

  it('keeps a damaged line between kept ones when a run resumes, rather than cutting the lines after it', () => {
    const w = createRun('probes-damaged');
    w.appendProbe(snapshot(50));
    w.close();
    fs.appendFileSync(path.join(w.dir, PROBES_FILE), `{"step":75,"dRe\n${JSON.stringify(snapshot(100))}\n${JSON.stringify(snapshot(150))}\n`);
    RunWriter.resume(w.dir, 100).close();
    const lines = fs.readFileSync(path.join(w.dir, PROBES_FILE), 'utf8').trimEnd().split('\n');
    assert.deepEqual([lines.length, JSON.parse(lines[2]).step], [3, 100]);
  });

  it('inspects a run without a writer: writing throws, and the folder is left as it was', async function () {
    this.timeout(60_000);
    const backend = await useWasm();
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const trained = TrainingSession.open({ preset: 'mnist-tiny', dataset: 'mnist', steps: 1, seed: 1, runsDir: tempDir('inspect'), sampleEvery: 0 }, backend);
    await trained.trainOneStep();
    await trained.writeCheckpoint();
    trained.close();
    const files = () => fs.readdirSync(trained.run.dir, { recursive: true }).sort().map((f) => [f, fs.statSync(path.join(trained.run.dir, f as string)).mtimeMs]);
    const before = files();
    const inspected = TrainingSession.inspect(trained.run.dir, backend);
    assert.deepEqual([inspected.run, inspected.step], [trained.run, 1]);
    assert.throws(() => inspected.writer, /open only to be inspected/);
    inspected.close();
    assert.deepEqual(files(), before);
  });
});
