// The one way the extension makes a trainer host: the bundled trainer, with the native backends the extension installed.
import * as vscode from 'vscode';
import { BackendChoice } from '../protocol/trainer';
import { nativeModulesDir } from './nativeBackend';
import { TrainerHost } from './trainerHost';

export function trainerFactory(context: vscode.ExtensionContext): (backend: BackendChoice, role?: 'train' | 'inspect') => TrainerHost {
  const trainerPath = vscode.Uri.joinPath(context.extensionUri, 'out', 'trainer.js').fsPath;
  const env = { GANSCOPE_NATIVE_MODULES: nativeModulesDir(context.globalStorageUri.fsPath) };
  // An inspector probes a handful of images: one wasm thread starts in tens of milliseconds where a thread pool takes
  // seconds to spin up, and it leaves the cores to the run being trained.
  const inspectorEnv = { ...env, GANSCOPE_WASM_THREADS: process.env.GANSCOPE_WASM_THREADS ?? '1' };
  return (backend, role = 'train') => new TrainerHost({ trainerPath, backend, env: role === 'inspect' ? inspectorEnv : env });
}
