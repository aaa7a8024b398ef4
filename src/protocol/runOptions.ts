// The options a user sets for a run, as `ganscope.*` settings or ganscope-train flags: each one's default, allowed values and check.
import { bool, nonNegInt, oneOf, str, Validator } from './check';
import { parseDatasetSpec } from './dataset';
import { DEFAULT_PROBE_EVERY } from './probes';

export const BACKENDS = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** G's loss; 'feature-matching' (Salimans et al. 2016) matches the mean of D's last hidden features on real and fake batches. */
export const GAN_LOSSES = ['non-saturating', 'minimax', 'hinge', 'least-squares', 'feature-matching'] as const;
export type GanLoss = (typeof GAN_LOSSES)[number];

/** The loss option's default: send no loss, so the trainer uses the preset's own. */
export const PRESET_LOSS = 'preset';
export const LOSS_CHOICES = [PRESET_LOSS, ...GAN_LOSSES] as const;
export type LossChoice = (typeof LOSS_CHOICES)[number];

/** The built-in presets, in menu order; src/trainer/presets.ts defines exactly these. */
export const PRESET_NAMES: readonly string[] = ['mnist-dcgan', 'mnist-tiny', 'talk-dcgan-64', 'mnist-ssgan-100', 'mnist-progressive'];

/** Checkpoint every this many steps when a RunConfig says nothing. */
export const DEFAULT_CHECKPOINT_EVERY = 200;

/** A number from 0 up to (not including) 1, such as a label-smoothing amount. */
export const fraction: Validator = (v, p) => (typeof v === 'number' && v >= 0 && v < 1 ? undefined : `${p} must be a number from 0 up to (not including) 1`);

export interface RunOption<T> {
  /** The setting's key under `ganscope.`, where VS Code has one. */
  setting?: string;
  /** The ganscope-train flag without its `--`, where the CLI has one. */
  flag?: string;
  /** The value when unset; undefined (null in package.json) leaves it to the preset. */
  default: T;
  /** The allowed values of a choice, in the order menus list them. */
  values?: readonly string[];
  /** A flag's text is read as a number. */
  numeric?: boolean;
  /** What is wrong with a value, as a user reads it: named by `path` and quoting the value. */
  problem: Validator;
}

/** Thrown for a value an option does not allow; the message names the setting or flag it came from. */
export class OptionError extends Error {}

/** The value written for `option` at `name` (a setting or a flag), its default when unset, or an OptionError. */
export function parseOption<T>(option: RunOption<T>, written: unknown, name: string): T {
  if (written === undefined || (written === null && option.default === undefined)) return option.default;
  const problem = option.problem(written, name);
  if (problem) throw new OptionError(problem);
  return written as T;
}

/** A flag's text as the value its option checks: a number where the option is numeric and the text is one. */
export function flagValue(option: RunOption<unknown>, text: string): unknown {
  return option.numeric && /^(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : text;
}

/** The RunConfig loss of a loss choice: none for the preset's own. */
export function lossOf(choice: LossChoice): GanLoss | undefined {
  return choice === PRESET_LOSS ? undefined : choice;
}

const positiveInt: Validator = (v, p) => (Number.isInteger(v) && (v as number) >= 1 ? undefined : `${p} must be at least 1 and a whole number`);

/** Adds the value to a problem, NaN and ±Infinity as such (JSON writes them as null). */
const quoting = (check: Validator): Validator => (v, p) => {
  const problem = check(v, p);
  return problem && `${problem}, not ${typeof v === 'number' ? String(v) : JSON.stringify(v)}`;
};

const datasetProblem: Validator = (v, p) => {
  if (typeof v !== 'string') return quoting(str)(v, p);
  try {
    parseDatasetSpec(v);
    return undefined;
  } catch (err) {
    return `${p}: ${(err as Error).message}`;
  }
};

/** A `.gan.json` path as the preset setting names one (relative to the workspace folder, or absolute). */
export const isGanFilePath = (v: string): boolean => /\.gan\.json$/i.test(v.trim());

/** A built-in preset's name, or a `.gan.json` file to train in its place. */
const presetProblem: Validator = (v, p) =>
  typeof v === 'string' && (PRESET_NAMES.includes(v) || isGanFilePath(v))
    ? undefined
    : `${p} must be one of ${PRESET_NAMES.join(', ')}, or a path to a .gan.json file, not ${JSON.stringify(v)}`;

const option = <T>(fallback: T, problem: Validator, numeric = false): RunOption<T> => ({ default: fallback, problem, numeric });
const choice = <T extends string>(values: readonly T[], fallback: NoInfer<T>): RunOption<T> => ({ ...option(fallback, quoting(oneOf(...values))), values });
const count = (fallback: number) => option(fallback, quoting(nonNegInt), true);

export const RUN_OPTIONS = {
  /** Its values are suggestions: a `.gan.json` path is allowed too. */
  preset: { setting: 'trainer.preset', flag: 'preset', ...option('mnist-dcgan', presetProblem), values: PRESET_NAMES },
  /** The CLI's default is the preset's own dataset (mnist for every built-in preset). */
  dataset: { setting: 'trainer.dataset', flag: 'dataset', ...option('mnist', datasetProblem) },
  loss: { setting: 'trainer.loss', flag: 'loss', ...choice(LOSS_CHOICES, PRESET_LOSS) },
  labelSmoothing: { setting: 'trainer.labelSmoothing', flag: 'label-smoothing', ...option(0, quoting(fraction), true) },
  backend: { setting: 'trainer.backend', flag: 'backend', ...choice(BACKENDS, 'auto') },
  steps: { setting: 'trainer.steps', flag: 'steps', ...count(0) },
  seed: { setting: 'trainer.seed', flag: 'seed', ...count(42) },
  sampleEvery: { setting: 'trainer.sampleEvery', flag: 'sample-every', ...count(20) },
  checkpointEvery: { setting: 'trainer.checkpointEvery', flag: 'checkpoint-every', ...count(DEFAULT_CHECKPOINT_EVERY) },
  probeEvery: { setting: 'trainer.probeEvery', flag: 'probe-every', ...count(DEFAULT_PROBE_EVERY) },
  scoreEvery: { setting: 'trainer.scoreEvery', flag: 'score-every', ...option<number | undefined>(undefined, quoting(nonNegInt), true) },
  growSteps: { setting: 'trainer.growSteps', flag: 'grow-steps', ...option<number | undefined>(undefined, quoting(positiveInt), true) },
  runsFolder: { setting: 'runsFolder', flag: 'out', ...option('.ganscope/runs', quoting(str)) },
  startOnOpen: { setting: 'trainer.startOnOpen', ...option(false, quoting(bool)) },
  /** How often a CLI run that is not in a terminal prints a progress line. */
  progressEvery: { flag: 'progress-every', ...count(10) },
};
