// Reads the `ganscope.*` settings into a run configuration, naming the setting that is wrong.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseDatasetSpec } from '../protocol/dataset';
import { BackendChoice, BACKENDS, GAN_LOSSES, GanLoss, RunConfig } from '../protocol/trainer';

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
  const dataset = cfg.get<string>('trainer.dataset', 'mnist');
  try {
    parseDatasetSpec(dataset);
  } catch (err) {
    throw new SettingsError('ganscope.trainer.dataset', `ganscope.trainer.dataset: ${(err as Error).message.split('\n')[0]}.`);
  }
  const loss = cfg.get<string>('trainer.loss', 'non-saturating');
  if (!(GAN_LOSSES as readonly string[]).includes(loss)) {
    throw new SettingsError('ganscope.trainer.loss', `Unknown loss "${loss}" in ganscope.trainer.loss. Choose one of: ${GAN_LOSSES.join(', ')}.`);
  }
  const labelSmoothing = cfg.get<unknown>('trainer.labelSmoothing', 0);
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing < 1)) {
    throw new SettingsError('ganscope.trainer.labelSmoothing', `ganscope.trainer.labelSmoothing must be a number from 0 to below 1, not ${JSON.stringify(labelSmoothing)}.`);
  }
  return {
    backend: backend as BackendChoice,
    config: {
      preset,
      dataset: resolveDatasetPath(dataset),
      steps: wholeNumber(cfg, 'trainer.steps', 0),
      seed: wholeNumber(cfg, 'trainer.seed', 42),
      sampleEvery: Math.max(1, wholeNumber(cfg, 'trainer.sampleEvery', 20)),
      checkpointEvery: wholeNumber(cfg, 'trainer.checkpointEvery', 200),
      loss: loss as GanLoss,
      labelSmoothing,
      runsDir: runsFolder(context),
    },
  };
}

/** A relative dataset path means the workspace folder's, not the trainer's working directory. */
function resolveDatasetPath(spec: string): string {
  const { kind, path: p } = parseDatasetSpec(spec);
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!p || !workspace || path.isAbsolute(p) || p.startsWith('~')) return spec;
  return `${kind}:${path.join(workspace, p)}`;
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
