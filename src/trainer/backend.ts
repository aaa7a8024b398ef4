// Picks the tensor backend the trainer runs on, and says why the faster ones were skipped.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// A named import: bundlers drop a bare one, as the package declares itself free of side effects.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BackendChoice, BACKENDS, SkippedBackend } from '../protocol/trainer';
import { wasmDir } from './assets';
import { registerConv2dBackpropFilter } from './kernels/conv2dBackpropFilter';

export interface BackendInfo {
  backend: string;
  device: string;
  threads: number;
  skipped: SkippedBackend[];
  tfjsVersion: string;
}

/** Initialises one backend, or throws saying why it cannot be used here. */
type Rung = () => Promise<Omit<BackendInfo, 'skipped' | 'tfjsVersion'>>;

/**
 * Tries the rungs of the ladder in order (only the chosen one when the user pinned one) and
 * initialises the first that works. Throws when a pinned backend cannot be used.
 */
export async function initBackend(choice: BackendChoice): Promise<BackendInfo> {
  const ladder: [BackendChoice, Rung][] = [['tensorflow', tryTensorflow], ['webgpu', tryWebgpu], ['wasm', tryWasm], ['cpu', tryCpu]];
  const rungs = choice === 'auto' ? ladder.filter(([name]) => name !== 'cpu') : ladder.filter(([name]) => name === choice);
  const skipped: SkippedBackend[] = [];
  // Production mode: skips debug checks and tfjs's console banner (the trainer's stdout goes to the user's log).
  tf.enableProdMode();
  for (const [name, rung] of rungs) {
    try {
      return { ...(await rung()), skipped, tfjsVersion: tf.version_core };
    } catch (e) {
      skipped.push({ backend: name, reason: (e as Error).message });
    }
  }
  const reasons = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new Error(`No usable backend for setting "${choice}" (${reasons})`);
}

/** The backend choice from GANSCOPE_BACKEND (the run config carries none yet), default "auto". */
export function backendChoiceFromEnv(): BackendChoice {
  const value = process.env.GANSCOPE_BACKEND ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new Error(`GANSCOPE_BACKEND is "${value}"; use one of ${BACKENDS.join(', ')}`);
  }
  return value as BackendChoice;
}

const tryTensorflow: Rung = async () => {
  // Resolved at run time, never bundled: the native packages are installed on demand.
  const load = createRequire(__filename);
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      load(pkg);
    } catch (e) {
      const missing = (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
      reasons.push(`${pkg} ${missing ? 'is not installed' : `failed to load: ${(e as Error).message}`}`);
      continue;
    }
    // A copy of tfjs-core other than ours registers the backend with another engine, not this one.
    if (tf.findBackendFactory('tensorflow') && (await tf.setBackend('tensorflow'))) {
      return { backend: 'tensorflow', device: pkg.endsWith('-gpu') ? 'GPU (libtensorflow)' : 'CPU (libtensorflow)', threads: 0 };
    }
    reasons.push(`${pkg} loaded but did not register with the trainer's tfjs-core`);
  }
  throw new Error(reasons.join('; '));
};

const tryWebgpu: Rung = async () => {
  throw new Error('not supported by this trainer yet');
};

const tryWasm: Rung = async () => {
  const dir = wasmDir();
  // When the bundle's wasm folder is absent (running from sources), tfjs finds its own binaries.
  if (process.env.GANSCOPE_WASM_DIR !== undefined || fs.existsSync(dir)) setWasmPaths(dir + path.sep);
  registerConv2dBackpropFilter();
  if (!(await tf.setBackend('wasm'))) throw new Error(`could not initialise (wasm binaries looked for in ${dir})`);
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { backend: 'wasm', device: simd ? 'CPU (wasm SIMD)' : 'CPU (wasm)', threads: getThreadsCount() };
};

const tryCpu: Rung = async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error('could not initialise');
  return { backend: 'cpu', device: `CPU (JavaScript, tfjs-backend-cpu ${version_cpu})`, threads: 1 };
};
