// Messages between the extension host and the inspection panels (graph, activations, batch norm, gallery, metrics).
import { arrayOf, bool, bytes, Validator, nonNegInt, num, object, oneOf, optional, str, union } from './check';
import { Finding, FINDING_KINDS, findingProblem } from './findings';
import { Stepped, steppedProblem } from './dashboard';
import {
  ModelGraph, modelGraphProblem, ProbeQuery, probeQueryProblem, ProbeResult, probeResultProblem, ProbeSnapshot, probeSnapshotProblem,
  VerdictHistograms, verdictHistogramsProblem,
} from './probes';

export const PANEL_KINDS = ['graph', 'activations', 'batchNorm', 'gallery', 'metrics', 'diagnosis', 'gradients'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

/** Titles as the editor tab and the commands show them. */
export const PANEL_TITLES: Record<PanelKind, string> = {
  graph: 'Model Graph',
  activations: 'Activations',
  batchNorm: 'Batch Norm',
  gallery: 'Sample Gallery',
  metrics: 'Metrics',
  diagnosis: 'Diagnosis',
  gradients: 'What G Learns From',
};

/** What a panel persists with setState, so the serializer can reopen it on the same run after a window reload. */
export interface PanelState {
  runDir: string;
  /** A layer to focus (activations opened from the graph or the Runs tree). */
  layer?: string;
  /** A comparison: every compared run's folder (runDir is the first). */
  compare?: string[];
}

export const panelStateProblem: Validator = object({ runDir: str, layer: optional(str), compare: optional(arrayOf(str)) });

/** One compared run's fixed-noise grid at the chosen step: from the run, or from its parent before its branch step. */
export interface ComparedGrid {
  /** The run's short name, as its chart lines are named. */
  label: string;
  /** The step of the grid shown (the newest at or before the chosen one); absent when the run has none yet. */
  step?: number;
  uri?: string;
}

/** The run a panel shows. `live`: a trainer is training it now, so probes are answered by that trainer. */
export interface PanelRun {
  runId: string;
  runDir: string;
  preset: string;
  live: boolean;
  /** The newest step seen in its files or events. */
  step: number;
  /** How often the run scores its generator (0: never), and the data it learns, when its run.json says. */
  scoreEvery?: number;
  dataset?: string;
  /** A comparison of runs: every compared run's folder (runDir is the first), kept so the panel reopens on them. */
  compare?: string[];
}

/** One line of a chart: values at steps, both the same length. `group` names the chart it belongs to. */
export interface Series {
  name: string;
  group: string;
  steps: number[];
  values: number[];
}

const seriesProblem: Validator = (v, p) => {
  const err = object({ name: str, group: str, steps: arrayOf(num), values: arrayOf(num) })(v, p);
  if (err) return err;
  const s = v as Series;
  return s.steps.length === s.values.length ? undefined : `${p}.steps and ${p}.values must have the same length`;
};

/** A run's settings changed at `step` (its `.gan.json` was saved while it trained): a marker on the metrics charts. */
export interface RunChange {
  step: number;
  /** New values by dotted path, e.g. `optimizer.discriminator.learningRate`. */
  changed: Record<string, unknown>;
}

const runChangeProblem: Validator = object({
  step: nonNegInt,
  changed: (v, p) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `${p} must be an object`),
});

export type ToPanel =
  | { type: 'run'; run: PanelRun; layer?: string }
  | { type: 'graph'; graph: ModelGraph }
  /** `reset`: replace what the panel holds (first push, or the files were rewritten); else append. */
  | { type: 'snapshots'; reset: boolean; snapshots: ProbeSnapshot[] }
  | { type: 'series'; reset: boolean; series: Series[] }
  /** The lines of chart `group` between steps `from` and `to` at a finer resolution: the reply to a `seriesRange`. */
  | { type: 'seriesDetail'; group: string; from: number; to: number; series: Series[] }
  /** `reset`: replace the markers the panel holds; else append. */
  | { type: 'changes'; reset: boolean; changes: RunChange[] }
  /** Steps that have a fixed-noise grid in samples/, ascending. */
  | { type: 'sampleSteps'; steps: number[] }
  /** `growth`: a progressive run's side and fade-in α at that step, from its metrics. */
  | { type: 'sample'; step: number; uri: string; growth?: { resolution: number; alpha: number } }
  | { type: 'probeResult'; id: number; result: ProbeResult }
  | { type: 'probeError'; id: number; message: string }
  /** A problem the panel should show in place of its content (no graph.json yet, unreadable file, …). */
  | { type: 'notice'; message: string }
  /** The run's findings as they stand (the last state of each), in order of first appearance; `reset`: replace, else update. */
  | { type: 'findings'; reset: boolean; findings: Finding[] }
  /** A comparison's grids side by side at `step`, one of `steps` (those any compared run has a grid at). */
  | { type: 'grids'; step: number; steps: number[]; grids: ComparedGrid[] }
  /** D's verdicts as distributions, one per probe snapshot that has them; `reset`: replace, else append. */
  | { type: 'verdicts'; reset: boolean; verdicts: StepVerdicts[] }
  /** A gallery on the live run: its last step-mode step while the run stays paused; absent once it resumes. */
  | { type: 'stepped'; stepped?: Stepped };

/** The histograms of D's outputs of one probe snapshot, at its step. */
export type StepVerdicts = VerdictHistograms & { step: number };

export type FromPanel =
  | { type: 'ready' }
  | { type: 'probe'; id: number; query: ProbeQuery }
  | { type: 'sample'; step: number }
  /** The graph panel's "open this layer's activations". */
  | { type: 'openLayer'; layer: string }
  /** Save bytes the panel made (a latent grid as PNG, a GIF timeline) through a save dialog. */
  | { type: 'export'; format: 'png' | 'gif'; suggestedName: string; data: Uint8Array }
  /** Save the fixed-noise grid of `step` through a save dialog: the host copies its PNG from samples/. */
  | { type: 'exportSample'; step: number }
  /** The metrics panel zoomed chart `group` into steps `from`–`to`: it asks for their points at a finer resolution. */
  | { type: 'seriesRange'; group: string; from: number; to: number }
  /** The Diagnosis panel's link to the walkthrough step (a contributes.walkthroughs step id) that explains a finding. */
  | { type: 'openWalkthrough'; step: string }
  /** "Apply and continue": remedy number `remedy` of the finding of `kind` first seen at `step`. */
  | { type: 'applyRemedy'; kind: Finding['kind']; step: number; remedy: number };

export const validateToPanel = union<ToPanel>({
  run: {
    run: object({ runId: str, runDir: str, preset: str, live: bool, step: nonNegInt, scoreEvery: optional(nonNegInt), dataset: optional(str), compare: optional(arrayOf(str)) }),
    layer: optional(str),
  },
  graph: { graph: modelGraphProblem },
  snapshots: { reset: bool, snapshots: arrayOf(probeSnapshotProblem) },
  series: { reset: bool, series: arrayOf(seriesProblem) },
  seriesDetail: { group: str, from: num, to: num, series: arrayOf(seriesProblem) },
  changes: { reset: bool, changes: arrayOf(runChangeProblem) },
  sampleSteps: { steps: arrayOf(nonNegInt) },
  sample: { step: nonNegInt, uri: str, growth: optional(object({ resolution: nonNegInt, alpha: num })) },
  probeResult: { id: nonNegInt, result: probeResultProblem },
  probeError: { id: nonNegInt, message: str },
  notice: { message: str },
  findings: { reset: bool, findings: arrayOf(findingProblem) },
  grids: { step: nonNegInt, steps: arrayOf(nonNegInt), grids: arrayOf(object({ label: str, step: optional(nonNegInt), uri: optional(str) })) },
  verdicts: { reset: bool, verdicts: arrayOf((v, p) => nonNegInt((v as { step?: unknown } | null)?.step, `${p}.step`) ?? verdictHistogramsProblem(v, p)) },
  stepped: { stepped: optional(steppedProblem) },
});

export const validateFromPanel = union<FromPanel>({
  ready: {},
  probe: { id: nonNegInt, query: probeQueryProblem },
  sample: { step: nonNegInt },
  openLayer: { layer: str },
  export: { format: oneOf('png', 'gif'), suggestedName: str, data: bytes },
  exportSample: { step: nonNegInt },
  seriesRange: { group: str, from: num, to: num },
  openWalkthrough: { step: (v, p) => (typeof v === 'string' && /^[a-z0-9-]+$/.test(v) ? undefined : `${p} must be a walkthrough step id`) },
  applyRemedy: { kind: oneOf(...FINDING_KINDS), step: nonNegInt, remedy: nonNegInt },
});

/** Short enough for every file system with a folder in front; the end is kept, as it holds the step and the extension. */
const MAX_FILE_NAME = 120;

/**
 * A file name a save dialog can propose: letters, digits, `.`, `-` and `_` (anything else becomes `_`), never hidden and
 * never without a letter or digit. Run ids come from run.json, which any folder can hold: they must not steer the path.
 */
export function exportFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-MAX_FILE_NAME).replace(/^\.+/, '');
  return /[A-Za-z0-9]/.test(safe) ? safe : 'ganscope-export';
}
