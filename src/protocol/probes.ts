// What the trainer's probes report about the networks, live (IPC) and in the run directory (graph.json, probes.jsonl).
import { arrayOf, Validator, nonNegInt, num, numIn, object, oneOf, optional, str, union } from './check';

export const NETWORKS = ['generator', 'discriminator'] as const;
export type NetworkName = (typeof NETWORKS)[number];

/** One layer of a network as the graph panel draws it. */
export interface LayerInfo {
  /** Unique in the run, e.g. `G.conv2dTranspose1`. */
  name: string;
  /** `dense`, `conv2d`, `conv2dTranspose`, `batchNorm`, `relu`, `leakyRelu`, `tanh`, `reshape`, `flatten`, … */
  type: string;
  /** Output shape without the batch axis, e.g. [14, 14, 64]. */
  outputShape: number[];
  /** Trainable parameters (γ and β for batch norm; running statistics are not counted). */
  params: number;
  /** A short human description, e.g. "4×4 stride 2, 64 filters" or "α = 0.2". */
  detail?: string;
}

export interface NetworkInfo {
  name: NetworkName;
  /** Input shape without the batch axis: [latentDim] for G, [H, W, C] for D. */
  inputShape: number[];
  /** In the order data flows through them. */
  layers: LayerInfo[];
}

/** `graph.json` in a run directory, rewritten whenever the model changes shape (progressive growing). */
export interface ModelGraph {
  step: number;
  preset: string;
  generator: NetworkInfo;
  discriminator: NetworkInfo;
  /** Progressive growing only: the side the networks work at now, and the fade-in weight of the newest block (1 = faded in). */
  growth?: { resolution: number; alpha: number };
}

const layerInfoProblem: Validator = object({ name: str, type: str, outputShape: arrayOf(nonNegInt), params: nonNegInt, detail: optional(str) });
const networkInfoProblem: Validator = object({ name: oneOf(...NETWORKS), inputShape: arrayOf(nonNegInt), layers: arrayOf(layerInfoProblem) });
export const modelGraphProblem: Validator = object({
  step: nonNegInt, preset: str, generator: networkInfoProblem, discriminator: networkInfoProblem,
  growth: optional(object({ resolution: nonNegInt, alpha: num })),
});

/** Per trainable layer: L2 norms of its weights and of their last gradient. */
export interface LayerNorms {
  name: string;
  weightNorm: number;
  gradNorm: number;
}

/** Per batch-norm layer, one number per channel. `batch*`: statistics of the probe batch; `running*`: what inference uses. */
export interface BatchNormStats {
  name: string;
  batchMean: number[];
  batchVar: number[];
  runningMean: number[];
  runningVar: number[];
  gamma: number[];
  beta: number[];
}

/** One line of `probes.jsonl`, written every `probeEvery` steps (and returned by a `snapshot` probe). */
export interface ProbeSnapshot {
  step: number;
  /** Mean D(x) and D(G(z)) over the probe batch. */
  dReal: number;
  dFake: number;
  layers: LayerNorms[];
  batchNorm: BatchNormStats[];
  /** D's verdicts on the probe batch as distributions; absent in snapshots written before they were recorded. */
  verdicts?: VerdictHistograms;
}

/** Bins of D's output probability: VERDICT_BINS equal bins of [0, 1], the last one closed. */
export const VERDICT_BINS = 20;

/** How many images of the probe batch D gave an output in each bin: real ones (D(x)) and generated ones (D(G(z))). */
export interface VerdictHistograms {
  real: number[];
  fake: number[];
}

const numbers = arrayOf(num);
export const layerNormsProblem: Validator = object({ name: str, weightNorm: num, gradNorm: num });
export const batchNormStatsProblem: Validator = object({
  name: str, batchMean: numbers, batchVar: numbers, runningMean: numbers, runningVar: numbers, gamma: numbers, beta: numbers,
});
const binCountsProblem: Validator = (v, p) => arrayOf(nonNegInt)(v, p) ?? ((v as number[]).length === VERDICT_BINS ? undefined : `${p} must have ${VERDICT_BINS} bins`);
export const verdictHistogramsProblem: Validator = object({ real: binCountsProblem, fake: binCountsProblem });
export const probeSnapshotProblem: Validator = object({
  step: nonNegInt, dReal: num, dFake: num, layers: arrayOf(layerNormsProblem), batchNorm: arrayOf(batchNormStatsProblem),
  verdicts: optional(verdictHistogramsProblem),
});

/** Where a latent vector comes from: a cell of the fixed-noise grid, a seeded draw, or explicit values. */
export type LatentSource = { kind: 'cell'; index: number } | { kind: 'seed'; seed: number } | { kind: 'values'; values: number[] };

const latentSourceProblem: Validator = (v, p) => {
  const kind = (v as { kind?: unknown } | null)?.kind;
  if (kind === 'cell') return object({ index: nonNegInt })(v, p);
  if (kind === 'seed') return object({ seed: nonNegInt })(v, p);
  if (kind === 'values') return object({ values: numbers })(v, p);
  return `${p}.kind must be one of cell, seed, values`;
};

/** What a panel can ask the trainer (live, or an inspector on a past run's checkpoint). */
export type ProbeQuery =
  /** The run's current ProbeSnapshot, computed now on a fresh batch. */
  | { kind: 'snapshot' }
  /** G's activations at every layer for one latent vector. */
  | { kind: 'generatorActivations'; z: LatentSource }
  /** D's activations at every layer for a real training image (`index` into the data) or a generated one. */
  | { kind: 'discriminatorActivations'; image: 'real' | 'generated'; index: number }
  /** The kernels of a conv layer, to draw as images. */
  | { kind: 'filters'; layer: string }
  /** Histograms of a layer's weights and last gradients. */
  | { kind: 'histogram'; layer: string; bins: number }
  /** G's images for each latent; `combine` makes each a weighted sum of the sources first (interpolation, A − B + C). */
  | { kind: 'generate'; latents: { weight: number; z: LatentSource }[][] }
  /** The fixed-noise grid's latent vectors, [cells][latentDim]. */
  | { kind: 'latents' }
  /** Training images by `index` into the data, as D sees them now: one `images` result (the gallery's real row). */
  | { kind: 'realImages'; indices: number[] }
  /**
   * What each network's loss asks of the pixels: for fixed-noise `cells`, ∂L_G/∂x and the images moved against it so
   * that their largest pixel change is `stepSize`; for training images by `indices`, ∂L_D/∂x.
   */
  | { kind: 'inputGradients'; cells: number[]; indices: number[]; stepSize: number };

/** The largest step an `inputGradients` query takes: 2 spans the whole pixel range [−1, 1]. */
export const MAX_STEP_SIZE = 2;

export const validateProbeQuery = union<ProbeQuery & { type: string }>({
  snapshot: {},
  generatorActivations: { z: latentSourceProblem },
  discriminatorActivations: { image: oneOf('real', 'generated'), index: nonNegInt },
  filters: { layer: str },
  histogram: { layer: str, bins: nonNegInt },
  generate: { latents: arrayOf(arrayOf(object({ weight: num, z: latentSourceProblem }))) },
  latents: {},
  realImages: { indices: arrayOf(nonNegInt) },
  inputGradients: { cells: arrayOf(nonNegInt), indices: arrayOf(nonNegInt), stepSize: numIn(0, MAX_STEP_SIZE) },
});

/** Feature maps of one layer. `data` is the layer's output for one input, [H, W, C] (or [units]) row-major. */
export interface LayerActivation {
  name: string;
  type: string;
  shape: number[];
  data: Float32Array;
  /**
   * Per channel (last axis): mean, standard deviation, and the fraction of values ≤ 0 ("dead" after a ReLU); every
   * channel, even those `data` leaves out. A flat layer ([units]) has one entry summarising all its units.
   */
  channels: { mean: number; std: number; dead: number }[];
  /** Present when `data` holds only the first `channelsShown` channels of a wider layer: it is then [H, W, channelsShown]. */
  channelsShown?: number;
}

export interface Histogram {
  /** bins + 1 edges. */
  edges: number[];
  counts: number[];
}

/** Images with D's verdict on each and the gradient of a loss with respect to every pixel. */
export interface ImageGradients {
  /** [N, H, W, C] in [−1, 1]. */
  images: Float32Array;
  /** D's output probability for each image. */
  verdicts: number[];
  /** ∂L/∂x, [N, H, W, C]: of each image's own term of the loss (the batch mean's gradient times N). */
  gradients: Float32Array;
}

export type ProbeResult =
  | { kind: 'snapshot'; snapshot: ProbeSnapshot }
  /** `input`: G's z, or D's image [H, W, C] in [-1, 1]; for D, `score` is D's output probability for the image. */
  | { kind: 'activations'; network: NetworkName; input: Float32Array; inputShape: number[]; layers: LayerActivation[]; score?: number }
  /**
   * [KH, KW, Cin, Cout] as in tfjs (a transposed conv's kernel is [KH, KW, Cout, Cin]). `fullShape`: present when the
   * kernel has more than 64 input or output channels and `data` holds only the first 64 of each, `shape` being what it holds.
   */
  | { kind: 'filters'; layer: string; shape: number[]; data: Float32Array; fullShape?: number[] }
  | { kind: 'histogram'; layer: string; weights: Histogram; gradients?: Histogram }
  /** [N, H, W, C] in [-1, 1]. */
  | { kind: 'images'; shape: number[]; data: Float32Array }
  | { kind: 'latents'; shape: number[]; data: Float32Array }
  /**
   * `generated`: fixed-noise samples with ∂L_G/∂x, and `after`: each moved to x − stepSize·g/max|g| (clipped to
   * [−1, 1]) with D's verdict on it; `real`: training images with ∂L_D/∂x. `shape`: [N, H, W, C] of one image set.
   * `loss`: the run's loss, by which both are computed; `step`: the weights' step.
   */
  | { kind: 'inputGradients'; step: number; loss: string; shape: number[]; stepSize: number; generated: ImageGradients; after: { images: Float32Array; verdicts: number[] }; real: ImageGradients };

const f32: Validator = (v, p) => (v instanceof Float32Array ? undefined : `${p} must be a Float32Array`);
const histogramProblem: Validator = object({ edges: numbers, counts: arrayOf(nonNegInt) });
const imageGradientsProblem: Validator = object({ images: f32, verdicts: numbers, gradients: f32 });
const layerActivationProblem: Validator = object({
  name: str, type: str, shape: arrayOf(nonNegInt), data: f32,
  channels: arrayOf(object({ mean: num, std: num, dead: num })),
  channelsShown: optional(nonNegInt),
});
export const validateProbeResult = union<ProbeResult & { type: string }>({
  snapshot: { snapshot: probeSnapshotProblem },
  activations: { network: oneOf(...NETWORKS), input: f32, inputShape: arrayOf(nonNegInt), layers: arrayOf(layerActivationProblem), score: optional(num) },
  filters: { layer: str, shape: arrayOf(nonNegInt), data: f32, fullShape: optional(arrayOf(nonNegInt)) },
  histogram: { layer: str, weights: histogramProblem, gradients: optional(histogramProblem) },
  images: { shape: arrayOf(nonNegInt), data: f32 },
  latents: { shape: arrayOf(nonNegInt), data: f32 },
  inputGradients: {
    step: nonNegInt, loss: str, shape: arrayOf(nonNegInt), stepSize: num, generated: imageGradientsProblem,
    after: object({ images: f32, verdicts: numbers }), real: imageGradientsProblem,
  },
});

/**
 * The union validators above key on `type`; ProbeQuery and ProbeResult key on `kind`. These adapt one to the other
 * so `{ kind: 'snapshot' }` validates as it is sent.
 */
export function checkProbeQuery(v: unknown): { ok: true; value: ProbeQuery } | { ok: false; error: string } {
  const r = validateProbeQuery(v && typeof v === 'object' ? { ...v, type: (v as { kind?: unknown }).kind } : v);
  return r.ok ? { ok: true, value: v as ProbeQuery } : r;
}

export function checkProbeResult(v: unknown): { ok: true; value: ProbeResult } | { ok: false; error: string } {
  const r = validateProbeResult(v && typeof v === 'object' ? { ...v, type: (v as { kind?: unknown }).kind } : v);
  return r.ok ? { ok: true, value: v as ProbeResult } : r;
}

export const probeQueryProblem: Validator = (v, p) => {
  const r = checkProbeQuery(v);
  return r.ok ? undefined : `${p}: ${r.error}`;
};
export const probeResultProblem: Validator = (v, p) => {
  const r = checkProbeResult(v);
  return r.ok ? undefined : `${p}: ${r.error}`;
};

export const GRAPH_FILE = 'graph.json';
export const PROBES_FILE = 'probes.jsonl';

/** Default: a ProbeSnapshot into probes.jsonl every this many steps (measured overhead: see bench/). */
export const DEFAULT_PROBE_EVERY = 50;
