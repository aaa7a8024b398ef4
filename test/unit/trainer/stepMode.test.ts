// Step mode: one update of D, G or both, counted as one step, and the views either side of it changing nothing.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { SAMPLES_DIR, sampleFileName } from '../../../src/protocol/runDir';
import { RunConfig, StepUpdate } from '../../../src/protocol/trainer';
import { metricsTail } from '../../../src/runFolder/reader';
import { TrainingSession } from '../../../src/trainer/session';
import { stepView } from '../../../src/trainer/stepMode';
import { MNIST_DIR, tempDir, useWasm } from './helpers';
import { TrainerProcess as Trainer } from './trainerProcess';

const config = (extra: Partial<RunConfig> = {}): RunConfig => ({
  preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 3, runsDir: tempDir('stepmode'), sampleEvery: 0, ...extra,
});

const values = (vars: tf.Variable[]) => vars.map((v) => Float32Array.from(v.dataSync()));
/** How many of `vars` differ from `before`. */
const changed = (before: Float32Array[], vars: tf.Variable[]) => vars.filter((v, i) => v.dataSync().some((x, j) => x !== before[i][j])).length;

describe('trainer/stepMode: one update at a time', function () {
  this.timeout(120_000);
  let s: TrainingSession;

  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    s = TrainingSession.open(config(), await useWasm());
  });
  after(() => s.close());

  /** One step-mode step: how many of D's and G's weights it changed, and the step count before and after. */
  async function stepOnce(update: StepUpdate) {
    const d = s.gan.discriminator.trainableVariables;
    const g = s.gan.generator.trainableVariables;
    const [d0, g0, step0] = [values(d), values(g), s.step];
    const metrics = await s.trainOneStep(update);
    return { dChanged: changed(d0, d), gChanged: changed(g0, g), d: d.length, g: g.length, step0, metrics };
  }

  it('a discriminator step updates every weight of D and none of G', async () => {
    const r = await stepOnce('discriminator');
    assert.deepEqual([r.dChanged, r.gChanged], [r.d, 0]);
  });

  it('a generator step updates every weight of G and none of D', async () => {
    const r = await stepOnce('generator');
    assert.deepEqual([r.dChanged, r.gChanged], [0, r.g]);
  });

  it('a step of both updates every weight of D and of G', async () => {
    const r = await stepOnce('both');
    assert.deepEqual([r.dChanged, r.gChanged], [r.d, r.g]);
  });

  it('counts each step-mode step as exactly one step and marks its metrics line with what it updated', async () => {
    const from = s.step;
    for (const update of ['discriminator', 'generator', 'both'] as const) {
      const r = await stepOnce(update);
      assert.equal(r.metrics.step, r.step0 + 1);
      assert.equal(s.step, r.step0 + 1);
    }
    const lines = metricsTail(s.run.dir).readSync().records.filter((l) => l.kind === 'step' && l.record.step > from);
    assert.deepEqual(lines.map((l) => [l.record.step, 'update' in l.record ? l.record.update : undefined]),
      [[from + 1, 'discriminator'], [from + 2, 'generator'], [from + 3, 'both']]);
    for (const { record } of lines) {
      if (!('dLoss' in record)) continue;
      for (const v of [record.dLoss, record.gLoss, record.dReal, record.dFake]) assert.ok(Number.isFinite(v), `finite: ${v}`);
    }
  });

  it('leaves a normal step unmarked', async () => {
    assert.equal((await s.trainOneStep()).update, undefined);
  });

  it('shows the grid and D\'s verdicts without changing the run: the same losses follow with or without a view', async () => {
    const backend = await useWasm();
    const run = async (view: boolean) => {
      const r = TrainingSession.open(config({ seed: 9 }), backend);
      const losses: number[][] = [];
      try {
        for (const update of ['discriminator', 'generator', 'both'] as const) {
          if (view) {
            const v = await stepView(r, r.step);
            assert.ok(v.dReal > 0 && v.dReal < 1 && v.dFake > 0 && v.dFake < 1, `verdicts ${v.dReal}, ${v.dFake}`);
            assert.deepEqual([...v.grid.subarray(1, 4)], [...Buffer.from('PNG')]);
          }
          const m = await r.trainOneStep(update);
          losses.push([m.dLoss, m.gLoss, m.dReal, m.dFake]);
        }
        return losses;
      } finally {
        r.close();
      }
    };
    assert.deepEqual(await run(true), await run(false));
  });

  it('leaves no tensor behind: a step-mode step of each kind and its views', async () => {
    await s.trainOneStep('both');
    const before = tf.memory().numTensors;
    for (const update of ['discriminator', 'generator', 'both'] as const) {
      await stepView(s, s.step);
      await s.trainOneStep(update);
    }
    assert.equal(tf.memory().numTensors, before);
  });

  it('judges the same real images before and after a step, so only D\'s update moves D(x)', async () => {
    const before = await stepView(s, s.step);
    const again = await stepView(s, before.step);
    await s.trainOneStep('generator');
    const after = await stepView(s, before.step);
    assert.equal(again.dReal, before.dReal);
    assert.equal(after.dReal, before.dReal, 'G\'s update leaves D(x) on the same images');
    assert.notEqual(after.dFake, before.dFake, 'G\'s update moves D(G(z))');
  });
});

describe('trainer/stepMode: what it refuses', function () {
  this.timeout(120_000);

  it('refuses a semi-supervised run, whose D also learns from labels at every step, saying why', async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const s = TrainingSession.open(config({ preset: 'mnist-ssgan-100', scoreEvery: 0 }), await useWasm());
    try {
      assert.match(s.stepModeProblem ?? '', /learns from labels .* resume it instead/);
      await assert.rejects(s.trainOneStep('generator'), /learns from labels/);
      assert.equal(s.step, 0);
    } finally {
      s.close();
    }
  });
});

describe('trainer/main: step mode over IPC', function () {
  this.timeout(120_000);
  let trainer: Trainer;
  afterEach(() => trainer?.kill());

  it('refuses a step while the run trains, and steps exactly once per request while paused, staying paused', async () => {
    trainer = new Trainer();
    await trainer.next('ready');
    trainer.send({ type: 'start', config: config({ sampleEvery: 1000 }) });
    const started = await trainer.next('started');
    await trainer.wrote('step');
    trainer.send({ type: 'step', id: 1, update: 'discriminator' });
    assert.match((await trainer.next('stepError')).message, /pause it first/);

    trainer.send({ type: 'pause' });
    const paused = await trainer.next('paused');
    const stepsBefore = trainer.written('step').length;
    const ids = { discriminator: 2, generator: 3, both: 4 } as const;
    for (const [update, id] of Object.entries(ids)) {
      trainer.send({ type: 'step', id, update });
      const stepped = await trainer.when((e): e is Extract<typeof e, { type: 'stepped' }> => e.type === 'stepped' && e.id === id);
      assert.equal(stepped.update, update);
      assert.equal(stepped.after.step, stepped.before.step + 1);
      for (const view of [stepped.before, stepped.after]) assert.deepEqual([...view.grid.subarray(1, 4)], [...Buffer.from('PNG')]);
      assert.ok(fs.existsSync(path.join(started.runDir, SAMPLES_DIR, sampleFileName(stepped.after.step))), 'the after-grid is in samples/');
    }
    assert.deepEqual(trainer.written('step').slice(stepsBefore), [paused.step + 1, paused.step + 2, paused.step + 3]);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(trainer.written('step').length, stepsBefore + 3, 'no steps after the step-mode steps: still paused');
    trainer.send({ type: 'stop' });
    assert.equal(await trainer.exited, 0);
  });
});
