// GANscope's commands: each one a small function over the live run, the panels and the Runs tree.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PANEL_KINDS, PanelKind } from '../protocol/panels';
import { ComparePanels } from './compare/comparePanel';
import { ganFileOf } from './ganFile/register';
import { LiveRun } from './liveRun';
import { installNativeBackend, NativeFlavour } from './nativeBackend';
import { checkRunDir, PanelManager, Placement } from './panels/panelManager';
import { isReferenceRun, REFERENCE_RUNS, referenceRunDir } from './referenceRuns';
import { deleteRun, HousekeepingContext, pruneRun } from './runHousekeeping';
import { ALLOW_RUNS_FOLDER_COMMAND, LayerNode, RunNode, RunsTreeProvider } from './runsTree';
import { ownFolders, vscodeTrust } from './runGuard';
import { listRuns } from './runStore';
import { runsFolder } from './settings';
import { WalkthroughProgress } from './walkthroughProgress';
import { WorkspaceConsent } from './workspaceConsent';
import { gateCommand } from './workspaceTrust';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  live: LiveRun;
  panels: PanelManager;
  runs: RunsTreeProvider;
  output: vscode.LogOutputChannel;
  progress: WalkthroughProgress;
  /** The id of the dashboard view, whose `.focus` command shows it. */
  dashboardViewId: string;
  compare: ComparePanels;
  /** The Runs tree's selection as the view holds it. */
  runsSelection: () => readonly unknown[];
  consent: WorkspaceConsent;
}

/** How many runs one comparison overlays: more lines than that on one chart cannot be told apart. */
export const COMPARE_RUNS = { min: 2, max: 4 } as const;

/** globalState: the walkthrough was opened on the first start after install. */
const WALKTHROUGH_SHOWN_KEY = 'ganscope.walkthroughShown';

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const { context, live, runs, output, progress } = deps;
  // In Restricted Mode the commands that train or install say why they cannot, and offer to manage trust.
  const register = (id: string, handler: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, gateCommand(vscodeTrust, id, handler));
  return [
    register('ganscope.startTraining', (preset?: unknown) => {
      progress.note('started');
      // With no preset named, an active .gan.json editor is the GAN to train.
      if (typeof preset !== 'string' && ganFileOf(undefined)) return vscode.commands.executeCommand('ganscope.trainGanFile');
      return live.start({ preset: typeof preset === 'string' ? preset : undefined });
    }),
    register('ganscope.pauseTraining', () => live.pause()),
    register('ganscope.resumeTraining', () => live.resume()),
    register('ganscope.stopTraining', () => live.stop()),
    register('ganscope.stepDiscriminator', () => live.step('discriminator')),
    register('ganscope.stepGenerator', () => live.step('generator')),
    register('ganscope.stepBoth', () => live.step('both')),
    register('ganscope.continueRun', (node?: RunNode) => continueRun(deps, node)),
    register('ganscope.showDashboard', (focus?: unknown) => showDashboard(deps, focus)),
    register('ganscope.openRun', (arg?: unknown) => openRun(deps, arg)),
    register('ganscope.openReferenceRun', (name?: unknown, from?: unknown) => openReferenceRun(deps, name, from)),
    ...PANEL_KINDS.map((kind) => register(`ganscope.open${kind[0].toUpperCase()}${kind.slice(1)}`, (arg?: unknown) => openPanel(deps, kind, arg))),
    register('ganscope.revealRun', (node: RunNode) => revealRun(node)),
    register('ganscope.deleteRun', (node: RunNode) => deleteRun(node, housekeeping(deps))),
    register('ganscope.pruneRun', (node: RunNode) => pruneRun(node, housekeeping(deps))),
    register('ganscope.showLog', () => output.show()),
    register('ganscope.installNativeBackend', () => installNative(context, output)),
    register('ganscope.refreshRuns', () => runs.refresh()),
    register('ganscope.compareRuns', (node?: RunNode, selected?: RunNode[]) => compareRuns(deps, node, selected)),
    register(ALLOW_RUNS_FOLDER_COMMAND, async (dir: string) => {
      if (await deps.consent.allowPaths([{ path: dir, from: 'The setting ganscope.runsFolder' }], ownFolders(context))) runs.refresh();
    }),
    register('ganscope.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#welcome`, false)),
  ];
}

/** What Delete Run and Prune Run need to know: where runs are, which one trains now (never touched). */
function housekeeping({ context, live, runs }: CommandDeps): HousekeepingContext {
  return {
    runsDir: () => runsFolder(context),
    liveRunId: () => (live.runDir ? path.basename(live.runDir) : undefined),
    changed: () => runs.refresh(),
  };
}

/**
 * VS Code opens a walkthrough by itself only when the extension is installed from its Extensions view; after any other
 * install (a VSIX from the command line, Settings Sync) the first start opens it, once, as the user's "open
 * walkthroughs on install" setting allows.
 */
export function openWalkthroughOnFirstStart(context: vscode.ExtensionContext): void {
  const onInstall = vscode.workspace.getConfiguration('workbench').get<boolean>('welcomePage.walkthroughs.openOnInstall', true);
  if (!onInstall || context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) return;
  void context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
  void vscode.commands.executeCommand('ganscope.openWalkthrough');
}

async function continueRun({ context, live }: CommandDeps, node?: RunNode): Promise<void> {
  let dir = node?.run.dir;
  if (!dir) {
    const runsDir = runsFolder(context);
    const picked = await vscode.window.showQuickPick(
      (await listRuns(runsDir)).filter((r) => r.record).map((r) => ({ label: r.id, description: `${r.record?.config.preset} · step ${r.lastMetrics?.step ?? 0}`, dir: r.dir })),
      { title: 'Continue which run from its last checkpoint?', placeHolder: `Runs in ${runsDir}` },
    );
    dir = picked?.dir;
  }
  if (dir) await live.start({ resume: dir });
}

/** Shows the dashboard; `"balance"` (step 1.3's button) is the learner asking to watch D(x) and D(G(z)) on its chart. */
async function showDashboard({ progress, dashboardViewId }: CommandDeps, focus: unknown): Promise<void> {
  await vscode.commands.executeCommand(`${dashboardViewId}.focus`);
  if (focus === 'balance') progress.note('watchedBalance');
}

function revealRun(node: RunNode): void {
  const uri = vscode.Uri.file(node.run.dir);
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  void vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
}

/**
 * The run a panel command is about: its argument (a Runs-tree node or a run folder path), else the live run, else the
 * newest run in the runs folder.
 */
async function panelTarget({ context, live }: CommandDeps, arg: unknown): Promise<{ runDir: string; layer?: string } | undefined> {
  if (typeof arg === 'string') return { runDir: arg };
  if (arg && typeof arg === 'object' && 'run' in arg) {
    const node = arg as RunNode | LayerNode;
    return { runDir: node.run.dir, layer: node.kind === 'layer' ? node.layer.name : undefined };
  }
  if (live.runDir) return { runDir: live.runDir };
  const newest = (await listRuns(runsFolder(context))).find((r) => r.record);
  return newest ? { runDir: newest.dir } : undefined;
}

async function openPanel(deps: CommandDeps, kind: PanelKind, arg: unknown): Promise<void> {
  const target = await panelTarget(deps, arg);
  if (!target) {
    const choice = await vscode.window.showInformationMessage(
      `There is no GANscope run to show yet (none in ${runsFolder(deps.context)}). Start one, or open a run folder.`, 'Start Training', 'Open Run Folder…');
    if (choice === 'Start Training') await vscode.commands.executeCommand('ganscope.startTraining');
    if (choice === 'Open Run Folder…') await vscode.commands.executeCommand('ganscope.openRun');
    return;
  }
  const problem = checkRunDir(target.runDir);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return;
  }
  deps.panels.open(kind, target.runDir, target.layer, fromWalkthrough(arg) ? await besideWalkthrough() : {});
}

/**
 * Compares the runs selected in the Runs tree (the clicked one and the rest of the selection), or, from the command
 * palette, the runs the user picks.
 */
async function compareRuns({ context, compare, runsSelection }: CommandDeps, node?: RunNode, selected?: (RunNode | undefined)[]): Promise<void> {
  // A run the tree re-read since it was selected (a live one writes often) comes as undefined: the view's own selection
  // still holds it.
  const chosen = selected?.some((n) => n === undefined) ? runsSelection() : selected?.length ? selected : node ? [node] : [];
  let dirs = chosen.filter(isRunNode).map((n) => n.run.dir);
  if (dirs.length < COMPARE_RUNS.min) {
    const runsDir = runsFolder(context);
    const picked = await vscode.window.showQuickPick(
      (await listRuns(runsDir)).filter((r) => r.record).map((r) => ({
        label: r.id, description: `${r.record?.config.preset} · step ${r.lastMetrics?.step ?? 0}`, dir: r.dir, picked: dirs.includes(r.dir),
      })),
      { title: `Compare which runs? Pick ${COMPARE_RUNS.min}–${COMPARE_RUNS.max}`, placeHolder: `Runs in ${runsDir}`, canPickMany: true },
    );
    if (!picked) return;
    dirs = picked.map((p) => p.dir);
  }
  if (dirs.length < COMPARE_RUNS.min || dirs.length > COMPARE_RUNS.max) {
    void vscode.window.showInformationMessage(`Compare Runs overlays ${COMPARE_RUNS.min} to ${COMPARE_RUNS.max} runs; ${dirs.length} were chosen. Select ${COMPARE_RUNS.min}–${COMPARE_RUNS.max} runs in the Runs tree (Ctrl/Cmd-click) and try again.`);
    return;
  }
  compare.show(dirs);
}

function isRunNode(node: unknown): node is RunNode {
  return (node as RunNode | undefined)?.kind === 'run';
}

/** Opens a run folder from anywhere (e.g. one the CLI wrote): lists it in the Runs tree and shows its graph. */
async function openRun({ context, runs, panels, progress }: CommandDeps, arg?: unknown): Promise<void> {
  let dir = typeof arg === 'string' ? arg : undefined;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
      defaultUri: vscode.Uri.file(runsFolder(context)), openLabel: 'Open Run', title: 'Open a GANscope run folder (it holds run.json)',
    });
    dir = picked?.[0]?.fsPath;
  }
  if (!dir) return;
  const problem = checkRunDir(dir);
  if (problem) {
    void vscode.window.showErrorMessage(problem);
    return;
  }
  runs.addRunDir(dir);
  panels.open('graph', dir);
  progress.note('runOpened');
}

/**
 * Opens a recorded run shipped with the extension in the Metrics panel, beside the learner's run's (the live one, else
 * the newest), so a step shows what a run reaches before the learner's own gets there. It is not added to the Runs tree:
 * nothing may delete or write into it.
 */
async function openReferenceRun(deps: CommandDeps, name: unknown, from?: unknown): Promise<void> {
  const { context, panels } = deps;
  const chosen = isReferenceRun(name) ? name : (await vscode.window.showQuickPick(
    Object.entries(REFERENCE_RUNS).map(([label, detail]) => ({ label, detail })), { title: 'Open which recorded run?' }))?.label;
  if (!chosen) return;
  const dir = referenceRunDir(context.extensionPath, chosen);
  if (checkRunDir(dir)) {
    void vscode.window.showErrorMessage(`GANscope's recorded run ${chosen} is missing (${dir} has no run.json): reinstall the extension.`);
    return;
  }
  const own = await panelTarget(deps, undefined);
  const placement = fromWalkthrough(from) ? await besideWalkthrough() : {};
  if (!own) {
    panels.open('metrics', dir, undefined, placement);
    return;
  }
  panels.open('metrics', own.runDir, undefined, placement);
  // The recorded run goes one group further: beside the learner's.
  panels.open('metrics', dir, undefined, placement.column === undefined ? { column: vscode.ViewColumn.Beside } : { ...placement, column: placement.column + 1 });
}

/** A walkthrough step's link passes `{"from": "walkthrough"}` to the command it runs. */
function fromWalkthrough(arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && (arg as { from?: unknown }).from === 'walkthrough';
}

/**
 * Where a panel opened from a walkthrough step goes: the group after the walkthrough's, with the focus left on the
 * walkthrough, so its text stays in view and every panel it opens lands in the same place. When the walkthrough is
 * alone, the new group goes below it: beside it, the walkthrough would be too narrow for its media.
 */
async function besideWalkthrough(): Promise<Placement> {
  const column = vscode.window.tabGroups.activeTabGroup.viewColumn;
  if (vscode.window.tabGroups.all.length === 1) {
    await vscode.commands.executeCommand('vscode.setEditorLayout', { orientation: VERTICAL, groups: [{ size: 0.55 }, { size: 0.45 }] });
  }
  return { column: column + 1, preserveFocus: true };
}

/** `vscode.setEditorLayout`'s orientation of groups one above the other. */
const VERTICAL = 1;

const NATIVE_CHOICES: (vscode.QuickPickItem & { flavour: NativeFlavour })[] = [
  { label: '@tensorflow/tfjs-node-gpu', description: 'NVIDIA GPU', detail: 'Native TensorFlow with CUDA: needs CUDA 11.2 and cuDNN 8.1 on this machine.', flavour: 'gpu' },
  { label: '@tensorflow/tfjs-node', description: 'CPU', detail: 'Native TensorFlow on the CPU; works without a GPU.', flavour: 'cpu' },
  { label: 'WebGPU (Dawn)', description: 'any GPU', detail: 'Vulkan, Metal or Direct3D 12, whatever the CUDA version: webgpu + @tensorflow/tfjs-backend-webgpu (about 130 MB).', flavour: 'webgpu' },
];

async function installNative(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): Promise<void> {
  const picked = await vscode.window.showQuickPick(NATIVE_CHOICES,
    { title: 'Install a native backend for GANscope', placeHolder: 'Downloads the packages (and libtensorflow for the TensorFlow builds)' });
  if (!picked) return;
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Installing ${picked.label}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return installNativeBackend({
          globalStorage: context.globalStorageUri.fsPath,
          flavour: picked.flavour,
          signal: abort.signal,
          onLine: (line) => {
            output.info(`[npm] ${line}`);
            progress.report({ message: line.slice(0, 80) });
          },
        });
      },
    );
    const setting = picked.flavour === 'webgpu' ? 'webgpu' : 'tensorflow';
    void vscode.window.showInformationMessage(`${picked.label} is installed. New runs use it when the backend setting is "auto" or "${setting}".`);
  } catch (err) {
    output.error((err as Error).message);
    void vscode.window.showErrorMessage((err as Error).message, 'Show Log').then((c) => c && output.show());
  }
}
