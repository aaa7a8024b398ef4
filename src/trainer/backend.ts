// Picks the tensor backend the trainer runs on, and says why the faster ones were skipped.
import * as fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
// A named import: bundlers drop a bare one, as the package declares itself free of side effects.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { BackendWasm, getThreadsCount, setThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendChoice, BACKENDS, SkippedBackend } from '../protocol/trainer';
import { wasmDir } from './assets';
import { registerWasmKernels } from './kernels';

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

// ---- tensorflow: @tensorflow/tfjs-node-gpu, then @tensorflow/tfjs-node ----

export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** Where a native package was found, or why it could not be loaded. */
export type NativeLoad = { pkg: string; from: string } | { pkg: string; error: string };

/**
 * Loads the first native package that works from `nativeDir` (GANSCOPE_NATIVE_MODULES: the node_modules folder in the
 * extension's global storage that it installs them into), and from nowhere else: a package in a node_modules folder
 * above the trainer or the workspace would run native code nobody chose to install. Whatever copy of
 * @tensorflow/tfjs-core those packages would load is served the trainer's own instance, so their backend
 * registers with the trainer's engine. Returns one entry per package tried, in order; the first with `from` loaded.
 */
export function loadNativePackage(nativeDir: string | undefined, packages: readonly string[] = TENSORFLOW_PACKAGES,
  core: object = tf, load: NodeJS.Require = createRequire(__filename)): NativeLoad[] {
  const tried: NativeLoad[] = [];
  for (const pkg of packages) {
    let error = notInstalled(nativeDir);
    for (const [from, resolve] of nativeLocations(pkg, nativeDir)) {
      let entry: string;
      try {
        entry = resolve();
      } catch {
        continue; // not there
      }
      try {
        shareCore(entry, core);
        load(entry);
        tried.push({ pkg, from });
        return tried;
      } catch (e) {
        error = `failed to load from ${from}: ${firstLine((e as Error).message)}`;
      }
    }
    tried.push({ pkg, error });
  }
  return tried;
}

/**
 * Where a package installed on demand may be: only `nativeDir`. An absolute path is resolved as it is, never by
 * climbing parent folders as a bare package name would be.
 */
function nativeLocations(pkg: string, nativeDir: string | undefined): [string, () => string][] {
  return nativeDir ? [[nativeDir, () => require.resolve(path.join(nativeDir, pkg))]] : [];
}

function notInstalled(nativeDir: string | undefined): string {
  return nativeDir
    ? 'is not installed'
    : 'is not installed (GANSCOPE_NATIVE_MODULES names no folder: run "GANscope: Install Native TensorFlow Backend", or start ganscope-train from a VS Code terminal)';
}

/** Makes `require('@tensorflow/tfjs-core')` from inside the package at `entry` return `core`. */
function shareCore(entry: string, core: object): void {
  let corePath: string;
  try {
    corePath = require.resolve('@tensorflow/tfjs-core', { paths: [path.dirname(entry)] });
  } catch {
    return; // the package brings no tfjs-core of its own: it will fail to load and say so
  }
  if (require.cache[corePath]?.exports === core) return;
  const shared = new Module(corePath);
  shared.filename = corePath;
  shared.loaded = true;
  shared.exports = core;
  require.cache[corePath] = shared;
}

const firstLine = (s: string) => s.split('\n')[0];

const tryTensorflow: Rung = async () => {
  // Resolved at run time, never bundled: the native packages are installed on demand.
  const tried = loadNativePackage(process.env.GANSCOPE_NATIVE_MODULES);
  const loaded = tried.find((t): t is { pkg: string; from: string } => 'from' in t);
  const reasons = tried.filter((t): t is { pkg: string; error: string } => 'error' in t).map((t) => `${t.pkg} ${t.error}`);
  if (!loaded) throw new Error(reasons.join('; '));
  if (!tf.findBackendFactory('tensorflow') || !(await tf.setBackend('tensorflow'))) {
    throw new Error([...reasons, `${loaded.pkg} loaded from ${loaded.from} but did not register with the trainer's tfjs-core`].join('; '));
  }
  return { backend: 'tensorflow', device: loaded.pkg.endsWith('-gpu') ? 'GPU (libtensorflow)' : 'CPU (libtensorflow)', threads: 0 };
};

// ---- webgpu: Dawn's Node bindings (npm `webgpu`) + @tensorflow/tfjs-backend-webgpu, on real GPU hardware only ----

/** Adapters that run WebGPU on the CPU: slower than wasm. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software|basic render driver|warp/i;

/** Why an adapter is not real GPU hardware, or undefined when it is. */
export function softwareAdapterReason(adapter: { isFallbackAdapter?: boolean; info?: Record<string, unknown> }): string | undefined {
  if (adapter.isFallbackAdapter) return 'the only adapter is a fallback (software) adapter';
  const info = adapter.info ?? {};
  const name = ['vendor', 'architecture', 'device', 'description'].map((k) => info[k]).filter((v) => typeof v === 'string' && v).join(' ');
  if (SOFTWARE_ADAPTER.test(name)) return `the only adapter is a software renderer (${name})`;
  return undefined;
}

/** The parts of Dawn's `navigator.gpu` and its adapter this rung reads. */
interface DawnAdapter {
  isFallbackAdapter?: boolean;
  info?: Record<string, unknown>;
  requestAdapterInfo?: () => Promise<Record<string, unknown>>;
}
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string }): Promise<DawnAdapter | null>;
}

const tryWebgpu: Rung = async () => {
  const load = createRequire(__filename);
  const extra = process.env.GANSCOPE_NATIVE_MODULES;
  const find = (pkg: string) => {
    for (const [, resolve] of nativeLocations(pkg, extra)) {
      try {
        return resolve();
      } catch {
        // not there; try the next place
      }
    }
    throw new Error(`${pkg} ${notInstalled(extra)}`);
  };
  const dawn = load(find('webgpu')) as { create(flags: string[]): DawnGpu; globals: object };
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter (no Vulkan/Metal/D3D12 GPU driver found)');
  const info = adapter.info ?? await adapter.requestAdapterInfo?.();
  const reason = softwareAdapterReason({ isFallbackAdapter: adapter.isFallbackAdapter, info });
  if (reason) throw new Error(reason);
  // tfjs-backend-webgpu asks navigator.gpu for its adapter.
  Object.defineProperty(globalThis, 'navigator', { value: { ...((globalThis as { navigator?: object }).navigator ?? {}), gpu }, configurable: true });
  const webgpuEntry = find('@tensorflow/tfjs-backend-webgpu');
  shareCore(webgpuEntry, tf);
  load(webgpuEntry);
  if (!(await tf.setBackend('webgpu'))) throw new Error('@tensorflow/tfjs-backend-webgpu could not initialise on this adapter');
  const name = ['vendor', 'architecture', 'device', 'description'].map((k) => info?.[k]).filter((v) => typeof v === 'string' && v).join(' ');
  return { backend: 'webgpu', device: `GPU (WebGPU: ${name || 'unknown adapter'})`, threads: 0 };
};

// ---- wasm: XNNPACK with SIMD and, where it works, a pool of worker threads ----

/** XNNPACK's thread pool beyond 8 threads gains little on these models, and Emscripten pre-spawns 8 workers. */
const MAX_WASM_THREADS = 8;
/** How long the threaded build may take to start its workers before the single-threaded one is used. */
const THREADED_START_TIMEOUT_MS = 30_000;

/** How many wasm threads to ask for: GANSCOPE_WASM_THREADS if set, else the cores, at most 8. */
export function wasmThreadsWanted(): number {
  const forced = process.env.GANSCOPE_WASM_THREADS;
  if (forced !== undefined && forced !== '') {
    const n = Number(forced);
    if (!Number.isInteger(n) || n < 1) throw new Error(`GANSCOPE_WASM_THREADS is "${forced}"; use a whole number of threads, 1 or more`);
    return Math.min(n, MAX_WASM_THREADS);
  }
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_WASM_THREADS));
}

const tryWasm: Rung = async () => {
  const dir = wasmDir();
  // When the bundle's wasm folder is absent (running from sources), tfjs finds its own binaries.
  const ownDir = process.env.GANSCOPE_WASM_DIR !== undefined || fs.existsSync(dir);
  if (ownDir) setWasmPaths(dir + path.sep);
  registerWasmKernels();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const wanted = wasmThreadsWanted();
  let why = wanted === 1 ? (process.env.GANSCOPE_WASM_THREADS ? 'GANSCOPE_WASM_THREADS=1' : 'this machine has one core') : '';
  if (wanted > 1) {
    if (!simd) why = 'this runtime lacks wasm SIMD, which the threaded build needs';
    else {
      try {
        const threads = await startThreadedWasm(ownDir ? dir : path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm')), wanted);
        console.log(`GANscope trainer: wasm runs on ${threads} threads (XNNPACK pool; ${wanted} wanted)`);
        return { backend: 'wasm', device: 'CPU (wasm SIMD)', threads };
      } catch (e) {
        why = `the threaded build did not start: ${firstLine((e as Error).message)}`;
      }
    }
  }
  if (!(await tf.setBackend('wasm'))) throw new Error(`could not initialise (wasm binaries looked for in ${dir})`);
  console.log(`GANscope trainer: wasm runs on 1 thread: ${why}`);
  return { backend: 'wasm', device: simd ? 'CPU (wasm SIMD)' : 'CPU (wasm)', threads: getThreadsCount() };
};

/** The Emscripten module of tfjs' threaded SIMD build: what BackendWasm wraps. */
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => unknown;
  PThread: { unusedWorkers: { unref(): void }[]; runningWorkers: { unref(): void }[]; terminateAllThreads(): void };
  tfjs?: Record<string, unknown>;
}

/**
 * tfjs turns wasm threads off under Node (tfjs#3830): its worker script and main script are Blob URLs, which Node's
 * Worker cannot load. This starts the same threaded build with both scripts written to files, registers it as the
 * 'wasm' backend with `threads` XNNPACK threads, and returns how many threads it really has. Throws (leaving the
 * stock single-threaded 'wasm' backend registered) when it cannot.
 */
async function startThreadedWasm(binaryDir: string, threads: number): Promise<number> {
  const factory = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js') as (config: object) => Promise<ThreadedModule>;
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as { wasmWorkerContents: string };
  // The worker script is kept as a template literal whose "\n" escapes became newlines: put them back, as tfjs does.
  const scripts = writeThreadScripts(`var WasmBackendModuleThreadedSimd = ${factory.toString()};`, wasmWorkerContents.replace(/\n/g, '\\n'));
  const binary = path.join(binaryDir, 'tfjs-backend-wasm-threaded-simd.wasm');
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing`);

  const stockFactory = tf.findBackendFactory('wasm');
  let aborted = '';
  // The C++ side caps the pool at half the logical cores Emscripten reports (os.cpus() under Node), set as the module
  // starts: while it starts, report twice the threads wanted. The real module object, which the glue requires.
  const nodeOs = require('node:os') as typeof os;
  const realCpus = nodeOs.cpus;
  nodeOs.cpus = () => {
    const cpus = realCpus();
    return Array.from({ length: 2 * threads }, (_, i) => cpus[i % cpus.length]);
  };
  let started: Promise<ThreadedModule>;
  try {
    started = factory({
      locateFile: (file: string) => (file.endsWith('.worker.js') ? scripts.worker : binary),
      mainScriptUrlOrBlob: scripts.main,
      onAbort: (what: unknown) => (aborted = String(what)),
    });
    void started.finally(() => (nodeOs.cpus = realCpus)).catch(() => undefined);
  } catch (e) {
    nodeOs.cpus = realCpus;
    throw e;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`its workers did not start within ${THREADED_START_TIMEOUT_MS / 1000} s`)), THREADED_START_TIMEOUT_MS);
  });
  let module: ThreadedModule;
  try {
    module = await Promise.race([started, timeout]);
  } catch (e) {
    throw new Error(aborted || (e as Error).message);
  } finally {
    clearTimeout(timer);
    nodeOs.cpus = realCpus;
  }
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]), 2);
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the threaded backend did not initialise');
  } catch (e) {
    module.PThread.terminateAllThreads();
    tf.removeBackend('wasm');
    if (stockFactory) tf.registerBackend('wasm', stockFactory, 2);
    throw e;
  }
  // Idle and pool workers must not keep the process alive once training is over (the trainer exits explicitly anyway).
  for (const w of [...module.PThread.unusedWorkers, ...module.PThread.runningWorkers]) w.unref();
  return getThreadsCount();
}

/** Writes the threaded build's main and worker scripts to a folder of the temp dir, once per tfjs version. */
function writeThreadScripts(main: string, worker: string): { main: string; worker: string } {
  const dir = path.join(os.tmpdir(), `ganscope-tfjs-wasm-${version_wasm}`);
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, text: string) => {
    // A script that does not compile would fail inside a worker, where the error cannot be caught: check it here.
    new vm.Script(text, { filename: name });
    const file = path.join(dir, name);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text) return file;
    // Written under a unique name and renamed, so two trainers starting at once never read half a file.
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, text);
    fs.renameSync(temp, file);
    return file;
  };
  return { main: write('tfjs-backend-wasm-threaded-simd.js', main), worker: write('tfjs-backend-wasm-threaded-simd.worker.js', worker) };
}

const tryCpu: Rung = async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error('could not initialise');
  return { backend: 'cpu', device: `CPU (JavaScript, tfjs-backend-cpu ${version_cpu})`, threads: 1 };
};
