// Where the trainer finds the files the build puts beside its bundle, overridable for tests and dev runs.
import * as path from 'node:path';

/** Folder holding tfjs-backend-wasm's .wasm binaries (the build copies them to out/wasm). */
export function wasmDir(): string {
  return process.env.GANSCOPE_WASM_DIR ?? path.join(__dirname, 'wasm');
}

/** Folder holding the MNIST IDX files, gzipped or raw (the build writes data/mnist/*.gz). */
export function mnistDir(): string {
  return process.env.GANSCOPE_DATA_DIR ?? path.join(__dirname, '..', 'data', 'mnist');
}
