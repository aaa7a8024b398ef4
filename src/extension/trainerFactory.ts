// The one way the extension makes a trainer host: the bundled trainer, with the native backends the extension installed.
import * as vscode from 'vscode';
import { BackendChoice } from '../protocol/trainer';
import { nativeModulesDir } from './nativeBackend';
import { TrainerHost } from './trainerHost';

export function trainerFactory(context: vscode.ExtensionContext): (backend: BackendChoice) => TrainerHost {
  const trainerPath = vscode.Uri.joinPath(context.extensionUri, 'out', 'trainer.js').fsPath;
  const env = { GANSCOPE_NATIVE_MODULES: nativeModulesDir(context.globalStorageUri.fsPath) };
  return (backend) => new TrainerHost({ trainerPath, backend, env });
}
