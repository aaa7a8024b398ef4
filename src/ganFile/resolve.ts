// Resolves a `.gan.json`: follows `extends` (a built-in preset or a relative path), merges, fills the defaults, checks
// every field and the shapes, and returns a definition with no `extends` left, or the problems at their paths.
import * as path from 'node:path';
import { parseDatasetSpec } from '../protocol/dataset';
import { MAX_EXTENDS_DEPTH } from './limits';
import { parseGanText } from './parse';
import { BUILTIN_PRESETS, GAN_FILE_SUFFIX, isBuiltinPreset, nameOfFile, presetFile } from './presets';
import { GanShapes, inferShapes } from './shapes';
import { AdamSpec, formatPath, GanDefinition, GanFile, GanProblem, ImageShape, InstanceNoise } from './types';
import { fileProblems, SECTION_FIELDS } from './validate';

/** What resolving needs of the world: file contents (undefined when missing) and where the built-in presets are. */
export interface GanFileHost {
  readFile(file: string): string | undefined;
  presetsDir: string;
}

/** Adam as the DCGAN paper sets it (lr 2e-4, β1 0.5) with PyTorch's β2. */
export const DEFAULT_ADAM: AdamSpec = { type: 'adam', learningRate: 2e-4, beta1: 0.5, beta2: 0.999 };

export interface Resolved {
  /** Absent when there are errors. */
  definition?: GanDefinition;
  /** Errors and warnings, each with the file it is in (a file this one extends may have its own). */
  problems: GanProblem[];
  /** Every layer's shape and parameters, when the image shape is known (from imageSize and the dataset, or given). */
  shapes?: GanShapes;
  /** The files read, the resolved one first. */
  files: string[];
}

type Merged = Record<string, unknown>;
/** Which file set each top-level field, so later problems point into the right file. */
type Origins = Record<string, string>;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge field by field, lists and values replace, null removes a field. */
function merge(base: Merged, own: Merged): Merged {
  const out: Merged = { ...base };
  for (const [key, value] of Object.entries(own)) {
    if (value === null) delete out[key];
    else out[key] = isPlainObject(value) && isPlainObject(out[key]) ? merge(out[key] as Merged, value) : value;
  }
  return out;
}

interface Loaded {
  value?: Merged;
  origins: Origins;
}

/** What `extends` names: a built-in preset's file or a path relative to the extending file. */
function extendsTarget(ext: string, from: string, host: GanFileHost): string | undefined {
  if (isBuiltinPreset(ext)) return presetFile(host.presetsDir, ext);
  if (ext.endsWith(GAN_FILE_SUFFIX) || ext.startsWith('.') || ext.includes('/') || ext.includes('\\')) return path.resolve(path.dirname(from), ext);
  return undefined;
}

/** Reads `file` and what it extends, merged; problems go to `problems`. `chain`: the files extending it, for cycles. */
function load(file: string, text: string, chain: string[], host: GanFileHost, problems: GanProblem[], files: string[]): Loaded {
  files.push(file);
  const at = (p: GanProblem) => problems.push({ ...p, file });
  const parsed = parseGanText(text);
  parsed.problems.forEach(at);
  if (parsed.value === undefined) return { origins: {} };
  const own = fileProblems(parsed.value);
  own.forEach(at);
  if (!isPlainObject(parsed.value) || own.some((p) => p.path.length === 0)) return { origins: {} };
  const value = parsed.value as GanFile & Merged;
  const mine: Origins = Object.fromEntries(Object.keys(value).map((k) => [k, file]));
  const ext = value.extends;
  if (typeof ext !== 'string') return { value, origins: mine };

  const fail = (message: string): Loaded => {
    at({ path: ['extends'], message, severity: 'error' });
    return { origins: {} };
  };
  const target = extendsTarget(ext, file, host);
  if (!target) return fail(`unknown extends "${ext}": use a built-in preset (${BUILTIN_PRESETS.join(', ')}) or a relative path to a ${GAN_FILE_SUFFIX} file`);
  if ([...chain, file].includes(target)) {
    const names = [...chain, file].slice([...chain, file].indexOf(target)).map((f) => path.basename(f));
    return fail(`extends makes a cycle: ${[...names, path.basename(target)].join(' → ')}`);
  }
  if (chain.length + 1 >= MAX_EXTENDS_DEPTH) return fail(`extends goes ${MAX_EXTENDS_DEPTH} files deep; at most ${MAX_EXTENDS_DEPTH - 1}`);
  const baseText = host.readFile(target);
  if (baseText === undefined) return fail(`extends "${ext}": there is no file ${target}`);
  const before = problems.filter((p) => p.severity === 'error').length;
  const base = load(target, baseText, [...chain, file], host, problems, files);
  const errors = problems.filter((p) => p.severity === 'error');
  if (!base.value || errors.length > before) {
    const first = errors[before];
    return fail(`"${ext}" has ${errors.length - before} problem${errors.length - before === 1 ? '' : 's'}${first ? `, the first: ${path.basename(first.file ?? '')} ${first.message}` : ''}`);
  }
  return { value: merge(base.value, value), origins: { ...base.origins, ...mine } };
}

const REQUIRED = ['latentDim', 'batchSize'] as const;

/** The merged fields with every default filled in, or the fields still missing. */
function complete(name: string, v: Merged): GanDefinition | string[] {
  const missing = REQUIRED.filter((k) => v[k] === undefined);
  if (!v.progressive) for (const net of ['generator', 'discriminator'] as const) if (v[net] === undefined) missing.push(net as never);
  if (missing.length) return missing;
  const file = v as GanFile;
  const noise = file.instanceNoise;
  const instanceNoise: InstanceNoise = typeof noise === 'number' ? { stddev: noise, annealSteps: 0 } : { stddev: noise?.stddev ?? 0, annealSteps: noise?.annealSteps ?? 0 };
  return {
    name,
    description: file.description ?? '',
    dataset: file.dataset ?? 'mnist',
    ...(file.imageSize !== undefined && { imageSize: file.imageSize }),
    latentDim: file.latentDim!,
    batchSize: file.batchSize!,
    ...(file.seed !== undefined && { seed: file.seed }),
    generator: file.generator ?? [],
    discriminator: file.discriminator ?? [],
    loss: file.loss ?? 'non-saturating',
    optimizer: {
      generator: { ...DEFAULT_ADAM, ...file.optimizer?.generator },
      discriminator: { ...DEFAULT_ADAM, ...file.optimizer?.discriminator },
    },
    discriminatorSteps: file.discriminatorSteps ?? 1,
    labelSmoothing: file.labelSmoothing ?? 0,
    instanceNoise,
    init: file.init ?? 'dcgan',
    generatorEma: file.generatorEma ?? 0,
    ...(file.semiSupervised && { semiSupervised: file.semiSupervised }),
    ...(file.progressive && { progressive: file.progressive }),
  };
}

/** The image shape a dataset spec is known to have without reading it: the MNISTs and CIFAR-10. */
export function knownImageShape(dataset: string): ImageShape | undefined {
  try {
    const kind = parseDatasetSpec(dataset).kind;
    return kind === 'mnist' || kind === 'fashion-mnist' ? { size: 28, channels: 1 } : kind === 'cifar10' ? { size: 32, channels: 3 } : undefined;
  } catch {
    return undefined;
  }
}

/** Problems that depend on several fields: a progressive GAN's lists, losses a semi-supervised D cannot train with. */
function combinationProblems(def: GanDefinition): GanProblem[] {
  const problems: GanProblem[] = [];
  const error = (p: string[], message: string) => problems.push({ path: p, message, severity: 'error' });
  if (def.progressive && (def.generator.length || def.discriminator.length)) {
    error(['progressive'], 'a progressive GAN builds its own networks: set "generator" and "discriminator" to [] or remove "progressive" (null)');
  }
  if (def.semiSupervised && (def.loss === 'hinge' || def.loss === 'least-squares')) {
    error(['loss'], `a semi-supervised D learns by cross-entropy: use non-saturating, minimax or feature-matching, not ${def.loss}`);
  }
  if (def.progressive && def.semiSupervised) error(['semiSupervised'], 'a progressive GAN cannot also be semi-supervised: remove one of them (null)');
  for (const [section, fields] of Object.entries(SECTION_FIELDS)) {
    const value = def[section as keyof typeof SECTION_FIELDS] as Record<string, unknown> | undefined;
    const missing = value ? fields.filter((f) => value[f] === undefined) : [];
    if (missing.length) error([section], `${section} needs ${missing.map((f) => `"${f}"`).join(', ')}`);
  }
  if (def.semiSupervised && def.discriminatorSteps > 1) error(['discriminatorSteps'], 'a semi-supervised run updates D once a step: set discriminatorSteps to 1');
  return problems;
}

/** A progressive GAN's image side must be reached from startSize by doubling once per channel entry. */
function progressiveProblems(def: GanDefinition, image: ImageShape, imageWhat: string): GanProblem[] {
  const spec = def.progressive;
  if (!spec) return [];
  const top = spec.startSize * 2 ** (spec.channels.length - 1);
  if (top === image.size) return [];
  return [{ path: ['progressive', 'startSize'], message: `a progressive GAN starting at ${spec.startSize}×${spec.startSize} with ${spec.channels.length} resolutions grows to ${top}×${top}; ${imageWhat} ${image.size}×${image.size}`, severity: 'error' }];
}

/**
 * Resolves the text of `file` (an open editor's, or read from disk) with everything it extends. `image`: the shape of
 * the training images when known (the trainer, after loading the data); otherwise taken from imageSize and the dataset.
 */
export function resolveGanText(text: string, file: string, host: GanFileHost, image?: ImageShape): Resolved {
  const problems: GanProblem[] = [];
  const files: string[] = [];
  const loaded = load(path.resolve(file), text, [], host, problems, files);
  if (!loaded.value || problems.some((p) => p.severity === 'error')) return { problems, files };
  const top = files[0];
  // A problem in a field this file takes from the one it extends is shown at its `extends`, where the user can act on it.
  const placed = (p: GanProblem): GanProblem => {
    const owner = loaded.origins[String(p.path[0])] ?? top;
    if (owner === top) return { ...p, file: top };
    return { ...p, file: top, path: ['extends'], message: `${p.message} (${formatPath(p.path)} comes from ${path.basename(owner)})` };
  };
  const definition = complete(nameOfFile(file), loaded.value);
  if (Array.isArray(definition)) {
    problems.push(...definition.map((k): GanProblem => ({ file: top, path: [], message: `${k} is missing: set it, or extend a preset that has it ("extends": "mnist-dcgan")`, severity: 'error' })));
    return { problems, files };
  }
  problems.push(...combinationProblems(definition).map(placed));
  const known = knownImageShape(definition.dataset);
  const size = definition.imageSize ?? image?.size ?? known?.size;
  const shape = size === undefined ? undefined : { size, channels: image?.channels ?? known?.channels ?? 1 };
  let shapes: GanShapes | undefined;
  if (shape && !problems.length) {
    const what = definition.imageSize !== undefined ? 'imageSize is' : 'the dataset\'s images are';
    shapes = inferShapes(definition, shape, what);
    problems.push(...[...shapes.problems, ...progressiveProblems(definition, shape, what)].map(placed));
  }
  const ok = !problems.some((p) => p.severity === 'error');
  return { ...(ok && { definition }), problems, ...(shapes && { shapes }), files };
}

/** Resolves a `.gan.json` on disk. */
export function resolveGanFile(file: string, host: GanFileHost, image?: ImageShape): Resolved {
  const text = host.readFile(path.resolve(file));
  if (text === undefined) return { problems: [{ file: path.resolve(file), path: [], message: `there is no file ${path.resolve(file)}`, severity: 'error' }], files: [] };
  return resolveGanText(text, file, host, image);
}
