// One training run: its data, models, optimisers, fixed noise and run directory, advanced a step at a time,
// checkpointed and resumed.
import * as tf from '@tensorflow/tfjs-core';
import { RUN_SCHEMA_VERSION } from '../protocol/runDir';
import { RunConfig, StepMetrics, StepUpdate } from '../protocol/trainer';
import { readRunSync } from '../runFolder/reader';
import { BackendInfo } from './backend';
import { loadDataset, resolvePath } from './data/dataset';
import { ImageSet } from './data/mnist';
import { BatchSampler } from './data/sampler';
import { buildGan, Gan } from './models/dcgan';
import { initFromData } from './models/sequential';
import { atImageSide, Growth, growthAt, realAtGrowth } from './models/progressive';
import { applyLiveChanges, ChangedValues, LiveChanges, liveChanges, StructuralField } from '../ganFile/liveChanges';
import { WeightAverage } from './ema';
import { getPreset, ImageShape, imageShapeFor, loadGanFile, Preset } from './presets';
import { nextSeed, normalArray, seededRandom, SeededRandom } from './random';
import { Checkpoint, loadLatestCheckpoint, NamedArray, writeCheckpoint } from './runDir/checkpoint';
import { makeRunId, RunWriter } from './runDir/writer';
import { GRID_SIDE, renderSampleGrid } from './sampleGrid';
import { discriminatorStep, DiscriminatorInput, LossOptions, makeOptimizers, Optimizers, StepResult, trainStep } from './train';
import { LabelledBatches, loadTestSet, pickLabelled, ssganStep, TestAccuracy } from './ssgan';
import { singleUpdate } from './stepMode';

/** The definition a run trains: the preset's or file's, with the run's loss, label smoothing, seed and dataset folded in. */
function runDefinition(definition: Preset, config: RunConfig): Preset {
  return {
    ...definition,
    dataset: config.dataset || definition.dataset,
    seed: config.seed,
    loss: config.loss ?? definition.loss,
    labelSmoothing: config.labelSmoothing ?? definition.labelSmoothing,
  };
}

const lossesOf = (definition: Preset): LossOptions => ({ loss: definition.loss, realLabel: 1 - definition.labelSmoothing });

/** What a semi-supervised run adds: its labelled batches and the test-set measurement. */
interface SemiSupervised {
  labelled: LabelledBatches;
  test: TestAccuracy;
  testEvery: number;
  /** The average of D's weights that classifies the test set, while `testEma` is on. */
  average?: WeightAverage;
}

export class TrainingSession {
  private readonly startedAt = performance.now();
  /** Bumped whenever the networks' active layers change (a progressive run grows or ends a fade-in): redraw the graph. */
  graphVersion = 0;
  private growthNow?: Growth;
  /** For the doctor: the last step's squared gradient norm per trainable variable, in each optimiser's order. */
  lastGradSquares: StepResult['gradSquares'] = { d: [], g: [] };

  private constructor(
    /** Steps completed (continued from the checkpoint when resumed). */
    public step: number,
    /** The run's settings: the ones in run.json when resumed, with this start's steps and rates. */
    readonly config: RunConfig,
    /** The run's resolved definition as it trains now: live changes replace its between-step fields. */
    public preset: Preset,
    readonly image: ImageShape,
    readonly gan: Gan,
    private readonly optimizers: Optimizers,
    private readonly sampler: BatchSampler,
    private readonly fixedNoise: tf.Tensor2D,
    private readonly random: SeededRandom,
    private losses: LossOptions,
    /** The run's folder and id. */
    readonly run: { id: string; dir: string },
    /** Undefined while inspecting: a past run's folder is never written. */
    private readonly output: RunWriter | undefined,
    /** What the user should know about how the run started (e.g. resumed from which checkpoint). */
    readonly notes: string[],
    private readonly semi?: SemiSupervised,
    /** The average of G's weights that samples and scores use, while `generatorEma` is on. */
    private ema?: WeightAverage,
  ) {
    this.followGrowth();
  }

  /** Writes the run's folder; a session that inspects a past run has none. */
  get writer(): RunWriter {
    if (!this.output) throw new Error(`${this.run.dir} is open only to be inspected: nothing is written to it`);
    return this.output;
  }

  /** A progressive run's current resolution and fade-in α; undefined for other runs. */
  growth(): { resolution: number; alpha: number } | undefined {
    return this.growthNow && { resolution: this.growthNow.resolution, alpha: this.growthNow.alpha };
  }

  /** Puts a progressive run's networks at the growth its step calls for (also on resuming: the phase follows the step). */
  private followGrowth(): void {
    if (!this.preset.progressive || !this.gan.grow) return;
    const steps = this.config.growSteps;
    const schedule = steps === undefined ? this.preset.progressive : { ...this.preset.progressive, fadeSteps: steps, stableSteps: steps };
    const next = growthAt(schedule, this.image.size, this.step);
    const before = this.growthNow;
    if (before?.level === next.level && before.alpha === next.alpha) return;
    if (before?.level !== next.level || (before.alpha < 1) !== (next.alpha < 1)) this.graphVersion++;
    this.gan.grow(next);
    this.growthNow = next;
  }

  /** Loads the data, builds the models, and writes run.json or resumes a run; throws a user-facing message on bad config. */
  static open(request: RunConfig, backend: BackendInfo, inspecting = false): TrainingSession {
    const resumeDir = request.resume === undefined ? undefined : resolvePath(request.resume);
    const resumed = resumeDir === undefined ? undefined : readRunSync(resumeDir);
    // A resumed run is the same run: its own preset, data, seed and losses; how long and how often come from this start.
    const config: RunConfig = resumed
      ? { ...resumed.record.config, steps: request.steps, sampleEvery: request.sampleEvery, checkpointEvery: request.checkpointEvery, probeEvery: request.probeEvery, resume: resumeDir }
      : request;
    const branch = resumed || request.branchFrom === undefined ? undefined : branchSource(resolvePath(request.branchFrom));
    const latest = resumeDir === undefined ? branch?.latest : loadLatestCheckpoint(resumeDir);
    if (resumeDir !== undefined && latest && !latest.checkpoint && latest.skipped.length) throw new Error(noCheckpointLoads(resumeDir, latest.skipped));
    const recorded = runDefinition(resumed?.record.definition ?? (config.gan ? loadGanFile(config.gan) : getPreset(config.preset)), config);
    // The rates, loss and noise it trained with at its checkpoint, live changes included (already in metrics.jsonl).
    const trainedWith = resumed ? latest?.checkpoint?.definition : undefined;
    const preset = trainedWith ? applyLiveChanges(recorded, liveChanges(recorded, trainedWith)) : recorded;
    const data = loadDataset(preset.dataset);
    if (data.rows !== data.cols) throw new Error(`Dataset "${config.dataset}" has ${data.rows}×${data.cols} images; GANscope's models need square ones`);
    const image = imageShapeFor(preset, data.rows, data.channels);

    // Everything drawn from the seed in a fixed order, resumed or not, so a resumed run rebuilds the same fixed noise.
    const random = seededRandom(config.seed);
    const gan = buildGan(preset, image, random);
    const sampler = new BatchSampler(data, preset.batchSize, nextSeed(random), image.size);
    const fixedNoise = tf.randomNormal([GRID_SIDE * GRID_SIDE, preset.latentDim], 0, 1, 'float32', nextSeed(random)) as tf.Tensor2D;
    const semi = preset.semiSupervised && openSemiSupervised(preset, data, preset.dataset, image, random);
    const optimizers = makeOptimizers(gan, preset.optimizer);

    const notes: string[] = [];
    let step = 0;
    let writer: RunWriter | undefined;
    if (resumed && latest) {
      for (const reason of latest.skipped) notes.push(`Skipped an unreadable checkpoint: ${reason}`);
      if (latest.checkpoint) {
        restore(latest.checkpoint, gan, optimizers, sampler, random);
        step = latest.checkpoint.step;
        notes.push(`Resumed ${resumed.dir} from its checkpoint at step ${step}`);
      } else {
        notes.push(`${resumed.dir} has no checkpoint yet: training it again from step 0`);
      }
      writer = inspecting ? undefined : RunWriter.resume(resumed.dir, step);
      notes.push(...writer?.notes ?? []);
    } else {
      if (branch) {
        restoreBranch(branch, gan, optimizers, sampler, random);
        step = branch.latest.checkpoint.step;
        notes.push(`Branched from ${branch.dir} at its checkpoint of step ${step}`);
      } else {
        initDiscriminator(gan, data, image, config.seed);
      }
      writer = RunWriter.create(config.runsDir, makeRunId(preset.name), {
        schema: RUN_SCHEMA_VERSION,
        createdAt: new Date().toISOString(),
        config,
        backend: backend.backend,
        device: backend.device,
        tfjsVersion: backend.tfjsVersion,
        batchSize: preset.batchSize,
        model: { latentDim: preset.latentDim, imageSize: image.size, channels: image.channels },
        definition: preset,
        ...(branch && { parent: { run: branch.id, step } }),
      });
    }
    const run = writer ?? resumed!;
    // Averaged from the restored weights on; a checkpoint that holds averages puts them back.
    const ema = preset.generatorEma > 0 ? new WeightAverage(gan.generator, preset.generatorEma) : undefined;
    if (ema && latest?.checkpoint) restoreAverage(latest.checkpoint, ema);
    const testEma = preset.semiSupervised?.testEma ?? 0;
    if (semi && testEma > 0) semi.average = new WeightAverage(gan.discriminator, testEma);
    if (semi?.average && latest?.checkpoint) restoreAverage(latest.checkpoint, semi.average);
    return new TrainingSession(step, config, preset, image, gan, optimizers, sampler, fixedNoise, random, lossesOf(preset), { id: run.id, dir: run.dir }, writer, notes, semi, ema);
  }

  /**
   * Takes the between-step fields of a newly saved definition of this run (rates, D steps, loss, label smoothing,
   * instance noise, G's weight average) from the next step on, and records them in metrics.jsonl. Returns what changed
   * and the structural fields it left alone (they need a new run).
   */
  applyDefinition(saved: Preset): { changed: ChangedValues; structural: StructuralField[] } {
    // The run's own dataset and seed stand, as in run.json.
    const changes = this.take({ ...saved, dataset: this.config.dataset || saved.dataset, seed: this.config.seed });
    if (Object.keys(changes.changed).length && this.output) {
      this.output.appendChange({ step: this.step, time: Math.round(performance.now() - this.startedAt), changed: changes.changed });
    }
    return { changed: changes.changed, structural: changes.structural };
  }

  /** Switches to the between-step fields of `saved`. */
  private take(saved: Preset): LiveChanges {
    const changes = liveChanges(this.preset, saved);
    const { optimizer, generatorEma } = changes.live;
    this.preset = applyLiveChanges(this.preset, changes);
    this.losses = lossesOf(this.preset);
    if (optimizer) {
      for (const [adam, spec] of [[this.optimizers.g, optimizer.generator], [this.optimizers.d, optimizer.discriminator]] as const) {
        Object.assign(adam.settings, { learningRate: spec.learningRate, beta1: spec.beta1, beta2: spec.beta2 });
      }
    }
    if (generatorEma !== undefined) {
      if (generatorEma === 0) this.ema?.dispose();
      if (generatorEma === 0) this.ema = undefined;
      else if (this.ema) this.ema.decay = generatorEma;
      else this.ema = new WeightAverage(this.gan.generator, generatorEma, this.step);
    }
    return changes;
  }

  /**
   * A past run's models at its newest checkpoint, for probes: rebuilt as `open` resumes them, but nothing is trained
   * and nothing in the run folder is written or cut back.
   */
  static inspect(runDir: string, backend: BackendInfo): TrainingSession {
    const { dir, record } = readRunSync(resolvePath(runDir));
    const session = TrainingSession.open({ ...record.config, resume: dir }, backend, true);
    if (session.step === 0) {
      session.close();
      throw new Error(`${dir} has no readable checkpoint yet, so there is no trained model to inspect: runs write one every checkpointEvery steps and when they stop`);
    }
    return session;
  }

  /** For probes: the fixed-noise grid's latents, [cells, latentDim]. */
  get noise(): tf.Tensor2D {
    return this.fixedNoise;
  }

  /** For probes: the training images, read by index without moving the training order. */
  get images(): BatchSampler {
    return this.sampler;
  }

  /** For the doctor: the optimisers (their variables, in the order of `lastGradSquares`, and settings). */
  get optimizerState(): Optimizers {
    return this.optimizers;
  }

  /** For probes: the losses this run trains with. */
  get lossOptions(): LossOptions {
    return this.losses;
  }

  /** For probes: real images [B, size, size, C] as D sees them now (a growing D's side, blended while fading in). */
  realForDiscriminator(images: tf.Tensor4D): tf.Tensor4D {
    return this.growthNow ? realAtGrowth(images, this.growthNow) : images;
  }

  /**
   * Runs a probe and puts the run's random stream back as it was: a layer that draws noise in training mode (e.g.
   * Gaussian noise in D) must not change what the next step draws, or probing would change the run.
   */
  async preservingRandom<T>(probe: () => Promise<T>): Promise<T> {
    const state = this.random.state();
    try {
      return await probe();
    } finally {
      this.random.restore(state);
    }
  }

  /** Why step mode cannot step this run, if it cannot: a semi-supervised D also learns from labels at every step. */
  get stepModeProblem(): string | undefined {
    if (!this.semi) return undefined;
    return `Step mode updates an unsupervised GAN; ${this.preset.name}'s discriminator also learns from labels at every step, so resume it instead`;
  }

  /**
   * Runs one D+G step, appends its metrics to metrics.jsonl and returns them. `update` (step mode): only that update —
   * one of D, one of G, or one of each, without a step's extra D updates — on a fresh batch, marked in its metrics.
   */
  async trainOneStep(update?: StepUpdate): Promise<StepMetrics> {
    const { batchSize, latentDim } = this.preset;
    const { size, channels } = this.image;
    if (update && this.stepModeProblem) throw new Error(this.stepModeProblem);
    const t0 = performance.now();
    this.followGrowth();
    const batch = tf.tensor4d(this.sampler.next(), [batchSize, size, size, channels]);
    const real = this.growthNow ? realAtGrowth(batch, this.growthNow) : batch;
    const z = tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', nextSeed(this.random)) as tf.Tensor2D;
    try {
      if (!update) await this.extraDiscriminatorSteps();
      const { result: { gradSquares, ...result }, extra } = update
        ? { result: await singleUpdate(update, this.gan, this.optimizers, real, z, this.losses, this.discriminatorInput()), extra: {} }
        : await this.runStep(real, z);
      // A network that a step-mode step left alone keeps its last update's norms.
      this.lastGradSquares = { ...this.lastGradSquares, ...gradSquares };
      if (update !== 'discriminator') this.ema?.update(this.step);
      // Constant for every preset today, logged so the metrics panel shows what each network learned at.
      Object.assign(extra, { lrD: this.optimizers.d.settings.learningRate, lrG: this.optimizers.g.settings.learningRate });
      if (this.growthNow) Object.assign(extra, { resolution: this.growthNow.resolution, alpha: this.growthNow.alpha });
      this.step++;
      if (this.semi) Object.assign(extra, await this.measureTestAccuracy(this.semi));
      const now = performance.now();
      const metrics: StepMetrics = {
        step: this.step, time: Math.round(now - this.startedAt), ...result, imagesPerSec: (batchSize * 1000) / (now - t0),
        extra, ...(update && { update }),
      };
      for (const [name, value] of Object.entries({ ...result, ...extra })) {
        if (!Number.isFinite(value)) throw new Error(`Training diverged at step ${this.step}: ${name} is ${value}`);
      }
      this.writer.appendMetrics(metrics);
      return metrics;
    } finally {
      tf.dispose([batch, real, z]);
    }
  }

  /** What D sees this step: images with instance noise of σ annealed linearly to 0 over `annealSteps`, or as they are. */
  private discriminatorInput(): DiscriminatorInput | undefined {
    const { stddev, annealSteps } = this.preset.instanceNoise;
    const sigma = annealSteps > 0 ? stddev * Math.max(0, 1 - this.step / annealSteps) : stddev;
    if (sigma <= 0) return undefined;
    return (x) => tf.add(x, tf.tensor(normalArray(x.size, sigma, nextSeed(this.random)), x.shape));
  }

  /** D's updates before the one paired with G's (`discriminatorSteps` − 1 of them), each on a fresh batch and z. */
  private async extraDiscriminatorSteps(): Promise<void> {
    const { batchSize, latentDim } = this.preset;
    const { size, channels } = this.image;
    for (let k = 1; k < this.preset.discriminatorSteps; k++) {
      const batch = tf.tensor4d(this.sampler.next(), [batchSize, size, size, channels]);
      const real = this.growthNow ? realAtGrowth(batch, this.growthNow) : batch;
      const z = tf.randomNormal([batchSize, latentDim], 0, 1, 'float32', nextSeed(this.random)) as tf.Tensor2D;
      try {
        await discriminatorStep(this.gan, this.optimizers, real, z, this.losses, this.discriminatorInput());
      } finally {
        tf.dispose([batch, real, z]);
      }
    }
  }

  /** Runs `use` with the weights samples and scores come from: G's weight average when on, else G's own. */
  withSampleWeights<T>(use: () => Promise<T>): Promise<T> {
    return this.ema ? this.ema.withAverage(use) : use();
  }

  /** The step of this run's kind of GAN; `extra`: what it logs besides the usual metrics. */
  private async runStep(real: tf.Tensor4D, z: tf.Tensor2D): Promise<{ result: StepResult; extra: Record<string, number> }> {
    if (!this.semi) return { result: await trainStep(this.gan, this.optimizers, real, z, this.losses, this.discriminatorInput()), extra: {} };
    const batch = this.semi.labelled.batch(this.step);
    const labelled = tf.tensor4d(batch.images, real.shape);
    const labels = tf.tensor1d(batch.labels, 'int32');
    try {
      const { supervisedLoss, ...result } = await ssganStep(this.gan, this.optimizers, labelled, labels, real, z, this.losses);
      this.semi.average?.update(this.step);
      return { result, extra: { supervisedLoss } };
    } finally {
      tf.dispose([labelled, labels]);
    }
  }

  /** Starts measuring every `testEvery` steps and classifies one chunk of the test set per step until done. */
  private async measureTestAccuracy(semi: SemiSupervised): Promise<Record<string, number>> {
    if (this.step % semi.testEvery === 0) semi.test.start();
    if (!semi.test.measuring) return {};
    const classify = () => semi.test.advance(this.gan);
    const accuracy = await (semi.average ? semi.average.withAverage(classify) : classify());
    return accuracy === undefined ? {} : { testAccuracy: accuracy, testError: 1 - accuracy };
  }

  /** The fixed-noise grid as PNG bytes, from the weights samples come from; written nowhere. */
  renderSamples(): Promise<Uint8Array> {
    // A growing G's images are enlarged to the data's side, so every grid of the run has one size.
    const generator = this.growthNow ? atImageSide(this.gan.generator, this.image.size) : this.gan.generator;
    return this.withSampleWeights(() => renderSampleGrid(generator, this.fixedNoise));
  }

  /** Renders the fixed-noise grid for the current step into samples/ and returns its path and bytes. */
  async writeSamples(): Promise<{ step: number; path: string; png: Uint8Array }> {
    const png = await this.renderSamples();
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
    for (const [name, v] of [...this.ema?.namedWeights ?? [], ...this.semi?.average?.namedWeights ?? []]) await add(name, v);
    for (const [key, adam] of [['d', this.optimizers.d], ['g', this.optimizers.g]] as const) {
      for (const [i, v] of adam.variables.entries()) {
        await add(`adam.${key}.m.${names.get(v)}`, adam.m[i]);
        await add(`adam.${key}.v.${names.get(v)}`, adam.v[i]);
      }
      arrays.push({ name: `adam.${key}.updates`, shape: [adam.updates.length], dtype: 'int32', data: Int32Array.from(adam.updates) });
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
      definition: this.preset,
    });
  }

  close(): void {
    this.output?.close();
    this.gan.generator.dispose();
    this.gan.discriminator.dispose();
    this.optimizers.d.dispose();
    this.optimizers.g.dispose();
    this.ema?.dispose();
    this.semi?.average?.dispose();
    this.fixedNoise.dispose();
  }
}

/** Why a run whose checkpoints all fail to load is not resumed, and how to go on: nothing in it is touched. */
function noCheckpointLoads(dir: string, problems: string[]): string {
  return `None of the ${problems.length} checkpoint(s) of ${dir} can be loaded, so it is left as it is:\n`
    + problems.map((p) => `  - ${p}\n`).join('')
    + `To start fresh, train a new run with the same settings; or move ${dir}/checkpoints aside to train this run again from step 0 `
    + `(what its files hold is then moved to *.after-step-0.jsonl, not deleted)`;
}

/** The run a branch starts from: its id, folder and newest checkpoint; throws when it has none to start from. */
interface BranchSource {
  id: string;
  dir: string;
  latest: { checkpoint: Checkpoint; skipped: string[] };
}

function branchSource(dir: string): BranchSource {
  const parent = readRunSync(dir);
  const latest = loadLatestCheckpoint(dir);
  if (!latest.checkpoint) throw new Error(`${dir} has no readable checkpoint to branch from: continue it (or stop it) once so that it writes one, then branch again`);
  return { id: parent.record.id, dir, latest: { checkpoint: latest.checkpoint, skipped: latest.skipped } };
}

/** A branch's models take its parent's checkpoint; one whose change rebuilt the networks cannot, and says so. */
function restoreBranch(branch: BranchSource, gan: Gan, optimizers: Optimizers, sampler: BatchSampler, random: SeededRandom): void {
  try {
    restore(branch.latest.checkpoint, gan, optimizers, sampler, random);
  } catch (e) {
    throw new Error(`Cannot branch from ${branch.dir}: ${(e as Error).message}. A change to the layers or the latent size needs a new run from step 0.`);
  }
}

/** Puts a checkpoint's weight averages back; one written before the average was on starts from the network's weights. */
function restoreAverage(checkpoint: Checkpoint, ema: WeightAverage): void {
  const byName = new Map(checkpoint.arrays.map((a) => [a.name, a]));
  for (const [name, v] of ema.namedWeights) {
    const a = byName.get(name);
    if (a && a.shape.join() === v.shape.join()) tf.tidy(() => v.assign(tf.tensor(a.data, a.shape, 'float32')));
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
  for (const [key, adam] of [['d', optimizers.d], ['g', optimizers.g]] as const) {
    // Checkpoints from before per-variable counts: every variable was updated on every step.
    const updates = byName.get(`adam.${key}.updates`)?.data ?? adam.variables.map(() => adam.step);
    if (updates.length !== adam.updates.length) throw new Error(`The checkpoint at step ${checkpoint.step} counts Adam updates of ${updates.length} variables, the model has ${adam.updates.length}`);
    updates.forEach((n, i) => (adam.updates[i] = n));
  }
  const order = byName.get('sampler.order');
  if (!order) throw new Error(`The checkpoint at step ${checkpoint.step} has no sampler state`);
  sampler.restore({ random: checkpoint.state.samplerRandom, cursor: checkpoint.state.samplerCursor, order: new Uint32Array(order.data.buffer) });
  random.restore(checkpoint.state.random);
}

/** A semi-supervised run's labelled subset (balanced, drawn with the run's seed) and its test set. */
function openSemiSupervised(preset: Preset, data: ImageSet, spec: string, image: ImageShape, random: SeededRandom): SemiSupervised {
  const { classes, labelled, testEvery, testChunk } = preset.semiSupervised!;
  if (!data.labels) throw new Error(`Preset "${preset.name}" learns from labels, but dataset "${spec}" has none: use mnist, fashion-mnist:<folder> or cifar10:<folder>`);
  if (data.rows !== image.size) throw new Error(`Preset "${preset.name}" classifies the dataset's own ${data.rows}×${data.rows} images, not ${image.size}×${image.size}`);
  const indices = pickLabelled(data.labels, classes, labelled, random);
  const batches = new LabelledBatches({ ...data, labels: data.labels }, indices, preset.batchSize, nextSeed(random));
  const test = loadTestSet(spec);
  if (test.rows !== data.rows || test.channels !== data.channels) {
    throw new Error(`The test images of "${spec}" are ${test.rows}×${test.cols}×${test.channels}, the training ones ${data.rows}×${data.cols}×${data.channels}`);
  }
  return { labelled: batches, test: new TestAccuracy(test, testChunk), testEvery };
}

/** How many training images weight normalisation's data-dependent initialisation looks at (Salimans et al. take 500). */
const INIT_IMAGES = 500;

/** A new run's D, initialised from real images where its layers have a data-dependent initialisation. */
function initDiscriminator(gan: Gan, data: ImageSet, image: ImageShape, seed: number): void {
  if (!gan.discriminator.layers.some((l) => l.initFromData)) return;
  const count = Math.min(INIT_IMAGES, data.count);
  // A sampler of its own, so the run's batches and random stream are what they would be without it.
  const images = tf.tensor4d(new BatchSampler(data, count, seed, image.size).next(), [count, image.size, image.size, image.channels]);
  try {
    initFromData(gan.discriminator, images);
  } finally {
    images.dispose();
  }
}
