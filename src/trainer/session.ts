// One training run: its data, models, optimisers, fixed noise and run directory, advanced a step at a time,
// checkpointed and resumed.
import * as tf from '@tensorflow/tfjs-core';
import { RUN_SCHEMA_VERSION } from '../protocol/runDir';
import { RunConfig, StepMetrics } from '../protocol/trainer';
import { BackendInfo } from './backend';
import { loadDataset, resolvePath } from './data/dataset';
import { BatchSampler } from './data/sampler';
import { buildGan, Gan } from './models/dcgan';
import { getPreset, ImageShape, imageShapeFor, Preset } from './presets';
import { nextSeed, seededRandom, SeededRandom } from './random';
import { Checkpoint, loadLatestCheckpoint, NamedArray, writeCheckpoint } from './runDir/checkpoint';
import { makeRunId, RunWriter } from './runDir/writer';
import { GRID_SIDE, renderSampleGrid } from './sampleGrid';
import { LossOptions, makeOptimizers, Optimizers, trainStep } from './train';

export class TrainingSession {
  private readonly startedAt = performance.now();

  private constructor(
    /** Steps completed (continued from the checkpoint when resumed). */
    public step: number,
    /** The run's settings: the ones in run.json when resumed, with this start's steps and rates. */
    readonly config: RunConfig,
    readonly preset: Preset,
    readonly image: ImageShape,
    readonly gan: Gan,
    private readonly optimizers: Optimizers,
    private readonly sampler: BatchSampler,
    private readonly fixedNoise: tf.Tensor2D,
    private readonly random: SeededRandom,
    private readonly losses: LossOptions,
    readonly writer: RunWriter,
    /** What the user should know about how the run started (e.g. resumed from which checkpoint). */
    readonly notes: string[],
  ) {}

  /** Loads the data, builds the models, and writes run.json or resumes a run; throws a user-facing message on bad config. */
  static open(request: RunConfig, backend: BackendInfo): TrainingSession {
    const resumeDir = request.resume === undefined ? undefined : resolvePath(request.resume);
    const record = resumeDir === undefined ? undefined : RunWriter.readRecord(resumeDir);
    // A resumed run is the same run: its own preset, data, seed and losses; how long and how often come from this start.
    const config: RunConfig = record
      ? { ...record.config, steps: request.steps, sampleEvery: request.sampleEvery, checkpointEvery: request.checkpointEvery, resume: resumeDir }
      : request;
    const preset = getPreset(config.preset);
    const data = loadDataset(config.dataset || preset.defaultDataset);
    if (data.rows !== data.cols) throw new Error(`Dataset "${config.dataset}" has ${data.rows}×${data.cols} images; GANscope's models need square ones`);
    const image = imageShapeFor(preset, data.rows, data.channels);

    // Everything drawn from the seed in a fixed order, resumed or not, so a resumed run rebuilds the same fixed noise.
    const random = seededRandom(config.seed);
    const gan = buildGan(preset, image, random);
    const sampler = new BatchSampler(data, preset.batchSize, nextSeed(random), image.size);
    const fixedNoise = tf.randomNormal([GRID_SIDE * GRID_SIDE, preset.latentDim], 0, 1, 'float32', nextSeed(random)) as tf.Tensor2D;
    const optimizers = makeOptimizers(gan);
    const losses: LossOptions = { loss: config.loss ?? 'non-saturating', realLabel: 1 - (config.labelSmoothing ?? 0) };

    const notes: string[] = [];
    let step = 0;
    let writer: RunWriter;
    if (resumeDir !== undefined) {
      const latest = loadLatestCheckpoint(resumeDir);
      for (const reason of latest.skipped) notes.push(`Skipped an unreadable checkpoint: ${reason}`);
      if (latest.checkpoint) {
        restore(latest.checkpoint, gan, optimizers, sampler, random);
        step = latest.checkpoint.step;
        notes.push(`Resumed ${resumeDir} from its checkpoint at step ${step}`);
      } else {
        notes.push(`${resumeDir} has no checkpoint yet: training it again from step 0`);
      }
      writer = RunWriter.resume(resumeDir, step);
    } else {
      writer = RunWriter.create(config.runsDir, makeRunId(preset.name), {
        schema: RUN_SCHEMA_VERSION,
        createdAt: new Date().toISOString(),
        config,
        backend: backend.backend,
        device: backend.device,
        tfjsVersion: backend.tfjsVersion,
        batchSize: preset.batchSize,
        model: { latentDim: preset.latentDim, imageSize: image.size, channels: image.channels },
      });
    }
    return new TrainingSession(step, config, preset, image, gan, optimizers, sampler, fixedNoise, random, losses, writer, notes);
  }

  /** Runs one D+G step, appends its metrics to metrics.jsonl and returns them. */
  async trainOneStep(): Promise<StepMetrics> {
    const { batchSize, latentDim } = this.preset;
    const { size, channels } = this.image;
    const t0 = performance.now();
    const real = tf.tensor4d(this.sampler.next(), [batchSize, size, size, channels]);
    const z = tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', nextSeed(this.random)) as tf.Tensor2D;
    try {
      const result = await trainStep(this.gan, this.optimizers, real, z, this.losses);
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

  /** Writes `checkpoints/step-NNNNNN/`: weights, BN statistics, Adam state, RNG and sampler state; returns its folder. */
  async writeCheckpoint(): Promise<string> {
    const arrays: NamedArray[] = [];
    const names = new Map<tf.Variable, string>();
    const add = async (name: string, v: tf.Variable) => arrays.push({ name, shape: v.shape, dtype: 'float32', data: (await v.data()) as Float32Array });
    for (const [name, v] of [...this.gan.generator.namedWeights, ...this.gan.discriminator.namedWeights]) {
      names.set(v, name);
      await add(name, v);
    }
    for (const [key, adam] of [['d', this.optimizers.d], ['g', this.optimizers.g]] as const) {
      for (const [i, v] of adam.variables.entries()) {
        await add(`adam.${key}.m.${names.get(v)}`, adam.m[i]);
        await add(`adam.${key}.v.${names.get(v)}`, adam.v[i]);
      }
    }
    const sampler = this.sampler.state;
    arrays.push({ name: 'sampler.order', shape: [sampler.order.length], dtype: 'int32', data: new Int32Array(sampler.order.buffer) });
    return writeCheckpoint(this.writer.dir, {
      step: this.step,
      state: {
        random: this.random.state(), samplerRandom: sampler.random, samplerCursor: sampler.cursor,
        adamStepD: this.optimizers.d.step, adamStepG: this.optimizers.g.step,
      },
      arrays,
    });
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

/** Puts a checkpoint's tensors and counters back into freshly built models, optimisers and sampler. */
function restore(checkpoint: Checkpoint, gan: Gan, optimizers: Optimizers, sampler: BatchSampler, random: SeededRandom): void {
  const byName = new Map(checkpoint.arrays.map((a) => [a.name, a]));
  const take = (name: string, v: tf.Variable) => {
    const a = byName.get(name);
    if (!a) throw new Error(`The checkpoint at step ${checkpoint.step} has no tensor "${name}": was it written by another preset?`);
    if (a.shape.join() !== v.shape.join()) {
      throw new Error(`The checkpoint's "${name}" is [${a.shape}], but the model's is [${v.shape}]: was it written by another preset or dataset?`);
    }
    tf.tidy(() => v.assign(tf.tensor(a.data, a.shape, 'float32')));
  };
  const names = new Map<tf.Variable, string>();
  for (const [name, v] of [...gan.generator.namedWeights, ...gan.discriminator.namedWeights]) {
    names.set(v, name);
    take(name, v);
  }
  for (const [key, adam] of [['d', optimizers.d], ['g', optimizers.g]] as const) {
    adam.variables.forEach((v, i) => {
      take(`adam.${key}.m.${names.get(v)}`, adam.m[i]);
      take(`adam.${key}.v.${names.get(v)}`, adam.v[i]);
    });
  }
  optimizers.d.step = checkpoint.state.adamStepD;
  optimizers.g.step = checkpoint.state.adamStepG;
  const order = byName.get('sampler.order');
  if (!order) throw new Error(`The checkpoint at step ${checkpoint.step} has no sampler state`);
  sampler.restore({ random: checkpoint.state.samplerRandom, cursor: checkpoint.state.samplerCursor, order: new Uint32Array(order.data.buffer) });
  random.restore(checkpoint.state.random);
}
