import * as assert from 'node:assert/strict';
import { readRunRecord } from '../../../src/runFolder/reader';
import { TrainingSession } from '../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from './helpers';
import { readMetrics, tinyConfig, trainLosses } from './runFolders';

describe('trainer: branches', function () {
  this.timeout(120_000);
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    await useWasm();
  });

  it('starts a branch at its parent\'s newest checkpoint, in a new folder whose run.json names the parent', async () => {
    const backend = await useWasm();
    const runsDir = tempDir('branch');
    const parent = TrainingSession.open(tinyConfig(runsDir), backend);
    await trainLosses(parent, 2);
    await parent.writeCheckpoint();
    const expected = await trainLosses(parent, 2);
    parent.close();

    const branch = TrainingSession.open(tinyConfig(runsDir, { branchFrom: parent.writer.dir }), backend);
    assert.equal(branch.step, 2);
    assert.notEqual(branch.writer.dir, parent.writer.dir);
    assert.deepEqual(await trainLosses(branch, 2), expected, 'the same weights, optimiser state and batches as the parent had');
    branch.close();
    assert.deepEqual((await readRunRecord(branch.writer.dir)).parent, { run: parent.run.id, step: 2 });
    assert.deepEqual(readMetrics(branch.writer.dir).steps.map((m) => m.step), [3, 4]);
  });

  it('refuses to branch from a run without a checkpoint, saying how to get one', async () => {
    const backend = await useWasm();
    const runsDir = tempDir('branch-none');
    const parent = TrainingSession.open(tinyConfig(runsDir), backend);
    parent.close();
    assert.throws(() => TrainingSession.open(tinyConfig(runsDir, { branchFrom: parent.writer.dir }), backend), /has no readable checkpoint to branch from/);
  });
});
