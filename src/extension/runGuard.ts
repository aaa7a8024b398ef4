// Checked before any run starts, however it was asked for: the workspace is trusted, and every path the run would use
// outside the workspace (from a setting or a run.json) has been shown to the user and allowed. An inspector of a past
// run reads what its run.json names too, so the same paths are allowed before it starts.
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
    return consent.allowPaths([...configPaths(config, 'The ganscope settings'), ...await recordPaths(config.resume)], ownFolders(context));
  };
}

/** The check PanelManager makes before an inspector opens the run in `runDir`: why it may not, or undefined. */
export function inspectGuard(context: vscode.ExtensionContext, consent: WorkspaceConsent): (runDir: string) => Promise<string | undefined> {
  return async (runDir) => {
    if (await consent.allowPaths(await recordPaths(runDir), ownFolders(context))) return undefined;
    return `${path.join(runDir, 'run.json')} names a path outside this workspace that was not allowed, so no inspector reads it. ` +
      'Open a panel on the run again and choose Allow to inspect it.';
  };
}

/** Where the user's own files are, and what GANscope itself owns (its global storage: runs without a workspace, native backends). */
export function ownFolders(context: vscode.ExtensionContext): string[] {
  return [...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath), context.globalStorageUri.fsPath];
}

/** A resumed or inspected run reads what its run.json names: a cloned run folder may point anywhere. */
async function recordPaths(dir: string | undefined): Promise<NamedPath[]> {
  if (!dir) return [];
  const record = await readRunRecord(dir).catch(() => undefined);
  if (!record) return [];
  const from = path.join(dir, 'run.json');
  // Its runs folder is where it was made; this run writes to `dir`, checked already.
  return configPaths({ ...record.config, resume: undefined }, from).filter((p) => p.path !== record.config.runsDir);
}
