// Checked before any run starts, however it was asked for: the workspace is trusted, and every path the run would use
// outside the workspace (from a setting or a run.json) has been shown to the user and allowed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunConfig } from '../protocol/trainer';
import { readRunRecord } from '../runFolder/reader';
import { configPaths, NamedPath, WorkspaceConsent } from './workspaceConsent';
import { checkTrusted, TrustDeps } from './workspaceTrust';

export const vscodeTrust: TrustDeps = {
  isTrusted: () => vscode.workspace.isTrusted,
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  execute: (command) => vscode.commands.executeCommand(command),
};

export function workspaceConsent(context: vscode.ExtensionContext): WorkspaceConsent {
  return new WorkspaceConsent(context.workspaceState, (message, ...choices) => vscode.window.showWarningMessage(message, { modal: true }, ...choices));
}

/** The check LiveRun makes before it starts `config`. */
export function runGuard(context: vscode.ExtensionContext, consent: WorkspaceConsent): (config: RunConfig) => Promise<boolean> {
  return async (config) => {
    if (!checkTrusted(vscodeTrust, config.resume ? 'continue a run' : 'start training')) return false;
    // What GANscope itself owns is never asked about: its global storage (runs without a workspace, native backends).
    const folders = [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), context.globalStorageUri.fsPath];
    return consent.allowPaths([...configPaths(config, 'The ganscope settings'), ...await resumedPaths(config.resume)], folders);
  };
}

/** A resumed run trains on what its run.json names: a cloned run folder may point anywhere. */
async function resumedPaths(dir: string | undefined): Promise<NamedPath[]> {
  if (!dir) return [];
  const record = await readRunRecord(dir).catch(() => undefined);
  if (!record) return [];
  const from = path.join(dir, 'run.json');
  // Its runs folder is where it was made; this run writes to `dir`, checked already.
  return configPaths({ ...record.config, resume: undefined }, from).filter((p) => p.path !== record.config.runsDir);
}
