import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { runConfigProblem, RunConfig } from '../../../src/protocol/trainer';
import { parseCommand } from '../../../src/trainer/cli';
import { buildProgressiveGan, growthAt, ProgressiveGan, realAtGrowth, resolutions } from '../../../src/trainer/models/progressive';
import { getPreset, imageShapeFor, ProgressiveSpec } from '../../../src/trainer/presets';
import { seededRandom } from '../../../src/trainer/random';
import { gridSize } from '../../../src/trainer/sampleGrid';
import { TrainingSession } from '../../../src/trainer/session';
import { MNIST_DIR, tempDir, useWasm } from './helpers';

const MNIST = { size: 28, channels: 1 };
const preset = getPreset('mnist-progressive');
const spec: ProgressiveSpec = { startSize: 7, channels: [8, 4, 4], fadeSteps: 2, stableSteps: 3 };
const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('trainer: progressive growing (Karras et al. 2017)', function () {
  this.timeout(300_000);
  let gan: ProgressiveGan;
  before(async () => {
    process.env.GANSCOPE_DATA_DIR = MNIST_DIR;
    await useWasm();
    gan = buildProgressiveGan({ ...preset, progressive: spec }, MNIST, seededRandom(1));
  });
  after(() => {
    gan.generator.dispose();
    gan.discriminator.dispose();
  });

  describe('schedule', () => {
    it('doubles the side from the start size up to the data\'s', () => {
      assert.deepEqual(resolutions(spec, 28), [7, 14, 28]);
      assert.throws(() => resolutions(spec, 32), /cannot reach 32×32 images by doubling: use a dataset of side 28/);
      assert.throws(() => imageShapeFor(preset, 32, 3), /grows from 7×7 to 28×28 images; the dataset's are 32×32/);
    });

    it('trains the first side alone, then fades each new one in linearly and trains it alone, staying at the last', () => {
      const at = (step: number) => { const g = growthAt(spec, 28, step); return [g.resolution, +g.alpha.toFixed(2)]; };
      assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100].map(at), [
        [7, 1], [7, 1], [7, 1], // stable 3
        [14, 0], [14, 0.5], [14, 1], [14, 1], [14, 1], // fade 2, stable 3
        [28, 0], [28, 0.5], [28, 1], [28, 1], [28, 1],
      ]);
    });
  });

  describe('a quicker schedule for a run', () => {
    it('takes growSteps from the CLI\'s --grow-steps, and refuses 0', () => {
      const command = parseCommand(['--preset', 'mnist-progressive', '--grow-steps', '20']);
      assert.equal(typeof command === 'object' && 'config' in command && command.config.growSteps, 20);
      assert.throws(() => parseCommand(['--grow-steps', '0']), /--grow-steps must be at least 1/);
    });

    it('validates growSteps in a RunConfig as a whole number of steps', () => {
      const config = { preset: 'mnist-progressive', dataset: 'mnist', steps: 0, seed: 1, runsDir: 'runs', sampleEvery: 0 };
      assert.equal(runConfigProblem({ ...config, growSteps: 20 }, 'config'), undefined);
      assert.match(runConfigProblem({ ...config, growSteps: 0 }, 'config') ?? '', /config\.growSteps must be a whole number of steps, at least 1/);
    });
  });

  describe('networks', () => {
    it('makes and judges images at every resolution, fading in or not', () => {
      for (const step of [0, 3, 4, 5, 8, 9, 10]) {
        const growth = growthAt(spec, 28, step);
        gan.grow(growth);
        tf.tidy(() => {
          const images = gan.generator.apply(tf.randomNormal([2, 100]), true);
          assert.deepEqual(images.shape, [2, growth.resolution, growth.resolution, 1], `step ${step}`);
          assert.deepEqual(gan.discriminator.apply(images, true).shape, [2, 1]);
        });
      }
    });

    it('starts with images of visible contrast at every side (He initialisation, not DCGAN\'s N(0, 0.02))', () => {
      const fresh = buildProgressiveGan(preset, MNIST, seededRandom(3));
      for (const resolution of [7, 14, 28]) {
        fresh.grow({ level: [7, 14, 28].indexOf(resolution), resolution, alpha: 1 });
        const std = tf.tidy(() => Math.sqrt(tf.moments(fresh.generator.apply(tf.randomNormal([16, 100], 0, 1, 'float32', 4), true)).variance.dataSync()[0]));
        assert.ok(std > 0.2, `${resolution}×${resolution}: pixel std ${std}`);
      }
      fresh.generator.dispose();
      fresh.discriminator.dispose();
    });

    it('lists both branches as layers while a block fades in, and only the new one after', () => {
      const names = () => gan.generator.layers.map((l) => l.name);
      gan.grow({ level: 1, resolution: 14, alpha: 0.5 });
      assert.ok(names().includes('G.7x7.toRGB') && names().includes('G.14x14.toRGB') && names().includes('G.14x14.fadeIn'));
      assert.ok(gan.discriminator.layers.some((l) => l.name === 'D.7x7.fromRGB') && gan.discriminator.layers.some((l) => l.name === 'D.14x14.fromRGB'));
      gan.grow({ level: 1, resolution: 14, alpha: 1 });
      assert.ok(!names().includes('G.7x7.toRGB') && names().includes('G.14x14.toRGB') && !names().includes('G.14x14.fadeIn'));
    });

    it('holds the weights of every resolution from the start, under stable unique names', () => {
      gan.grow({ level: 0, resolution: 7, alpha: 1 });
      const first = gan.generator.namedWeights.map(([n]) => n);
      gan.grow({ level: 2, resolution: 28, alpha: 0.5 });
      assert.deepEqual(gan.generator.namedWeights.map(([n]) => n), first);
      assert.ok(first.includes('G.28x28.conv2d2.kernel') && first.includes('G.7x7.toRGB.kernel'));
      const all = [...first, ...gan.discriminator.namedWeights.map(([n]) => n)];
      assert.equal(new Set(all).size, all.length);
    });

    it('at α = 0 a new block changes nothing: G makes the old images doubled, D judges the halved image as before', () => {
      tf.tidy(() => {
        const z = tf.randomNormal([3, 100], 0, 1, 'float32', 1);
        const x = tf.randomUniform([3, 14, 14, 1], -1, 1, 'float32', 2);
        gan.grow({ level: 0, resolution: 7, alpha: 1 });
        const old = gan.generator.apply(z, false);
        const oldScore = gan.discriminator.apply(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'), false);
        gan.grow({ level: 1, resolution: 14, alpha: 0 });
        assert.ok(maxDiff(gan.generator.apply(z, false), tf.image.resizeNearestNeighbor(old as tf.Tensor4D, [14, 14])) < 1e-6);
        assert.ok(maxDiff(gan.discriminator.apply(x, false), oldScore) < 1e-5);
      });
    });

    it('shows real images to D at its side, blended like G\'s while a block fades in', () => {
      tf.tidy(() => {
        const real = tf.randomUniform([2, 28, 28, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
        const at14 = tf.avgPool(real, 2, 2, 'valid');
        const coarse = tf.image.resizeNearestNeighbor(tf.avgPool(at14, 2, 2, 'valid'), [14, 14]);
        assert.ok(maxDiff(realAtGrowth(real, { level: 1, resolution: 14, alpha: 1 }), at14) < 1e-6);
        assert.ok(maxDiff(realAtGrowth(real, { level: 1, resolution: 14, alpha: 0 }), coarse) < 1e-6);
        assert.ok(maxDiff(realAtGrowth(real, { level: 1, resolution: 14, alpha: 0.25 }), tf.add(tf.mul(coarse, 0.75), tf.mul(at14, 0.25))) < 1e-6);
        assert.deepEqual(realAtGrowth(real, { level: 2, resolution: 28, alpha: 1 }).shape, [2, 28, 28, 1]);
      });
    });
  });

  describe('a run', () => {
    const config = (runsDir: string, extra: Partial<RunConfig> = {}): RunConfig => ({
      preset: 'mnist-progressive', dataset: 'mnist', steps: 0, seed: 2, runsDir, sampleEvery: 0, growSteps: 1, ...extra,
    });
    const losses = async (s: TrainingSession, n: number) => {
      const out: number[][] = [];
      for (let i = 0; i < n; i++) {
        const m = await s.trainOneStep();
        out.push([m.dLoss, m.gLoss, m.dReal, m.dFake, m.extra!.resolution, m.extra!.alpha]);
      }
      return out;
    };

    it('grows through every resolution, logging resolution and α, with sample grids at the data\'s side', async () => {
      const s = TrainingSession.open(config(tempDir('grow')), await useWasm());
      try {
        const seen: number[][] = [];
        const versions = new Set<number>();
        for (let i = 0; i < 5; i++) { // growSteps 1: 7 | fade 14 | 14 | fade 28 | 28
          const { png } = await s.writeSamples();
          assert.equal(Buffer.from(png).readUInt32BE(16), gridSize(28), 'the PNG\'s width (IHDR)');
          const m = await s.trainOneStep();
          seen.push([m.extra!.resolution, m.extra!.alpha]);
          versions.add(s.graphVersion);
          assert.deepEqual(s.growth(), { resolution: m.extra!.resolution, alpha: m.extra!.alpha });
        }
        assert.deepEqual(seen, [[7, 1], [14, 0], [14, 1], [28, 0], [28, 1]]);
        assert.equal(versions.size, 5, 'the graph changes at every growth and at every end of a fade-in');
      } finally {
        s.close();
      }
    });

    it('resumes mid-growth exactly: the phase follows the checkpoint\'s step, every resolution\'s weights and Adam state restored', async () => {
      const backend = await useWasm();
      const straight = TrainingSession.open(config(tempDir('prog-straight'), { growSteps: 2 }), backend);
      const expected = await losses(straight, 7); // 7 7 | fade 14 ×2 | 14 14 | fade 28
      straight.close();

      const first = TrainingSession.open(config(tempDir('prog-cut'), { growSteps: 2 }), backend);
      const before = await losses(first, 3); // stops mid-fade
      await first.writeCheckpoint();
      first.close();
      const resumed = TrainingSession.open(config('/unused', { resume: first.writer.dir, growSteps: 5 }), backend);
      assert.deepEqual(resumed.growth(), { resolution: 14, alpha: 0.5 }, 'the run\'s own schedule, at its step');
      const after = await losses(resumed, 4);
      resumed.close();
      assert.deepEqual([...before, ...after], expected);
    });
  });
});
