import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { checkProbeResult, GRAPH_FILE, ModelGraph, ProbeQuery, ProbeResult, probeSnapshotProblem, VERDICT_BINS } from '../../../../src/protocol/probes';
import { RunConfig } from '../../../../src/protocol/trainer';
import { runLoop } from '../../../../src/trainer/loop';
import { buildGan } from '../../../../src/trainer/models/dcgan';
import { getPreset } from '../../../../src/trainer/presets';
import { describeGan } from '../../../../src/trainer/probes/graph';
import { Prober } from '../../../../src/trainer/probes/prober';
import { binned, MAX_CHANNELS } from '../../../../src/trainer/probes/queries';
import { seededRandom } from '../../../../src/trainer/random';
import { TrainingSession } from '../../../../src/trainer/session';
import { useLiveProber } from './liveProber';
import { MNIST_DIR, tempDir, useWasm } from '../helpers';

const config = (extra: Partial<RunConfig> = {}): RunConfig => ({
  preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 5, runsDir: tempDir('probes'), sampleEvery: 0, ...extra,
});

async function ask<K extends ProbeResult['kind']>(prober: Prober, query: ProbeQuery, kind: K): Promise<Extract<ProbeResult, { kind: K }>> {
  const result = await prober.answer(query);
  const checked = checkProbeResult(result);
  assert.ok(checked.ok, checked.ok ? '' : checked.error);
  assert.equal(result.kind, kind);
  return result as Extract<ProbeResult, { kind: K }>;
}

describe('trainer/probes: the model graph', () => {
  before(useWasm);

  it('describes mnist-dcgan with one node per layer, its output shape and trainable parameter count', () => {
    const preset = getPreset('mnist-dcgan');
    const gan = buildGan(preset, { size: 28, channels: 1 }, seededRandom(1));
    const graph = describeGan({ step: 7, preset, gan });
    const rows = (layers: typeof graph.generator.layers) => layers.map((l) => [l.name, l.type, l.outputShape.join('×'), l.params]);
    assert.deepEqual([graph.step, graph.preset, graph.generator.inputShape, graph.discriminator.inputShape], [7, 'mnist-dcgan', [100], [28, 28, 1]]);
    assert.deepEqual(rows(graph.generator.layers), [
      ['G.dense1', 'dense', '6272', 100 * 6272 + 6272],
      ['G.reshape1', 'reshape', '7×7×128', 0],
      ['G.batchNorm1', 'batchNorm', '7×7×128', 2 * 128],
      ['G.relu1', 'relu', '7×7×128', 0],
      ['G.conv2dTranspose1', 'conv2dTranspose', '14×14×64', 4 * 4 * 128 * 64],
      ['G.batchNorm2', 'batchNorm', '14×14×64', 2 * 64],
      ['G.relu2', 'relu', '14×14×64', 0],
      ['G.conv2dTranspose2', 'conv2dTranspose', '28×28×1', 4 * 4 * 64 * 1],
      ['G.tanh1', 'tanh', '28×28×1', 0],
    ]);
    assert.deepEqual(rows(graph.discriminator.layers), [
      ['D.conv2d1', 'conv2d', '14×14×32', 4 * 4 * 1 * 32],
      ['D.leakyRelu1', 'leakyRelu', '14×14×32', 0],
      ['D.conv2d2', 'conv2d', '7×7×64', 4 * 4 * 32 * 64],
      ['D.batchNorm1', 'batchNorm', '7×7×64', 2 * 64],
      ['D.leakyRelu2', 'leakyRelu', '7×7×64', 0],
      ['D.flatten1', 'flatten', '3136', 0],
      ['D.dense1', 'dense', '1', 3136 + 1],
    ]);
    const detail = (name: string) => [...graph.generator.layers, ...graph.discriminator.layers].find((l) => l.name === name)?.detail;
    assert.equal(detail('D.conv2d1'), '4×4 stride 2, 32 filters');
    assert.equal(detail('G.conv2dTranspose1'), '4×4 stride 2, 64 filters');
    assert.equal(detail('D.leakyRelu1'), 'α = 0.2');
    gan.generator.dispose();
    gan.discriminator.dispose();
  });
});

describe('trainer/probes: the graph of a growing model', function () {
  this.timeout(120_000);

  it('is rewritten to graph.json and sent again each time the model changes shape, with its resolution and α', async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const s = TrainingSession.open(config({ preset: 'mnist-progressive', steps: 4, growSteps: 1, scoreEvery: 0, probeEvery: 0 }), await useWasm());
    const prober = new Prober(s);
    const graphs: ModelGraph[] = [];
    try {
      await runLoop(s, {
        onStep: () => undefined, onSamples: () => undefined, stopRequested: () => false, whilePaused: async () => undefined,
        onGraph: (g) => graphs.push(g),
      }, prober);
    } finally {
      prober.dispose();
      s.close();
    }
    // One step a phase: 7×7 stable, 14×14 fading in, 14×14 stable, 28×28 fading in.
    assert.deepEqual(graphs.map((g) => [g.step, g.growth?.resolution, g.growth?.alpha, g.discriminator.inputShape[0]]), [
      [0, 7, 1, 7], [2, 14, 0, 14], [3, 14, 1, 14], [4, 28, 0, 28],
    ]);
    assert.ok(graphs[1].generator.layers.some((l) => l.type === 'fadeIn'));
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(s.writer.dir, GRAPH_FILE), 'utf8')), graphs[graphs.length - 1]);
  });
});

describe('trainer/probes: snapshots and queries on a live session', function () {
  this.timeout(120_000);
  const live = useLiveProber(() => config());

  it('reports one batch-norm entry per BN layer, with as many values per statistic as the layer has channels', async () => {
    const snapshot = await live.prober.snapshot();
    assert.equal(probeSnapshotProblem(snapshot, 'snapshot'), undefined);
    const bns = [...live.session.gan.generator.layers, ...live.session.gan.discriminator.layers].filter((l) => l.type === 'batchNorm');
    assert.deepEqual(snapshot.batchNorm.map((b) => b.name), bns.map((l) => l.name));
    for (const [i, b] of snapshot.batchNorm.entries()) {
      const c = bns[i].weights.gamma.size;
      for (const values of [b.batchMean, b.batchVar, b.runningMean, b.runningVar, b.gamma, b.beta]) assert.equal(values.length, c, b.name);
      assert.ok(b.batchVar.every((v) => v >= 0), `${b.name}: variances are not negative`);
      assert.deepEqual(b.gamma, Array.from(await bns[i].weights.gamma.data()));
    }
  });

  it('gives every trainable layer finite, positive weight and gradient norms, and D(x), D(G(z)) in (0, 1)', async () => {
    const snapshot = await live.prober.snapshot();
    const trainable = [...live.session.gan.generator.layers, ...live.session.gan.discriminator.layers].filter((l) => l.trainable.length);
    assert.deepEqual(snapshot.layers.map((l) => l.name), trainable.map((l) => l.name));
    for (const l of snapshot.layers) {
      assert.ok(Number.isFinite(l.weightNorm) && l.weightNorm > 0, `${l.name} weight norm ${l.weightNorm}`);
      assert.ok(Number.isFinite(l.gradNorm) && l.gradNorm > 0, `${l.name} gradient norm ${l.gradNorm}`);
    }
    assert.ok(snapshot.dReal > 0 && snapshot.dReal < 1 && snapshot.dFake > 0 && snapshot.dFake < 1);
    assert.equal(snapshot.step, 1);
  });

  it('counts D\'s verdicts on the probe batch\'s real and generated images into histograms', async () => {
    const snapshot = await live.prober.snapshot();
    const batch = live.session.images.batchSize;
    assert.equal(snapshot.verdicts?.real.length, VERDICT_BINS);
    assert.equal(snapshot.verdicts?.real.reduce((a, b) => a + b), batch);
    assert.equal(snapshot.verdicts?.fake.reduce((a, b) => a + b), batch);
    const centre = (counts: number[]) => counts.reduce((sum, n, i) => sum + n * (i + 0.5) / VERDICT_BINS, 0) / batch;
    assert.ok(Math.abs(centre(snapshot.verdicts!.real) - snapshot.dReal) <= 0.5 / VERDICT_BINS, 'the histogram of D(x) is centred where its mean is');
  });

  it('traces G from a latent to the image shape, ending in tanh\'s range', async () => {
    const result = await ask(live.prober, { kind: 'generatorActivations', z: { kind: 'cell', index: 3 } }, 'activations');
    assert.equal(result.network, 'generator');
    assert.deepEqual(result.layers.map((l) => l.name), live.session.gan.generator.layers.map((l) => l.name));
    const last = result.layers[result.layers.length - 1];
    assert.deepEqual([last.type, last.shape], ['tanh', [28, 28, 1]]);
    assert.equal(last.data.length, 28 * 28);
    assert.ok(last.data.every((v) => v >= -1 && v <= 1));
    for (const l of result.layers) assert.equal(l.channels.length, l.shape.length > 1 ? l.shape[l.shape.length - 1] : 1, l.name);
    const relu = result.layers.find((l) => l.type === 'relu')!;
    assert.ok(relu.channels.every((c) => c.dead >= 0 && c.dead <= 1));
  });

  it('traces D on a real training image and gives its score', async () => {
    const result = await ask(live.prober, { kind: 'discriminatorActivations', image: 'real', index: 0 }, 'activations');
    assert.deepEqual(result.inputShape, [28, 28, 1]);
    assert.deepEqual(Array.from(result.input), Array.from(live.session.images.image(0)));
    assert.ok(result.score! > 0 && result.score! < 1);
    assert.deepEqual(result.layers[result.layers.length - 1].shape, [1]);
  });

  it('sends a wide layer\'s first channels only, saying so, with statistics for all of them', async () => {
    const dcgan = TrainingSession.open(config({ preset: 'talk-dcgan-64' }), await useWasm());
    const wide = new Prober(dcgan);
    try {
      const result = await ask(wide, { kind: 'generatorActivations', z: { kind: 'seed', seed: 1 } }, 'activations');
      const conv = result.layers.find((l) => l.name === 'G.conv2dTranspose1')!;
      assert.deepEqual([conv.shape, conv.channelsShown, conv.channels.length, conv.data.length], [[8, 8, 512], MAX_CHANNELS, 512, 8 * 8 * MAX_CHANNELS]);
      const filters = await ask(wide, { kind: 'filters', layer: 'D.conv2d2' }, 'filters');
      assert.deepEqual([filters.shape, filters.fullShape], [[4, 4, 64, 64], [4, 4, 128, 256]]);
    } finally {
      wide.dispose();
      dcgan.close();
    }
  });

  it('returns a conv layer\'s kernels with their shape, and refuses a layer without kernels', async () => {
    const result = await ask(live.prober, { kind: 'filters', layer: 'D.conv2d1' }, 'filters');
    assert.deepEqual(result.shape, [4, 4, 1, 8]);
    assert.deepEqual(Array.from(result.data), Array.from(await live.session.gan.discriminator.layers[0].weights.kernel.data()));
    await assert.rejects(live.prober.answer({ kind: 'filters', layer: 'D.leakyRelu1' }), /D.leakyRelu1 is a leakyRelu layer/);
    await assert.rejects(live.prober.answer({ kind: 'filters', layer: 'D.nope' }), /No layer named "D.nope": the generator has G.dense1/);
  });

  it('bins a layer\'s weights and its last snapshot\'s gradients', async () => {
    await live.prober.snapshot();
    const result = await ask(live.prober, { kind: 'histogram', layer: 'G.conv2dTranspose1', bins: 10 }, 'histogram');
    const size = 4 * 4 * 8 * 16;
    assert.equal(result.weights.counts.reduce((a, b) => a + b), size);
    assert.equal(result.gradients!.counts.reduce((a, b) => a + b), size);
    assert.equal(result.weights.edges.length, 11);
    await assert.rejects(live.prober.answer({ kind: 'histogram', layer: 'G.relu1', bins: 10 }), /has no weights/);
  });

  it('bins values into equal bins, the largest in the last', () => {
    assert.deepEqual(binned(Float32Array.from([0, 1, 2, 3, 4]), 2), { edges: [0, 2, 4], counts: [2, 3] });
    assert.deepEqual(binned(Float32Array.from([1, 1]), 1), { edges: [0.5, 1.5], counts: [2] });
  });

  it('generates a cell\'s image from weights [1, 0], and interpolates between cells', async () => {
    const cell = (index: number) => ({ kind: 'cell', index }) as const;
    const result = await ask(live.prober, {
      kind: 'generate', latents: [[{ weight: 1, z: cell(2) }, { weight: 0, z: cell(5) }], [{ weight: 0.5, z: cell(2) }, { weight: 0.5, z: cell(5) }]],
    }, 'images');
    assert.deepEqual(result.shape, [2, 28, 28, 1]);
    const alone = await ask(live.prober, { kind: 'generatorActivations', z: cell(2) }, 'activations');
    const image = alone.layers[alone.layers.length - 1].data;
    const first = result.data.subarray(0, 28 * 28);
    first.forEach((v, i) => assert.ok(Math.abs(v - image[i]) < 1e-6, `pixel ${i}: ${v} vs ${image[i]}`));
    assert.notDeepEqual(Array.from(result.data.subarray(28 * 28)), Array.from(first));
  });

  it('returns real training images in one batch, each as D sees it', async () => {
    const result = await ask(live.prober, { kind: 'realImages', indices: [0, 7, 3] }, 'images');
    assert.deepEqual(result.shape, [3, 28, 28, 1]);
    const seventh = await ask(live.prober, { kind: 'discriminatorActivations', image: 'real', index: 7 }, 'activations');
    assert.deepEqual(Array.from(result.data.subarray(28 * 28, 2 * 28 * 28)), Array.from(seventh.input));
    await assert.rejects(live.prober.answer({ kind: 'realImages', indices: [] }), /1 to 64 images at a time, not 0/);
    await assert.rejects(live.prober.answer({ kind: 'realImages', indices: [60_000] }), /outside the dataset's 60000 images/);
  });

  it('returns the fixed noise and rejects latents that do not fit', async () => {
    const latents = await ask(live.prober, { kind: 'latents' }, 'latents');
    assert.deepEqual(latents.shape, [64, 100]);
    assert.deepEqual(Array.from(latents.data), Array.from(await live.session.noise.data()));
    await assert.rejects(live.prober.answer({ kind: 'generatorActivations', z: { kind: 'cell', index: 64 } }), /cell 64 is outside the fixed-noise grid's 64 cells/);
    await assert.rejects(live.prober.answer({ kind: 'generatorActivations', z: { kind: 'values', values: [1, 2] } }), /has 100 values, not 2/);
    await assert.rejects(live.prober.answer({ kind: 'discriminatorActivations', image: 'real', index: 60_000 }), /outside the dataset's 60000 images/);
  });

  it('leaks no tensors: every query leaves the live tensor count as it found it', async () => {
    await live.prober.snapshot(); // the kept gradients exist from here on
    const before = tf.memory().numTensors;
    const queries: ProbeQuery[] = [
      { kind: 'snapshot' },
      { kind: 'generatorActivations', z: { kind: 'seed', seed: 3 } },
      { kind: 'discriminatorActivations', image: 'generated', index: 1 },
      { kind: 'filters', layer: 'G.conv2dTranspose2' },
      { kind: 'histogram', layer: 'D.dense1', bins: 5 },
      { kind: 'generate', latents: [[{ weight: 1, z: { kind: 'values', values: new Array(100).fill(0.1) } }]] },
      { kind: 'latents' },
      { kind: 'realImages', indices: [0, 1] },
    ];
    for (const q of queries) await live.prober.answer(q);
    await assert.rejects(live.prober.answer({ kind: 'filters', layer: 'G.relu1' }));
    assert.equal(tf.memory().numTensors, before);
  });
});

describe('trainer/probes: probing does not change training', function () {
  this.timeout(120_000);

  it('leaves every weight and batch-norm running statistic as it was', async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const s = TrainingSession.open(config(), await useWasm());
    const prober = new Prober(s);
    try {
      await s.trainOneStep();
      const weights = async () => Promise.all([...s.gan.generator.namedWeights, ...s.gan.discriminator.namedWeights].map(async ([name, v]) => [name, Array.from(await v.data())]));
      const before = await weights();
      await prober.snapshot();
      await prober.answer({ kind: 'discriminatorActivations', image: 'real', index: 0 });
      assert.deepEqual(await weights(), before);
    } finally {
      prober.dispose();
      s.close();
    }
  });

  it('gives the same losses with a snapshot and queries between every step as without', async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    const backend = await useWasm();
    const run = async (probe: boolean) => {
      const s = TrainingSession.open(config({ seed: 11 }), backend);
      const prober = new Prober(s);
      const losses: number[][] = [];
      try {
        for (let i = 0; i < 4; i++) {
          const m = await s.trainOneStep();
          losses.push([m.dLoss, m.gLoss, m.dReal, m.dFake]);
          if (probe) {
            await prober.snapshot();
            await prober.answer({ kind: 'discriminatorActivations', image: 'real', index: i });
          }
        }
        return losses;
      } finally {
        prober.dispose();
        s.close();
      }
    };
    assert.deepEqual(await run(true), await run(false));
  });
});
