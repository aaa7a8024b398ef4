// Reads the `ganscope.*` settings into a run configuration, naming the setting that is wrong.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DatasetSpec, parseDatasetSpec } from '../protocol/dataset';
import { DEFAULT_PROBE_EVERY } from '../protocol/probes';
import { BackendChoice, BACKENDS, fraction, GAN_LOSSES, RunConfig } from '../protocol/trainer';

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
  const preset = choice(cfg, 'preset', presetNames(context), 'mnist-dcgan');
  const backend = choice(cfg, 'backend', BACKENDS, 'auto');
  const dataset = cfg.get<string>('trainer.dataset', 'mnist');
  let spec: DatasetSpec;
  try {
    spec = parseDatasetSpec(dataset);
  } catch (err) {
    throw new SettingsError('ganscope.trainer.dataset', `ganscope.trainer.dataset: ${(err as Error).message.split('\n')[0]}.`);
  }
  // 'preset' sends no loss, so the trainer uses the preset's own (feature matching for the semi-supervised GAN).
  const loss = choice(cfg, 'loss', [...GAN_LOSSES, 'preset'], 'preset');
  const labelSmoothing = cfg.get<unknown>('trainer.labelSmoothing', 0);
  const smoothingError = fraction(labelSmoothing, 'ganscope.trainer.labelSmoothing');
  if (smoothingError) throw new SettingsError('ganscope.trainer.labelSmoothing', `${smoothingError}, not ${JSON.stringify(labelSmoothing)}.`);
  return {
    backend,
    config: {
      preset,
      dataset: resolveDatasetPath(spec, dataset),
      steps: wholeNumber(cfg, 'trainer.steps', 0),
      seed: wholeNumber(cfg, 'trainer.seed', 42),
      sampleEvery: Math.max(1, wholeNumber(cfg, 'trainer.sampleEvery', 20)),
      checkpointEvery: wholeNumber(cfg, 'trainer.checkpointEvery', 200),
      probeEvery: wholeNumber(cfg, 'trainer.probeEvery', DEFAULT_PROBE_EVERY),
      loss: loss === 'preset' ? undefined : loss,
      labelSmoothing: labelSmoothing as number,
      runsDir: runsFolder(context),
    },
  };
}

/** A relative dataset path means the workspace folder's, not the trainer's working directory. */
function resolveDatasetPath({ kind, path: p }: DatasetSpec, written: string): string {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!p || !workspace || path.isAbsolute(p) || p.startsWith('~')) return written;
  return `${kind}:${path.join(workspace, p)}`;
}

/** A `ganscope.trainer.<name>` setting that must be one of `values`. */
function choice<T extends string>(cfg: vscode.WorkspaceConfiguration, name: string, values: readonly T[], fallback: T): T {
  const value = cfg.get<string>(`trainer.${name}`, fallback);
  if (!(values as readonly string[]).includes(value)) {
    const setting = `ganscope.trainer.${name}`;
    throw new SettingsError(setting, `Unknown ${name} "${value}" in ${setting}. Choose one of: ${values.join(', ')}.`);
  }
  return value as T;
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
