// The editor's `.gan.json` support, wired: Problems, hints, lenses, New GAN from Preset, Train and Open Model Graph, live saves.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveGanFile } from '../../ganFile/resolve';
import { RunConfig } from '../../protocol/trainer';
import { LiveRun } from '../liveRun';
import { PanelManager } from '../panels/panelManager';
import { vscodeTrust } from '../runGuard';
import { listRuns } from '../runStore';
import { explicitSettings, runsFolder } from '../settings';
import { gateCommand } from '../workspaceTrust';
import { GanDiagnostics } from './diagnostics';
import { editorHost, isGanDocument } from './editorHost';
import { ganRunConfig } from './ganRun';
import { GAN_FILE_SELECTOR, GanCodeLenses, GanInlayHints } from './lenses';
import { onSavedGanFile } from './liveGanFile';
import { newGanFile } from './newGanFile';

export interface GanFileDeps {
  context: vscode.ExtensionContext;
  live: LiveRun;
  panels: PanelManager;
}

/** Where the built-in presets' files are: presets/ beside the extension's bundle. */
export const presetsDirOf = (context: vscode.ExtensionContext): string => vscode.Uri.joinPath(context.extensionUri, 'presets').fsPath;

/** LiveRunOptions.ganRun: resolves config.gan as the editor sees it (unsaved text included) into the config it trains with. */
export function ganRunFor(presetsDir: string): (config: RunConfig) => ReturnType<typeof ganRunConfig> {
  return (config) => ganRunConfig(config, resolveGanFile(config.gan ?? '', editorHost(presetsDir)), explicitSettings());
}

/** The `.gan.json` a command is about: its argument (a lens passes the file), else the active editor's. */
export function ganFileOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const doc = vscode.window.activeTextEditor?.document;
  return doc && isGanDocument(doc) ? doc.uri : undefined;
}

async function trainGanFile(live: LiveRun, uri: vscode.Uri | undefined): Promise<void> {
  if (!uri) {
    void vscode.window.showInformationMessage('Open a .gan.json file to train it, or create one with "GANscope: New GAN from Preset…".');
    return;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  // The run records the file as saved, and later saves are what change it live.
  if (doc?.isDirty) await doc.save();
  await live.start({ gan: path.resolve(uri.fsPath) });
}

/** The graph of the file's live run, else of its newest run; a file never trained is offered ▶ Train. */
async function openGanFileGraph({ context, live, panels }: GanFileDeps, uri: vscode.Uri | undefined): Promise<void> {
  if (!uri) return;
  const file = path.resolve(uri.fsPath);
  const liveDir = live.ganFile?.file === file ? live.runDir : undefined;
  const dir = liveDir ?? (await listRuns(runsFolder(context))).find((r) => r.record?.config.gan === file)?.dir;
  if (dir) {
    panels.open('graph', dir);
    return;
  }
  const action = '▶ Train';
  const choice = await vscode.window.showInformationMessage(`${path.basename(file)} has no run yet: its graph is drawn from a run. Train it?`, action);
  if (choice === action) await trainGanFile(live, uri);
}

export function registerGanFileEditor(deps: GanFileDeps): vscode.Disposable[] {
  const { context, live } = deps;
  const presetsDir = presetsDirOf(context);
  const register = vscode.commands.registerCommand;
  return [
    new GanDiagnostics(presetsDir),
    vscode.languages.registerCodeLensProvider(GAN_FILE_SELECTOR, new GanCodeLenses(presetsDir)),
    vscode.languages.registerInlayHintsProvider(GAN_FILE_SELECTOR, new GanInlayHints(presetsDir)),
    vscode.workspace.onDidSaveTextDocument((doc) => onSavedGanFile(doc, live, presetsDir)),
    register('ganscope.newGanFile', () => newGanFile(presetsDir)),
    register('ganscope.trainGanFile', gateCommand(vscodeTrust, 'ganscope.trainGanFile', (arg?: unknown) => trainGanFile(live, ganFileOf(arg)))),
    register('ganscope.openGanFileGraph', (arg?: unknown) => openGanFileGraph(deps, ganFileOf(arg))),
  ];
}
