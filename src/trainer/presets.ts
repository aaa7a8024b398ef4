// The GANs the trainer can build: the built-in presets (presets/*.gan.json) and any `.gan.json`, resolved by src/ganFile.
import * as fs from 'node:fs';
import { BUILTIN_PRESETS, presetFile } from '../ganFile/presets';
import { GanFileHost, resolveGanFile } from '../ganFile/resolve';
import { GanDefinition, formatPath, GanProblem, ImageShape } from '../ganFile/types';
import { enlargement } from '../ganFile/shapes';
import { presetsDir } from './assets';

export type { ImageShape, LayerSpec, ProgressiveSpec, SemiSupervisedSpec } from '../ganFile/types';
/** A resolved GAN: what the trainer builds. */
export type Preset = GanDefinition;

/** Files from disk, the presets from beside the bundle. */
export const diskHost = (): GanFileHost => ({
  readFile: (file) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  presetsDir: presetsDir(),
});

/** `presets/mnist-dcgan.gan.json: generator[6].filters: …`, one line a problem. */
export function describeProblems(problems: GanProblem[]): string {
  const where = (p: GanProblem) => (p.offset !== undefined || p.path.length === 0 || p.message.startsWith(formatPath(p.path)) ? '' : `${formatPath(p.path)}: `);
  return problems.map((p) => `${p.file ? `${p.file}: ` : ''}${where(p)}${p.message}`).join('\n');
}

/** Resolves a `.gan.json`, or throws every error in it (path and reason, one a line). */
export function loadGanFile(file: string, image?: ImageShape): Preset {
  const resolved = resolveGanFile(file, diskHost(), image);
  if (!resolved.definition) throw new Error(`${file} is not a valid GAN definition:\n${describeProblems(resolved.problems.filter((p) => p.severity === 'error'))}`);
  return resolved.definition;
}

function loadPresets(): Record<string, Preset> {
  const dir = presetsDir();
  return Object.fromEntries(BUILTIN_PRESETS.map((name) => [name, loadGanFile(presetFile(dir, name))]));
}

/** The built-in presets by name, read once when the trainer starts. */
export const PRESETS: Record<string, Preset> = loadPresets();

export function getPreset(name: string): Preset {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`Unknown preset "${name}"; available: ${BUILTIN_PRESETS.join(', ')}`);
  return preset;
}

/** How much G's layers after its projection enlarge the projected map: the image side must be a multiple of it. */
export function upsampling(preset: Preset): number {
  const project = preset.generator.findIndex((l) => l.type === 'project');
  return enlargement(preset.generator.slice(project + 1));
}

/** The image shape a preset trains at on data of `dataSide` × `dataSide` × `channels`. */
export function imageShapeFor(preset: Preset, dataSide: number, channels: number): ImageShape {
  const size = preset.imageSize ?? dataSide;
  const growing = preset.progressive;
  if (growing) {
    const top = growing.startSize * 2 ** (growing.channels.length - 1);
    if (size !== top) throw new Error(`Preset "${preset.name}" grows from ${growing.startSize}×${growing.startSize} to ${top}×${top} images; the dataset's are ${dataSide}×${dataSide}`);
    return { size, channels };
  }
  const factor = upsampling(preset);
  if (!Number.isInteger(size / factor)) {
    throw new Error(`Preset "${preset.name}" needs an image side divisible by ${factor}; the dataset's images are ${dataSide}×${dataSide}`);
  }
  return { size, channels };
}
