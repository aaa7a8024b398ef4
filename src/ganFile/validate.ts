// Field-by-field checks of a `.gan.json` as written: types, enums, ranges and known layer types, each problem at its JSON path.
import { parseDatasetSpec } from '../protocol/dataset';
import {
  MAX_BATCH_SIZE, MAX_CLASSES, MAX_DISCRIMINATOR_STEPS, MAX_IMAGE_SIZE, MAX_KERNEL, MAX_LABEL_SMOOTHING, MAX_LATENT_DIM, MAX_LAYERS,
  MAX_LEARNING_RATE, MAX_NOISE_STDDEV, MAX_PADDING, MAX_SCHEDULE_STEPS, MAX_STRIDE, MAX_WIDTH,
} from './limits';
import { formatPath, GAN_FILE_LOSSES, GanProblem, INIT_SCHEMES, JsonPath, LAYER_TYPES, LayerKind, PADDINGS } from './types';

/** Adds what is wrong with `value` (at `path`) to `out`. */
export type FieldCheck = (value: unknown, path: JsonPath, out: GanProblem[]) => void;

const problem = (out: GanProblem[], path: JsonPath, message: string) => out.push({ path, message, severity: 'error' });
const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : String(v));
const last = (path: JsonPath) => String(path[path.length - 1] ?? 'the file');

/** A number from `min` to `max`; `above` makes min exclusive, `below` max exclusive. */
export function numberIn(min: number, max: number, opts: { above?: boolean; below?: boolean; integer?: boolean } = {}): FieldCheck {
  return (v, path, out) => {
    const what = opts.integer ? 'a whole number' : 'a number';
    if (typeof v !== 'number' || !Number.isFinite(v)) return problem(out, path, `${last(path)} must be ${what}, not ${shown(v)}`);
    if (opts.integer && !Number.isInteger(v)) return problem(out, path, `${last(path)} must be a whole number, not ${v}`);
    const low = opts.above ? v <= min : v < min;
    const high = opts.below ? v >= max : v > max;
    if (low || high) {
      const range = `${opts.above ? 'greater than' : 'at least'} ${min} and ${opts.below ? 'less than' : 'at most'} ${max}`;
      problem(out, path, `${last(path)} must be ${range}, not ${v}`);
    }
  };
}

const int = (min: number, max: number) => numberIn(min, max, { integer: true });
const str: FieldCheck = (v, path, out) => (typeof v === 'string' ? undefined : problem(out, path, `${last(path)} must be a string, not ${shown(v)}`));
const bool: FieldCheck = (v, path, out) => (typeof v === 'boolean' ? undefined : problem(out, path, `${last(path)} must be true or false, not ${shown(v)}`));

export const oneOf = (values: readonly (string | number)[]): FieldCheck => (v, path, out) => {
  if (!values.includes(v as string)) problem(out, path, `${last(path)} must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}, not ${shown(v)}`);
};

/** Either check: the first whose kind of value matches (`isA`) decides. */
const either = (a: { isA: (v: unknown) => boolean; check: FieldCheck }, b: FieldCheck): FieldCheck => (v, path, out) => (a.isA(v) ? a.check(v, path, out) : b(v, path, out));

/** Marks a field that may be left out. */
export interface Optional { optional: true; check: FieldCheck }
export const optional = (check: FieldCheck): Optional => ({ optional: true, check });
type Field = FieldCheck | Optional;

/** An object with exactly these fields (optional ones may be missing); `what` names it in messages. */
export function objectOf(fields: Record<string, Field>, what = 'object'): FieldCheck {
  return (v, path, out) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return problem(out, path, `${last(path)} must be an object, not ${shown(v)}`);
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!(key in fields)) problem(out, [...path, key], `unknown field "${key}" in ${what}; it takes ${Object.keys(fields).join(', ')}`);
    }
    for (const [key, field] of Object.entries(fields)) {
      const isOptional = typeof field !== 'function';
      if (record[key] === undefined) {
        if (!isOptional) problem(out, path, `${what} needs "${key}"`);
        continue;
      }
      (isOptional ? field.check : field)(record[key], [...path, key], out);
    }
  };
}

const width = int(1, MAX_WIDTH);
const widthOrImage = either({ isA: (v) => typeof v === 'string', check: oneOf(['image']) }, width);
const padding = either({ isA: (v) => typeof v === 'string', check: oneOf(PADDINGS) }, int(0, MAX_PADDING));
const stddev = numberIn(0, MAX_NOISE_STDDEV);
const fraction = numberIn(0, 1, { below: true });
const conv = (filters: FieldCheck): Record<string, Field> => ({
  type: str, filters, kernel: int(1, MAX_KERNEL), stride: optional(int(1, MAX_STRIDE)), padding: optional(padding), spectralNorm: optional(bool),
});

/** The options of every layer type (besides `type`), with their checks: the format's contract for layers. */
export const LAYER_FIELDS: Record<LayerKind, Record<string, Field>> = {
  project: { type: str, channels: widthOrImage, side: optional(int(1, MAX_IMAGE_SIZE)), spectralNorm: optional(bool) },
  dense: { type: str, units: width, weightNorm: optional(bool), spectralNorm: optional(bool) },
  conv2d: conv(width),
  conv2dTranspose: conv(widthOrImage),
  upsample: { type: str, factor: optional(int(1, MAX_STRIDE)) },
  flatten: { type: str },
  batchNorm: { type: str },
  layerNorm: { type: str },
  instanceNorm: { type: str },
  relu: { type: str },
  leakyRelu: { type: str, alpha: optional(numberIn(0, 1)) },
  tanh: { type: str },
  sigmoid: { type: str },
  gaussianNoise: { type: str, stddev },
  dropout: { type: str, rate: fraction },
  minibatchStddev: { type: str },
};

const layer: FieldCheck = (v, path, out) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return problem(out, path, `a layer must be an object with a "type", not ${shown(v)}`);
  const type = (v as { type?: unknown }).type;
  if (type === undefined) return problem(out, path, `this layer has no "type": use one of ${LAYER_TYPES.join(', ')}`);
  if (!(LAYER_TYPES as readonly unknown[]).includes(type)) {
    return problem(out, [...path, 'type'], `unknown layer type ${shown(type)}: use one of ${LAYER_TYPES.join(', ')}`);
  }
  objectOf(LAYER_FIELDS[type as LayerKind], `a ${type} layer`)(v, path, out);
};

const layers: FieldCheck = (v, path, out) => {
  if (!Array.isArray(v)) return problem(out, path, `${last(path)} must be a list of layers, not ${shown(v)}`);
  if (v.length > MAX_LAYERS) return problem(out, path, `${last(path)} has ${v.length} layers; at most ${MAX_LAYERS}`);
  v.forEach((item, i) => layer(item, [...path, i], out));
};

const adam = objectOf({
  type: optional(oneOf(['adam'])),
  learningRate: optional(numberIn(0, MAX_LEARNING_RATE, { above: true })),
  beta1: optional(fraction),
  beta2: optional(fraction),
}, 'an optimizer');

const dataset: FieldCheck = (v, path, out) => {
  if (typeof v !== 'string') return problem(out, path, `dataset must be a string such as "mnist", not ${shown(v)}`);
  try {
    parseDatasetSpec(v);
  } catch (e) {
    problem(out, path, `${(e as Error).message.split('\n')[0].replace(/\. Use one of:$/, '')}: use mnist, mnist:<folder>, fashion-mnist:<folder>, idx:<file>, cifar10:<folder> or folder:<folder>`);
  }
};

/** A section a file can remove from what it extends by setting it to null. */
const removable = (check: FieldCheck): FieldCheck => (v, path, out) => (v === null ? undefined : check(v, path, out));

/** Every top-level field of a `.gan.json`, all optional in a file. */
export const FILE_FIELDS: Record<string, Field> = {
  $schema: optional(str),
  extends: optional(str),
  description: optional(str),
  dataset: optional(dataset),
  imageSize: optional(int(1, MAX_IMAGE_SIZE)),
  latentDim: optional(int(1, MAX_LATENT_DIM)),
  batchSize: optional(int(1, MAX_BATCH_SIZE)),
  seed: optional(int(0, 2 ** 32 - 1)),
  generator: optional(layers),
  discriminator: optional(layers),
  loss: optional(oneOf(GAN_FILE_LOSSES)),
  optimizer: optional(objectOf({ generator: optional(adam), discriminator: optional(adam) }, 'optimizer')),
  discriminatorSteps: optional(int(1, MAX_DISCRIMINATOR_STEPS)),
  labelSmoothing: optional(numberIn(0, MAX_LABEL_SMOOTHING)),
  instanceNoise: optional(either(
    { isA: (v) => typeof v === 'object' && v !== null && !Array.isArray(v), check: objectOf({ stddev, annealSteps: optional(int(0, MAX_SCHEDULE_STEPS)) }, 'instanceNoise') },
    stddev,
  )),
  init: optional(oneOf(INIT_SCHEMES)),
  generatorEma: optional(fraction),
  // Their fields may come from the file extended (objects merge field by field): resolve checks they are all there.
  semiSupervised: optional(removable(objectOf({
    classes: optional(int(2, MAX_CLASSES)), labelled: optional(int(1, 10_000_000)), testEvery: optional(int(1, MAX_SCHEDULE_STEPS)), testChunk: optional(int(1, 1_000_000)),
    testEma: optional(fraction),
  }, 'semiSupervised'))),
  progressive: optional(removable(objectOf({
    startSize: optional(int(1, MAX_IMAGE_SIZE)),
    channels: optional((v, path, out) => {
      if (!Array.isArray(v) || v.length === 0) return problem(out, path, `channels must be a list of channel counts, one per resolution, not ${shown(v)}`);
      v.forEach((c, i) => width(c, [...path, i], out));
    }),
    fadeSteps: optional(int(1, MAX_SCHEDULE_STEPS)),
    stableSteps: optional(int(1, MAX_SCHEDULE_STEPS)),
  }, 'progressive'))),
};

/** The fields a section needs once merged with what the file extends. */
export const SECTION_FIELDS = {
  semiSupervised: ['classes', 'labelled', 'testEvery', 'testChunk'],
  progressive: ['startSize', 'channels', 'fadeSteps', 'stableSteps'],
} as const;

/** What is wrong with a parsed file's fields, each at its path (no cross-field or shape checks: see resolve and shapes). */
export function fileProblems(value: unknown): GanProblem[] {
  const out: GanProblem[] = [];
  objectOf(FILE_FIELDS, 'a .gan.json file')(value, [], out);
  return out;
}

/** A resolved definition (run.json's `definition`): its fields as a file's, plus its name; the Validator form of src/protocol/check.ts. */
export function ganDefinitionProblem(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${path} must be an object`;
  const { name, ...fields } = value as Record<string, unknown>;
  if (typeof name !== 'string') return `${path}.name must be a string`;
  const first = fileProblems(fields)[0];
  return first && `${path}.${formatPath(first.path)}: ${first.message}`;
}
