import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { runLoop } from '../../../src/trainer/loop';
import { Prober } from '../../../src/trainer/probes/prober';
import { TrainingSession } from '../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from './helpers';

describe('trainer: memory over a long run', function () {
  this.timeout(300_000);

  it('keeps the live tensor count flat over 1,000 steps of mnist-tiny, grids, checkpoints and probe snapshots included', async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const backend = await useWasm();
    const session = TrainingSession.open({
      preset: 'mnist-tiny', dataset: 'mnist', steps: 1000, seed: 1, runsDir: tempDir('memory'), sampleEvery: 100, checkpointEvery: 250,
    }, backend);
    const prober = new Prober(session);
    const counts = new Map<number, number>();
    const t0 = performance.now();
    await runLoop(session, {
      onStep: (m) => {
        if (m.step % 100 === 0) counts.set(m.step, tf.memory().numTensors);
      },
      onSamples: () => undefined,
      stopRequested: () => false,
      whilePaused: async () => undefined,
    }, prober);
    const msPerStep = (performance.now() - t0) / 1000;
    prober.dispose();
    session.close();
    console.log(`      ${msPerStep.toFixed(1)} ms/step; live tensors at steps 100…1000: ${[...counts.values()].join(' ')}`);
    assert.equal(new Set(counts.values()).size, 1, `tensor count changed: ${JSON.stringify([...counts])}`);
  });
});
