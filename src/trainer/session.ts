// One training run: its data, models, optimisers, fixed noise and run directory, advanced a step at a time.
import * as tf from '@tensorflow/tfjs-core';
import { RUN_SCHEMA_VERSION } from '../protocol/runDir';
import { RunConfig, StepMetrics } from '../protocol/trainer';
import { mnistDir } from './assets';
import { BackendInfo } from './backend';
import { loadMnist } from './data/mnist';
import { BatchSampler } from './data/sampler';
import { buildGan, Gan } from './models/dcgan';
import { getPreset, Preset } from './presets';
import { nextSeed, seededRandom } from './random';
import { makeRunId, RunWriter } from './runDir/writer';
import { GRID_SIDE, renderSampleGrid } from './sampleGrid';
import { makeOptimizers, Optimizers, trainStep } from './train';

export class TrainingSession {
  /** Steps completed. */
  step = 0;
  private readonly startedAt = performance.now();

  private constructor(
    readonly preset: Preset,
    readonly gan: Gan,
    private readonly optimizers: Optimizers,
    private readonly sampler: BatchSampler,
    private readonly fixedNoise: tf.Tensor2D,
    private readonly random: () => number,
    readonly writer: RunWriter,
  ) {}

  /** Loads the data, builds the models and writes run.json; throws with a user-facing message on bad config. */
  static open(config: RunConfig, backend: BackendInfo): TrainingSession {
    const preset = getPreset(config.preset);
    if (config.dataset !== preset.dataset) {
      throw new Error(`Preset "${preset.name}" trains on "${preset.dataset}", not "${config.dataset}"`);
    }
    const data = loadMnist(mnistDir(), 'train');
    if (data.rows !== preset.imageSize || data.cols !== preset.imageSize) {
      throw new Error(`Preset "${preset.name}" needs ${preset.imageSize}×${preset.imageSize} images; the data has ${data.rows}×${data.cols}`);
    }
    const random = seededRandom(config.seed);
    const gan = buildGan(preset, random);
    const sampler = new BatchSampler(data, preset.batchSize, nextSeed(random));
    const fixedNoise = tf.randomNormal([GRID_SIDE * GRID_SIDE, preset.latentDim], 0, 1, 'float32', nextSeed(random)) as tf.Tensor2D;
    const writer = RunWriter.create(config.runsDir, makeRunId(preset.name), {
      schema: RUN_SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
      config,
      backend: backend.backend,
      device: backend.device,
      tfjsVersion: backend.tfjsVersion,
      batchSize: preset.batchSize,
      model: { latentDim: preset.latentDim, imageSize: preset.imageSize, channels: preset.channels },
    });
    return new TrainingSession(preset, gan, makeOptimizers(), sampler, fixedNoise, random, writer);
  }

  /** Runs one D+G step, appends its metrics to metrics.jsonl and returns them. */
  async trainOneStep(): Promise<StepMetrics> {
    const { batchSize, imageSize, channels, latentDim } = this.preset;
    const t0 = performance.now();
    const real = tf.tensor4d(this.sampler.next(), [batchSize, imageSize, imageSize, channels]);
    const z = tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', nextSeed(this.random)) as tf.Tensor2D;
    try {
      const result = await trainStep(this.gan, this.optimizers, real, z);
      this.step++;
      const now = performance.now();
      const metrics: StepMetrics = {
        step: this.step, time: Math.round(now - this.startedAt), ...result, imagesPerSec: (batchSize * 1000) / (now - t0),
      };
      for (const [name, value] of Object.entries(metrics)) {
        if (!Number.isFinite(value)) throw new Error(`Training diverged at step ${this.step}: ${name} is ${value}`);
      }
      this.writer.appendMetrics(metrics);
      return metrics;
    } finally {
      tf.dispose([real, z]);
    }
  }

  /** Renders the fixed-noise grid for the current step into samples/ and returns its path and bytes. */
  async writeSamples(): Promise<{ step: number; path: string; png: Uint8Array }> {
    const png = await renderSampleGrid(this.gan.generator, this.fixedNoise);
    return { step: this.step, path: this.writer.writeSample(this.step, png), png };
  }

  close(): void {
    this.writer.close();
    this.gan.generator.dispose();
    this.gan.discriminator.dispose();
    this.optimizers.d.dispose();
    this.optimizers.g.dispose();
    this.fixedNoise.dispose();
  }
}
