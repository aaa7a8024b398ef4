// GANscope's entry point: wires the live run, the views, the panels and the commands together; none of them works here.
import * as vscode from 'vscode';
import { DashboardAction, DashboardState } from '../protocol/dashboard';
import { openWalkthroughOnFirstStart, registerCommands } from './commands';
import { ComparePanels } from './compare/comparePanel';
import { DashboardViewProvider } from './dashboardView';
import { applyRemedy } from './doctor/applyRemedy';
import { DoctorReports } from './doctor/doctorReports';
import { EventLoopDelay, EventLoopMonitor } from './eventLoopMonitor';
import { experimentRuns, registerExperiments } from './experiments/registerExperiments';
import { ganRunFor, presetsDirOf, registerGanFileEditor } from './ganFile/register';
import { LiveRun } from './liveRun';
import { LiveState } from './liveState';
import { PanelManager } from './panels/panelManager';
import { inspectGuard, ownFolders, runGuard, workspaceConsent } from './runGuard';
import { RunsTreeProvider } from './runsTree';
import { inspectorBackend, readTrainerSettings, runsFolder, setByWorkspace, startOnOpen } from './settings';
import { TrainingStatusBar } from './statusBar';
import { installTerminalCli } from './terminalCli';
import { trainerFactory } from './trainerFactory';
import { WalkthroughProgress } from './walkthroughProgress';
import { WorkspaceConsent } from './workspaceConsent';
import { restrictedReason } from './workspaceTrust';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface GanscopeApi {
  state(): DashboardState;
  trainerPid(): number | undefined;
  onDidChangeState: vscode.Event<DashboardState>;
  /** The extension host's event-loop delay since the last reset, in ms: a check that training never blocks it. */
  eventLoopDelay(reset?: boolean): EventLoopDelay;
}

let live: LiveRun | undefined;

export function activate(context: vscode.ExtensionContext): GanscopeApi {
  const output = vscode.window.createOutputChannel('GANscope', { log: true });
  installTerminalCli(context, (line) => output.warn(line));
  const stateChanged = new vscode.EventEmitter<DashboardState>();
  const statusBar = new TrainingStatusBar();
  const consent = workspaceConsent(context);
  const runs = new RunsTreeProvider(() => runsFolder(context), (dir) => consent.isAllowed(dir, ownFolders(context)));
  const runsView = vscode.window.createTreeView('ganscope.runs', { treeDataProvider: runs, canSelectMany: true });
  const newTrainer = trainerFactory(context);
  const progress = new WalkthroughProgress((key, value) => void vscode.commands.executeCommand('setContext', key, value));
  const state = new LiveState((s) => {
    dashboard.post(s);
    statusBar.update(s);
    for (const [key, value] of [['trainingStatus', s.status], ['liveStep', s.step], ['livePreset', s.preset ?? '']]) {
      void vscode.commands.executeCommand('setContext', `ganscope.${key}`, value);
    }
    progress.observe(s);
    panels.showStepped(run.runDir, s.stepped);
    doctor.update(state.doctor);
    experiments.observe(state.doctor);
    stateChanged.fire(s);
  });
  const doctor = new DoctorReports((runDir) => void vscode.commands.executeCommand('ganscope.openDiagnosis', runDir));
  const dashboard = new DashboardViewProvider(context.extensionUri, () => state.state,
    (action) => void vscode.commands.executeCommand(dashboardCommand(action)), (l) => output.warn(l));
  const panels: PanelManager = new PanelManager({
    extensionUri: context.extensionUri,
    live: () => (run.trainer && run.runDir ? { host: run.trainer, runDir: run.runDir } : undefined),
    newTrainer: () => newTrainer(inspectorBackend(), 'inspect'),
    mayInspect: inspectGuard(context, consent),
    log: (line) => output.info(line),
    onOpened: (kind, layer) => void vscode.commands.executeCommand('setContext', layer ? 'ganscope.openedLayer' : `ganscope.opened.${kind}`, layer ?? true),
    onLearnerAction: (action) => progress.note(action),
    onApplyRemedy: (runDir, finding, remedy) => void applyRemedy(run, runDir, finding, remedy),
    onOpenWalkthrough: (step) => void vscode.commands.executeCommand('workbench.action.openWalkthrough', { category: `${context.extension.id}#welcome`, step }, false),
  });
  const compare = new ComparePanels(context.extensionUri, (line) => output.info(line));
  const delay = new EventLoopMonitor((line) => output.info(line), () => run.trainer !== undefined);
  const run: LiveRun = new LiveRun({
    newTrainer, output, state, panels, runs, onStarted: () => delay.read(true), readSettings: () => readTrainerSettings(context),
    ganRun: ganRunFor(presetsDirOf(context)), mayStart: runGuard(context, consent),
  });
  live = run;
  const experiments = experimentRuns(context, run);
  void vscode.commands.executeCommand('setContext', 'ganscope.trainingStatus', 'idle');
  context.subscriptions.push(
    output, stateChanged, statusBar, runs, dashboard, panels, compare, doctor, delay, state, run,
    vscode.window.registerWebviewViewProvider(DashboardViewProvider.viewId, dashboard, { webviewOptions: { retainContextWhenHidden: false } }),
    runsView,
    ...registerCommands({ context, live: run, panels, runs, output, progress, dashboardViewId: DashboardViewProvider.viewId, compare, runsSelection: () => runsView.selection, consent }),
    ...registerGanFileEditor({ context, live: run, panels }),
    followTrust(dashboard, run, consent),
    registerExperiments(experiments),
  );
  openWalkthroughOnFirstStart(context);
  return {
    state: () => state.state,
    trainerPid: () => run.trainer?.pid,
    onDidChangeState: stateChanged.event,
    eventLoopDelay: (reset) => delay.read(reset),
  };
}

/** The command a dashboard button runs. */
function dashboardCommand(action: DashboardAction): string {
  if (action === 'diagnose') return 'ganscope.openDiagnosis';
  return action.startsWith('step') ? `ganscope.${action}` : `ganscope.${action}Training`;
}

/** `startOnOpen` may start a run in a trusted workspace, now or once trust is granted; until then the dashboard says why nothing trains. */
function followTrust(dashboard: DashboardViewProvider, run: LiveRun, consent: WorkspaceConsent): vscode.Disposable {
  if (vscode.workspace.isTrusted) void startWhenOpened(run, consent);
  else dashboard.setRestricted(restrictedReason());
  return vscode.workspace.onDidGrantWorkspaceTrust(() => {
    dashboard.setRestricted(undefined);
    void startWhenOpened(run, consent);
  });
}

/**
 * `startOnOpen` starts a run; when the workspace's own settings ask for it (a cloned repository could), only once the
 * user has agreed, once per workspace. The user's own setting is their choice already.
 */
async function startWhenOpened(run: LiveRun, consent: WorkspaceConsent): Promise<void> {
  if (!startOnOpen() || run.trainer) return;
  if (!setByWorkspace('trainer.startOnOpen') || (await consent.startOnOpen())) await run.start();
}

/** A window reload or shutdown stops the trainer with a checkpoint, so no trained steps are lost. */
export async function deactivate(): Promise<void> {
  await live?.shutdown();
  live = undefined;
}
