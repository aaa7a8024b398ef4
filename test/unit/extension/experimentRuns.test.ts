// The "Break it, then fix it" experiment command: it copies the shipped GAN file, keeps the prediction, starts the run,
// and sets the finding's context key, telling the learner with their prediction and the remedy.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXPERIMENT_KEY, EXPERIMENTS, findingKey } from '../../../src/extension/experiments/catalogue';
import {
  APPLY_REMEDY, EXPERIMENTS_FOLDER, ExperimentDeps, experimentCopyPath, ExperimentRuns, PREDICTIONS_KEY, remedyFor,
} from '../../../src/extension/experiments/experimentRuns';
import { Finding, FindingKind } from '../../../src/protocol/findings';
import { loadGanFile } from '../../../src/trainer/presets';

const SHIPPED = path.resolve(__dirname, '../../../media/experiments');
const experiment = EXPERIMENTS[0];

function finding(kind: FindingKind, step = 125): Finding {
  return {
    step, lastStep: step, kind, severity: 'warning', summary: `A ${kind} finding.`, evidence: {},
    remedies: [{ title: 'Label smoothing', change: { labelSmoothing: 0.1 } }, { title: 'Lower D\'s rate', change: { optimizer: { discriminator: { learningRate: 1e-4 } } } }],
  };
}

/** An ExperimentRuns over a temporary workspace, with everything it asked for recorded. */
function harness(options: { answer?: string; button?: string } = {}) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-experiments-'));
  const stored = new Map<string, unknown>();
  const calls = { opened: [] as string[], started: [] as string[], context: [] as [string, boolean | string][], told: [] as string[][], failed: [] as string[], remedies: [] as number[] };
  let live: string | undefined;
  const deps: ExperimentDeps = {
    shippedDir: SHIPPED,
    workspaceDir: () => workspace,
    store: { get: <T>(key: string) => stored.get(key) as T | undefined, update: async (key, value) => void stored.set(key, value) },
    pickExperiment: async () => experiment,
    pickPrediction: async (e) => ('answer' in options ? options.answer : e.outcomes[1]),
    openFile: async (file) => calls.opened.push(file),
    startRun: async (file) => {
      calls.started.push(file);
      live = file;
    },
    liveGanFile: () => live,
    setContext: (key, value) => calls.context.push([key, value]),
    tell: async (message, ...actions) => {
      calls.told.push([message, ...actions]);
      return options.button;
    },
    fail: (message) => calls.failed.push(message),
    applyRemedy: (_runDir, _finding, index) => calls.remedies.push(index),
    openDiagnosis: () => undefined,
  };
  return { runs: new ExperimentRuns(deps), workspace, stored, calls, setLive: (file: string | undefined) => (live = file) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Experiments', () => {
  it('ship a valid GAN file for every experiment, and no other', () => {
    assert.deepEqual(fs.readdirSync(SHIPPED).sort(), EXPERIMENTS.map((e) => `${e.id}.gan.json`).sort());
    for (const e of EXPERIMENTS) assert.doesNotThrow(() => loadGanFile(path.join(SHIPPED, `${e.id}.gan.json`)), e.id);
  });

  it('fix "no batch norm in G" with mnist-tiny\'s own generator', () => {
    const tiny = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../presets/mnist-tiny.gan.json'), 'utf8'));
    assert.deepEqual(EXPERIMENTS.find((e) => e.id === 'no-batchnorm-in-g')?.fix?.change, { generator: tiny.generator });
  });

  it('offer three outcomes to predict, all different', () => {
    for (const e of EXPERIMENTS) assert.equal(new Set(e.outcomes).size, 3, e.id);
  });

  describe('the command', () => {
    it('copies the shipped GAN file into the workspace, opens it and starts a run of the copy', async () => {
      const { runs, workspace, calls } = harness();
      await runs.start(experiment.id);
      const copy = path.join(workspace, EXPERIMENTS_FOLDER, `${experiment.id}.gan.json`);
      assert.equal(fs.readFileSync(copy, 'utf8'), fs.readFileSync(path.join(SHIPPED, `${experiment.id}.gan.json`), 'utf8'));
      assert.deepEqual(calls.opened, [copy]);
      assert.deepEqual(calls.started, [copy]);
    });

    it('records the learner\'s prediction by experiment', async () => {
      const { runs, stored } = harness();
      await runs.start(experiment.id);
      assert.deepEqual(stored.get(PREDICTIONS_KEY), { [experiment.id]: experiment.outcomes[1] });
    });

    it('starts nothing when the prediction is dismissed', async () => {
      const { runs, calls, stored } = harness({ answer: undefined });
      await runs.start(experiment.id);
      assert.deepEqual(calls.started, []);
      assert.equal(stored.get(PREDICTIONS_KEY), undefined);
    });

    it('keeps a copy the learner changed and writes the experiment beside it', () => {
      const files: Record<string, string> = { '/w/x.gan.json': 'changed', '/w/x-2.gan.json': 'shipped' };
      assert.equal(experimentCopyPath('/w', 'x', 'shipped', (f) => files[f]), '/w/x-2.gan.json');
      assert.equal(experimentCopyPath('/w', 'x', 'other', (f) => files[f]), '/w/x-3.gan.json');
    });

    it('names an experiment it does not have, and starts nothing', async () => {
      const { runs, calls } = harness();
      await runs.start('no-such-experiment');
      assert.match(calls.failed[0], /no GANscope experiment "no-such-experiment"/);
      assert.deepEqual(calls.started, []);
    });
  });

  describe('its findings', () => {
    it('set the key of a finding\'s kind when it arrives for the live run, and the experiment\'s id', async () => {
      const { runs, calls } = harness();
      await runs.start(experiment.id);
      runs.observe({ runDir: '/runs/a', findings: [] });
      assert.deepEqual(calls.context, [[EXPERIMENT_KEY, experiment.id]]);
      runs.observe({ runDir: '/runs/a', findings: [finding(experiment.kind)] });
      assert.deepEqual(calls.context.slice(1), [[findingKey(experiment.kind), true]]);
    });

    it('set only the key of the kind that arrived', async () => {
      const { runs, calls } = harness();
      await runs.start(experiment.id);
      runs.observe({ runDir: '/runs/a', findings: [finding('checkerboard')] });
      assert.ok(calls.context.some(([key]) => key === findingKey('checkerboard')));
      assert.ok(!calls.context.some(([key]) => key === findingKey(experiment.kind)));
      assert.deepEqual(calls.told, [], 'no notification for another kind');
    });

    it('unset the keys and the experiment when another run is followed', async () => {
      const { runs, calls, setLive } = harness();
      await runs.start(experiment.id);
      runs.observe({ runDir: '/runs/a', findings: [finding(experiment.kind)] });
      setLive('/elsewhere/mine.gan.json');
      calls.context.length = 0;
      runs.observe({ runDir: '/runs/b', findings: [] });
      assert.deepEqual(calls.context, [[findingKey(experiment.kind), false], [EXPERIMENT_KEY, '']]);
    });

    it('tell the learner once what the doctor found, their prediction and the remedy for the broken setting', async () => {
      const { runs, calls } = harness();
      await runs.start(experiment.id);
      runs.observe({ runDir: '/runs/a', findings: [finding(experiment.kind)] });
      runs.observe({ runDir: '/runs/a', findings: [finding(experiment.kind), { ...finding(experiment.kind), lastStep: 200 }] });
      await settle();
      assert.equal(calls.told.length, 1);
      const [message, ...actions] = calls.told[0];
      assert.match(message, /found "The discriminator wins" at step 125/);
      assert.ok(message.includes(`You predicted: "${experiment.outcomes[1]}"`), message);
      assert.ok(message.includes('Remedy: Lower D\'s rate'), message);
      assert.equal(actions[0], APPLY_REMEDY);
    });

    it('apply the offered remedy when the learner presses Apply and Continue', async () => {
      const { runs, calls } = harness({ button: APPLY_REMEDY });
      await runs.start(experiment.id);
      runs.observe({ runDir: '/runs/a', findings: [finding(experiment.kind)] });
      await settle();
      assert.deepEqual(calls.remedies, [1]);
    });

    it('do not count as the experiment\'s in a run of any other GAN file', async () => {
      const { runs, calls, setLive } = harness();
      await runs.start(experiment.id);
      setLive('/elsewhere/mine.gan.json');
      runs.observe({ runDir: '/runs/a', findings: [finding(experiment.kind)] });
      await settle();
      assert.deepEqual(calls.context[0], [EXPERIMENT_KEY, '']);
      assert.deepEqual(calls.told, []);
    });
  });

  it('offer the finding\'s remedy that changes the broken field, else the experiment\'s own fix, else the first', () => {
    const fix = { title: 'Fix it', change: { latentDim: 100 } };
    assert.equal(remedyFor({ ...experiment, field: 'optimizer' }, finding('discriminator-wins')).index, 1);
    const own = remedyFor({ ...experiment, field: 'latentDim', fix }, finding('mode-collapse'));
    assert.deepEqual(own.finding.remedies[own.index], fix);
    assert.equal(remedyFor({ ...experiment, field: 'latentDim', fix: undefined }, finding('mode-collapse')).index, 0);
  });
});
