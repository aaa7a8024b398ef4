import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINTS_DIR, METRICS_FILE } from '../../../src/protocol/runDir';
import { listCheckpoints, loadLatestCheckpoint, readCheckpoint } from '../../../src/trainer/runDir/checkpoint';
import { TrainingSession } from '../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from './helpers';
import { readMetrics, tinyConfig, trainLosses } from './runFolders';

describe('trainer: reproducibility, checkpoints and resumption', function () {
  this.timeout(120_000);
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    await useWasm();
  });

  it('gives the same losses for the same seed, and other losses for another seed', async () => {
    const backend = await useWasm();
    const run = async (seed: number) => {
      const s = TrainingSession.open(tinyConfig(tempDir('seed'), { seed }), backend);
      try {
        return await trainLosses(s, 3);
      } finally {
        s.close();
      }
    };
    const first = await run(3);
    assert.deepEqual(await run(3), first);
    assert.notDeepEqual(await run(4), first);
  });

  it('continues a resumed run exactly as if it had never stopped: weights, BN statistics, Adam, RNG and batches', async () => {
    const backend = await useWasm();
    const straight = TrainingSession.open(tinyConfig(tempDir('straight')), backend);
    const expected = await trainLosses(straight, 6);
    straight.close();

    const first = TrainingSession.open(tinyConfig(tempDir('interrupted')), backend);
    const before = await trainLosses(first, 3);
    const dir = await first.writeCheckpoint();
    first.close();
    assert.equal(path.basename(dir), 'step-000003');
    const resumed = TrainingSession.open(tinyConfig('/unused', { resume: first.writer.dir, seed: 999, preset: 'ignored' }), backend);
    assert.equal(resumed.step, 3);
    assert.equal(resumed.config.seed, 3, 'the run\'s own seed');
    const after = await trainLosses(resumed, 3);
    resumed.close();
    assert.deepEqual([...before, ...after], expected);
    const metrics = readMetrics(first.writer.dir);
    assert.deepEqual(metrics.steps.map((r) => r.step), [1, 2, 3, 4, 5, 6]);
  });

  it('resumes from the checkpoint, moving metrics lines past it and a line cut mid-write aside', async () => {
    const backend = await useWasm();
    const s = TrainingSession.open(tinyConfig(tempDir('cut')), backend);
    await trainLosses(s, 2);
    await s.writeCheckpoint();
    await trainLosses(s, 2);
    s.close();
    const file = path.join(s.writer.dir, METRICS_FILE);
    fs.appendFileSync(file, '{"step":5,"time":1,"dLo');
    assert.equal(readMetrics(s.writer.dir).torn, true);
    const resumed = TrainingSession.open(tinyConfig('/unused', { resume: s.writer.dir }), backend);
    assert.match(resumed.notes.join('\n'), /from its checkpoint at step 2/);
    await trainLosses(resumed, 1);
    resumed.close();
    const parsed = readMetrics(s.writer.dir);
    assert.deepEqual([parsed.steps.map((r) => r.step), parsed.invalid, parsed.torn], [[1, 2, 3], 0, false]);
    const aside = fs.readFileSync(path.join(s.writer.dir, 'metrics.after-step-2.jsonl'), 'utf8').split('\n');
    assert.deepEqual([JSON.parse(aside[0]).step, JSON.parse(aside[1]).step, aside[2]], [3, 4, '{"step":5,"time":1,"dLo']);
  });

  it('keeps the two newest checkpoints and reads back every tensor of them', async () => {
    const backend = await useWasm();
    const s = TrainingSession.open(tinyConfig(tempDir('keep')), backend);
    for (let i = 0; i < 3; i++) {
      await trainLosses(s, 1);
      await s.writeCheckpoint();
    }
    const gKernel = Array.from(await s.gan.generator.layers[0].trainable[0].data());
    s.close();
    const dirs = listCheckpoints(path.join(s.writer.dir, CHECKPOINTS_DIR)).map((d) => path.basename(d));
    assert.deepEqual(dirs, ['step-000002', 'step-000003']);
    const latest = loadLatestCheckpoint(s.writer.dir);
    assert.equal(latest.checkpoint!.step, 3);
    const names = latest.checkpoint!.arrays.map((a) => a.name);
    for (const name of ['G.dense1.kernel', 'G.batchNorm1.runningMean', 'D.batchNorm1.runningVar', 'adam.g.m.G.dense1.kernel', 'adam.d.v.D.dense1.bias', 'sampler.order']) {
      assert.ok(names.includes(name), `has ${name}`);
    }
    assert.deepEqual(Array.from(latest.checkpoint!.arrays[0].data), gKernel);
  });

  it('names the file and byte where a damaged checkpoint ends, and falls back to the one before', async () => {
    const backend = await useWasm();
    const s = TrainingSession.open(tinyConfig(tempDir('damaged')), backend);
    await trainLosses(s, 1);
    await s.writeCheckpoint();
    await trainLosses(s, 1);
    const newest = await s.writeCheckpoint();
    s.close();
    const weights = path.join(newest, 'weights.bin');
    fs.truncateSync(weights, 1000);
    assert.throws(() => readCheckpoint(newest), new RegExp(`${weights}: 1000 bytes, but .*checkpoint\\.json lists \\d+ \\(truncated at byte 1000\\)`));
    const latest = loadLatestCheckpoint(s.writer.dir);
    assert.equal(latest.checkpoint!.step, 1);
    assert.equal(latest.skipped.length, 1);
  });
});
