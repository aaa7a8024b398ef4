// Where the trainer finds the files the build puts beside its bundle, overridable for tests and dev runs.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folder holding tfjs-backend-wasm's .wasm binaries (the build copies them to out/wasm). */
export function wasmDir(): string {
  return process.env.GANSCOPE_WASM_DIR ?? path.join(__dirname, 'wasm');
}

/** Folder holding the MNIST IDX files, gzipped or raw (the build writes data/mnist/*.gz). */
export function mnistDir(): string {
  return process.env.GANSCOPE_DATA_DIR ?? path.join(__dirname, '..', 'data', 'mnist');
}

/**
 * Folder holding the built-in presets' `.gan.json` files: presets/ at the repository root, beside out/ in a bundle
 * and two levels above these sources when run with tsx.
 */
export function presetsDir(): string {
  if (process.env.GANSCOPE_PRESETS_DIR) return process.env.GANSCOPE_PRESETS_DIR;
  const bundled = path.join(__dirname, '..', 'presets');
  return fs.existsSync(bundled) ? bundled : path.join(__dirname, '..', '..', 'presets');
}
