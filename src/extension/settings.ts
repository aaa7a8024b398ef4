// Reads the `ganscope.*` settings into a run configuration, naming the setting that is wrong.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BackendChoice, BACKENDS, RunConfig } from '../protocol/trainer';

export class SettingsError extends Error {
  constructor(readonly setting: string, message: string) {
    super(message);
  }
}

export interface TrainerSettings {
  config: RunConfig;
  backend: BackendChoice;
}

/** Where runs are written: the setting, resolved against the first workspace folder, else global storage. */
export function runsFolder(context: vscode.ExtensionContext): string {
  const configured = vscode.workspace.getConfiguration('ganscope').get<string>('runsFolder', '.ganscope/runs');
  if (path.isAbsolute(configured)) return configured;
  const workspace = vscode.workspace.workspaceFolders?.[0];
  return workspace ? path.join(workspace.uri.fsPath, configured) : path.join(context.globalStorageUri.fsPath, 'runs');
}

export function readTrainerSettings(context: vscode.ExtensionContext): TrainerSettings {
  const cfg = vscode.workspace.getConfiguration('ganscope');
  const presets = presetNames(context);
  const preset = cfg.get<string>('trainer.preset', 'mnist-dcgan');
  if (!presets.includes(preset)) {
    throw new SettingsError('ganscope.trainer.preset', `Unknown preset "${preset}" in ganscope.trainer.preset. Choose one of: ${presets.join(', ')}.`);
  }
  const backend = cfg.get<string>('trainer.backend', 'auto');
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new SettingsError('ganscope.trainer.backend', `Unknown backend "${backend}" in ganscope.trainer.backend. Choose one of: ${BACKENDS.join(', ')}.`);
  }
  return {
    backend: backend as BackendChoice,
    config: {
      preset,
      dataset: 'mnist',
      steps: wholeNumber(cfg, 'trainer.steps', 0),
      seed: wholeNumber(cfg, 'trainer.seed', 42),
      sampleEvery: Math.max(1, wholeNumber(cfg, 'trainer.sampleEvery', 20)),
      runsDir: runsFolder(context),
    },
  };
}

/** The presets are declared once, as the enum of the setting in package.json. */
function presetNames(context: vscode.ExtensionContext): string[] {
  const props = context.extension.packageJSON.contributes.configuration.properties;
  return props['ganscope.trainer.preset'].enum;
}

function wholeNumber(cfg: vscode.WorkspaceConfiguration, key: string, fallback: number): number {
  const value = cfg.get<unknown>(key, fallback);
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new SettingsError(`ganscope.${key}`, `ganscope.${key} must be a whole number ≥ 0, not ${JSON.stringify(value)}.`);
  }
  return value as number;
}
