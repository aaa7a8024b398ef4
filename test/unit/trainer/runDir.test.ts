import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { METRICS_FILE, metricsRecordProblem, RUN_FILE, runRecordProblem } from '../../../src/protocol/runDir';
import { RunConfig } from '../../../src/protocol/trainer';
import { makeRunId, RunWriter } from '../../../src/trainer/runDir/writer';
import { gridSize } from '../../../src/trainer/sampleGrid';
import { TrainingSession } from '../../../src/trainer/session';
import { crc32, decodeGrayPng, MNIST_DIR, tempDir, useWasm } from './helpers';
import { createRun, runRecord } from './runFolders';

describe('trainer/runDir/writer', () => {
  it('makes sortable run ids from UTC time and preset, without colons', () => {
    assert.equal(makeRunId('mnist-dcgan', new Date('2026-11-28T22:50:01.123Z')), '2026-11-28T22-50-01-mnist-dcgan');
  });

  it('gives a second run with the same id its own folder', () => {
    const runsDir = tempDir('runs');
    const a = RunWriter.create(runsDir, 'same', runRecord(runsDir));
    const b = RunWriter.create(runsDir, 'same', runRecord(runsDir));
    assert.deepEqual([a.id, b.id], ['same', 'same-2']);
    assert.equal(JSON.parse(fs.readFileSync(path.join(b.dir, RUN_FILE), 'utf8')).id, 'same-2');
    a.close();
    b.close();
  });

  it('appends metrics, one JSON object per line, and refuses them once closed', () => {
    const w = createRun('runs');
    for (let step = 1; step <= 3; step++) w.appendMetrics({ step, time: step, dLoss: 1, gLoss: 2, dReal: 0.5, dFake: 0.4, imagesPerSec: 10 });
    w.close();
    assert.throws(() => w.appendMetrics({ step: 4, time: 4, dLoss: 1, gLoss: 2, dReal: 0.5, dFake: 0.4, imagesPerSec: 10 }), /closed/);
    const lines = fs.readFileSync(path.join(w.dir, METRICS_FILE), 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l).step), [1, 2, 3]);
  });

  it('leaves no temp files behind after writing samples', () => {
    const w = createRun('runs');
    const file = w.writeSample(120, Uint8Array.of(1, 2, 3));
    assert.equal(path.basename(file), 'step-000120.png');
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['step-000120.png']);
    w.close();
  });
});

describe('trainer/session: the run directory a real run writes', function () {
  this.timeout(60_000);
  let session: TrainingSession;
  const runsDir = tempDir('session');

  before(async () => {
    const backend = await useWasm();
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const config: RunConfig = { preset: 'mnist-tiny', dataset: 'mnist', steps: 2, seed: 3, runsDir, sampleEvery: 1 };
    session = TrainingSession.open(config, backend);
    await session.trainOneStep();
    await session.trainOneStep();
    await session.writeSamples();
    session.close();
  });

  it('writes run.json that passes runRecordProblem, with the id of its folder', () => {
    const run = JSON.parse(fs.readFileSync(path.join(session.writer.dir, RUN_FILE), 'utf8'));
    assert.equal(runRecordProblem(run, 'run'), undefined);
    assert.equal(run.id, path.basename(session.writer.dir));
    assert.deepEqual([run.batchSize, run.backend, run.config.seed], [32, 'wasm', 3]);
  });

  it('writes metrics.jsonl whose every line is a valid metrics record, in step order', () => {
    const lines = fs.readFileSync(path.join(session.writer.dir, METRICS_FILE), 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    const records = lines.map((l) => JSON.parse(l));
    for (const r of records) assert.equal(metricsRecordProblem(r, 'line'), undefined);
    assert.deepEqual(records.map((r) => r.step), [1, 2]);
  });

  it('writes an 8×8 sample grid PNG with 2px gaps: 242×242 grayscale, with visible variation', () => {
    const png = fs.readFileSync(path.join(session.writer.dir, 'samples', 'step-000002.png'));
    const image = decodeGrayPng(png, crc32);
    assert.equal(gridSize(28), 242);
    assert.deepEqual([image.width, image.height, image.bitDepth, image.colorType], [242, 242, 8, 0]);
    assert.equal(image.pixels[0], 0, 'the border is black');
    const tile = image.pixels.subarray(2 * 242, 30 * 242).filter((_, i) => i % 242 >= 2 && i % 242 < 30);
    assert.ok(Math.max(...tile) > Math.min(...tile), 'the first tile is not flat');
  });

  it('refuses unknown presets and datasets, and missing data, before creating anything', async () => {
    const backend = await useWasm();
    const dir = tempDir('bad');
    assert.throws(() => TrainingSession.open({ preset: 'nope', dataset: 'mnist', steps: 1, seed: 0, runsDir: dir, sampleEvery: 0 }, backend), /Unknown preset "nope"; available: mnist-dcgan, mnist-tiny, talk-dcgan-64/);
    const open = (dataset: string) => () => TrainingSession.open({ preset: 'mnist-tiny', dataset, steps: 1, seed: 0, runsDir: dir, sampleEvery: 0 }, backend);
    assert.throws(open('cifar10'), /Dataset "cifar10": "cifar10" needs a path after the colon/);
    assert.throws(open('imagenet:/x'), /unknown kind "imagenet"/);
    assert.throws(open(`cifar10:${path.join(dir, 'missing')}`), /CIFAR-10 folder .*missing does not exist/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
