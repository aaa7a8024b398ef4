// The built-in presets: `.gan.json` files in the repository's presets/ folder, shipped beside the bundles.
import * as path from 'node:path';

export const BUILTIN_PRESETS = ['mnist-dcgan', 'mnist-tiny', 'talk-dcgan-64', 'mnist-ssgan-100', 'mnist-progressive'] as const;
export type BuiltinPreset = (typeof BUILTIN_PRESETS)[number];

export const GAN_FILE_SUFFIX = '.gan.json';

export const isBuiltinPreset = (name: string): name is BuiltinPreset => (BUILTIN_PRESETS as readonly string[]).includes(name);

/** The file of a built-in preset in `presetsDir`. */
export const presetFile = (presetsDir: string, name: BuiltinPreset): string => path.join(presetsDir, `${name}${GAN_FILE_SUFFIX}`);

/** A definition's name: its file's name without `.gan.json`. */
export const nameOfFile = (file: string): string => path.basename(file).replace(/\.gan\.json$|\.json$/, '');
