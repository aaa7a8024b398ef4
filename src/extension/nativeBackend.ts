// Installs native backends (tfjs-node-gpu, tfjs-node, or WebGPU through Dawn) on demand into the extension's
// global storage, where the trainer resolves them.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withInstallLock } from './installLock';
import { onLines } from './lines';

/** What each choice installs, at the versions that share the trainer's tfjs-core 4.22.0. */
export const INSTALL_SPECS = {
  gpu: ['@tensorflow/tfjs-node-gpu@4.22.0'],
  cpu: ['@tensorflow/tfjs-node@4.22.0'],
  webgpu: ['@tensorflow/tfjs-backend-webgpu@4.22.0', 'webgpu@0.6.2'],
} as const;
export type NativeFlavour = keyof typeof INSTALL_SPECS;

/** `@scope/name@1.2.3` → `@scope/name`. */
const packageName = (spec: string) => spec.slice(0, spec.lastIndexOf('@'));

export class NativeInstallError extends Error {}

/** npm downloads libtensorflow (hundreds of MB) for the TensorFlow builds: slow links need minutes. */
export const INSTALL_TIMEOUT_MS = 20 * 60_000;
/** Loading the installed package: seconds normally; a native library that hangs must not hang the install. */
export const LOAD_TIMEOUT_MS = 60_000;

/** Where native backends live: `<globalStorage>/native/node_modules`, passed to the trainer as GANSCOPE_NATIVE_MODULES. */
export function nativeModulesDir(globalStorage: string): string {
  return path.join(globalStorage, 'native', 'node_modules');
}

/** Which native packages are installed there. */
export function installedNativePackages(globalStorage: string): string[] {
  const dir = nativeModulesDir(globalStorage);
  return Object.values(INSTALL_SPECS).flat().map(packageName).filter((pkg) => fs.existsSync(path.join(dir, pkg, 'package.json')));
}

export interface InstallOptions {
  globalStorage: string;
  flavour: NativeFlavour;
  /** Each line npm prints, for the log and the progress notification. */
  onLine: (line: string) => void;
  npmCommand?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  loadTimeoutMs?: number;
}

/**
 * Runs `npm install` in the native folder, one install at a time (a lock file there, which other windows see too);
 * throws a NativeInstallError that says what went wrong and what to do.
 */
export async function installNativeBackend(options: InstallOptions): Promise<void> {
  const root = path.dirname(nativeModulesDir(options.globalStorage));
  fs.mkdirSync(root, { recursive: true });
  const timeoutMs = options.timeoutMs ?? INSTALL_TIMEOUT_MS;
  await withInstallLock(root, timeoutMs + (options.loadTimeoutMs ?? LOAD_TIMEOUT_MS), async () => {
    const manifest = path.join(root, 'package.json');
    if (!fs.existsSync(manifest)) fs.writeFileSync(manifest, JSON.stringify({ name: 'ganscope-native-backends', private: true }, null, 2));
    const specs = INSTALL_SPECS[options.flavour];
    const output: string[] = [];
    const code = await runNpm(options, root, timeoutMs, output);
    if (code !== 0) throw new NativeInstallError(explainFailure(specs.join(' and '), output.join('\n'), root));
    // The WebGPU rung checks its adapter when the trainer starts; the native bindings can be checked now.
    if (options.flavour !== 'webgpu') await verifyLoads(packageName(specs[0]), root, options.loadTimeoutMs ?? LOAD_TIMEOUT_MS);
  });
}

/** `npm install` of the flavour's packages in `root`, its lines to `output`; the exit code, or a NativeInstallError. */
function runNpm(options: InstallOptions, root: string, timeoutMs: number, output: string[]): Promise<number | null> {
  const args = ['install', '--no-audit', '--no-fund', '--omit=dev', '--save-exact', ...INSTALL_SPECS[options.flavour]];
  return new Promise<number | null>((resolve, reject) => {
    const child = spawn(options.npmCommand ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm'), args, {
      cwd: root,
      signal: options.signal,
      shell: process.platform === 'win32',
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    const onLine = (line: string) => {
      if (!line.trim()) return;
      output.push(line);
      options.onLine(line);
    };
    onLines(child.stdout, onLine);
    onLines(child.stderr, onLine);
    const timer = setTimeout(() => {
      child.kill();
      reject(new NativeInstallError(`npm install did not finish within ${minutes(timeoutMs)} and was stopped (${root}). ` +
        'Check the network connection (a slow link needs longer for libtensorflow\'s download) and try again.'));
    }, timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ENOENT') reject(new NativeInstallError('npm was not found on PATH. Install Node.js (which includes npm) and try again.'));
      else if (err.name === 'AbortError') reject(new NativeInstallError('The installation was cancelled.'));
      else reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** A timeout as a person reads it. */
function minutes(ms: number): string {
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} minutes`;
  return ms >= 1000 ? `${Math.round(ms / 1000)} seconds` : `${ms} ms`;
}

/** Loads the installed package in a fresh Node process, as the trainer will: catches a CUDA mismatch now, not mid-run. */
export async function verifyLoads(pkg: string, root: string, timeoutMs = LOAD_TIMEOUT_MS): Promise<void> {
  const stderr = await new Promise<string>((resolve) => {
    // By its path in the native folder: a bare name would also find a copy in a node_modules folder above it.
    const entry = path.join(root, 'node_modules', pkg);
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(entry)})`], {
      cwd: root,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      err = `loading it did not finish within ${minutes(timeoutMs)}`;
    }, timeoutMs);
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? '' : err || `exit code ${code}`);
    });
  });
  if (!stderr) return;
  if (/libcudart|libcudnn|libcublas|CUDA/i.test(stderr)) {
    throw new NativeInstallError(
      `${pkg} installed but cannot load: it needs NVIDIA CUDA 11.2 and cuDNN 8.1 (${stderr.match(/lib\w+\.so[\w.]*/)?.[0] ?? 'CUDA libraries'} not found). ` +
        'Install those, or install the CPU build (@tensorflow/tfjs-node) instead.',
    );
  }
  throw new NativeInstallError(`${pkg} installed but cannot load: ${stderr.split('\n').find((l) => /Error/.test(l)) ?? stderr.trim()}`);
}

/** Turns npm's output into one sentence a user can act on. */
export function explainFailure(pkg: string, output: string, folder: string): string {
  const host = output.match(/getaddrinfo \w+ ([\w.-]+)/)?.[1];
  if (host || /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network/i.test(output)) {
    const what = /libtensorflow/.test(output) ? 'the libtensorflow library' : 'the package';
    return `Installing ${pkg} failed: ${what} could not be downloaded${host ? ` from ${host}` : ''}. ` +
      'Check the network connection (or the proxy: TFJS_NODE_CDN_STORAGE names a mirror) and try again; GANscope keeps training on WebAssembly meanwhile.';
  }
  if (/EACCES|EPERM/.test(output)) return `Installing ${pkg} failed: no permission to write to ${folder}.`;
  if (/ENOSPC/.test(output)) return `Installing ${pkg} failed: the disk is full (${folder}).`;
  const last = output.split('\n').filter((l) => /error/i.test(l)).slice(-1)[0] ?? 'see the GANscope log';
  return `Installing ${pkg} failed: ${last.replace(/^npm error\s*/i, '')}`;
}
