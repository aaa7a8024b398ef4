// Reads the `ganscope.*` settings into a run configuration, naming the setting that is wrong.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DatasetSpec, parseDatasetSpec } from '../protocol/dataset';
import { lossOf, OptionError, parseOption, RUN_OPTIONS, RunOption } from '../protocol/runOptions';
import { BackendChoice, RunConfig } from '../protocol/trainer';
import { ExplicitSettings, presetOrGanFile } from './ganFile/ganRun';

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
  const configured = setting(RUN_OPTIONS.runsFolder);
  if (path.isAbsolute(configured)) return configured;
  const workspace = vscode.workspace.workspaceFolders?.[0];
  return workspace ? path.join(workspace.uri.fsPath, configured) : path.join(context.globalStorageUri.fsPath, 'runs');
}

export function readTrainerSettings(context: vscode.ExtensionContext): TrainerSettings {
  const dataset = setting(RUN_OPTIONS.dataset);
  return {
    backend: setting(RUN_OPTIONS.backend),
    config: {
      ...presetOrGanFile(setting(RUN_OPTIONS.preset), vscode.workspace.workspaceFolders?.[0]?.uri.fsPath),
      dataset: resolveDatasetPath(parseDatasetSpec(dataset), dataset),
      steps: setting(RUN_OPTIONS.steps),
      seed: setting(RUN_OPTIONS.seed),
      // The panels follow a live run through its sample grids, so the setting cannot turn them off (its minimum is 1).
      sampleEvery: Math.max(1, setting(RUN_OPTIONS.sampleEvery)),
      checkpointEvery: setting(RUN_OPTIONS.checkpointEvery),
      probeEvery: setting(RUN_OPTIONS.probeEvery),
      scoreEvery: setting(RUN_OPTIONS.scoreEvery),
      loss: lossOf(setting(RUN_OPTIONS.loss)),
      labelSmoothing: setting(RUN_OPTIONS.labelSmoothing),
      growSteps: setting(RUN_OPTIONS.growSteps),
      runsDir: runsFolder(context),
    },
  };
}

/** Which settings that a `.gan.json` also names the user set: those win over the file's. */
export function explicitSettings(): ExplicitSettings {
  const config = vscode.workspace.getConfiguration('ganscope');
  const set = (key: string) => {
    const i = config.inspect(key);
    return [i?.globalValue, i?.workspaceValue, i?.workspaceFolderValue].some((v) => v !== undefined);
  };
  return { dataset: set(RUN_OPTIONS.dataset.setting), seed: set(RUN_OPTIONS.seed.setting) };
}

/** The backend for inspectors: the setting when valid, else the ladder's first that works. */
export function inspectorBackend(): BackendChoice {
  try {
    return setting(RUN_OPTIONS.backend);
  } catch {
    return 'auto';
  }
}

/** Whether a run starts when the workspace opens; an invalid value starts none. */
export function startOnOpen(): boolean {
  try {
    return setting(RUN_OPTIONS.startOnOpen);
  } catch {
    return false;
  }
}

/** Whether the workspace (its settings file, or a folder's) sets `ganscope.<key>`, rather than the user. */
export function setByWorkspace(key: string): boolean {
  const i = vscode.workspace.getConfiguration('ganscope').inspect(key);
  return i?.workspaceValue !== undefined || i?.workspaceFolderValue !== undefined;
}

/** A relative dataset path means the workspace folder's, not the trainer's working directory. */
function resolveDatasetPath({ kind, path: p }: DatasetSpec, written: string): string {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!p || !workspace || path.isAbsolute(p) || p.startsWith('~')) return written;
  return `${kind}:${path.join(workspace, p)}`;
}

/** The value of one `ganscope.*` setting, or a SettingsError that names it. */
function setting<T>(option: RunOption<T> & { setting: string }): T {
  const name = `ganscope.${option.setting}`;
  try {
    return parseOption(option, vscode.workspace.getConfiguration('ganscope').get(option.setting), name);
  } catch (err) {
    if (!(err instanceof OptionError)) throw err;
    throw new SettingsError(name, `${err.message.split('\n')[0]}.`);
  }
}
