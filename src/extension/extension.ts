// GANscope's entry point: wires the trainer host, the live session and the views to VS Code.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { PANEL_KINDS, PanelKind } from '../protocol/panels';
import { BACKENDS, BackendChoice } from '../protocol/trainer';
import { DashboardAction, DashboardState } from '../protocol/dashboard';
import { DashboardViewProvider } from './dashboardView';
import { installNativeBackend, NativeFlavour, nativeModulesDir } from './nativeBackend';
import { checkRunDir, PanelManager } from './panels/panelManager';
import { LayerNode, RunNode, RunsTreeProvider } from './runsTree';
import { LiveState } from './liveState';
import { listRuns } from './runStore';
import { readTrainerSettings, runsFolder, SettingsError } from './settings';
import { TrainingStatusBar } from './statusBar';
import { TrainerExit, TrainerHost } from './trainerHost';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface GanscopeApi {
  state(): DashboardState;
  trainerPid(): number | undefined;
  onDidChangeState: vscode.Event<DashboardState>;
  /** The extension host's event-loop delay since the last reset, in ms: a check that training never blocks it. */
  eventLoopDelay(reset?: boolean): { p50: number; p99: number; max: number; samples: number };
}

/** How often the event-loop delay is written to the log while a run trains. */
const DELAY_LOG_MS = 60_000;

/** globalState: the walkthrough was opened on the first start after install. */
const WALKTHROUGH_SHOWN_KEY = 'ganscope.walkthroughShown';

let host: TrainerHost | undefined;

export function activate(context: vscode.ExtensionContext): GanscopeApi {
  const output = vscode.window.createOutputChannel('GANscope', { log: true });
  void import('./terminalCli').then(({ installTerminalCli }) => installTerminalCli(context, (line) => output.warn(line))); // TEMPORARY wiring for the terminal e2e test: replace with a static import and a plain call
  const stateChanged = new vscode.EventEmitter<DashboardState>();
  const statusBar = new TrainingStatusBar();
  const runs = new RunsTreeProvider(() => runsFolder(context));
  const session = new LiveState((state) => {
    dashboard.post(state);
    statusBar.update(state);
    void vscode.commands.executeCommand('setContext', 'ganscope.trainingStatus', state.status);
    void vscode.commands.executeCommand('setContext', 'ganscope.liveStep', state.step);
    void vscode.commands.executeCommand('setContext', 'ganscope.livePreset', state.preset ?? '');
    stateChanged.fire(state);
  });
  const dashboard = new DashboardViewProvider(context.extensionUri, () => session.state, runAction, (l) => output.warn(l));
  let liveRunDir: string | undefined;
  const trainerPath = vscode.Uri.joinPath(context.extensionUri, 'out', 'trainer.js').fsPath;
  const panels = new PanelManager({
    extensionUri: context.extensionUri,
    live: () => (host?.running && liveRunDir ? { host, runDir: liveRunDir } : undefined),
    newTrainer: () => new TrainerHost({ trainerPath, backend: configuredBackend(), env: { GANSCOPE_NATIVE_MODULES: nativeModulesDir(context.globalStorageUri.fsPath) } }),
    log: (line) => output.info(line),
    onOpened: (kind) => void vscode.commands.executeCommand('setContext', `ganscope.opened.${kind}`, true),
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const delayLog = setInterval(() => {
    if (!host?.running) return;
    const d = eventLoopDelay(true);
    output.info(`Extension host event-loop delay over the last minute: p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`);
  }, DELAY_LOG_MS);

  function eventLoopDelay(reset = false) {
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    const d = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), samples: delay.count };
    if (reset) delay.reset();
    return d;
  }

  /** The backend for inspectors: the setting when valid, else the ladder's first that works. */
  function configuredBackend(): BackendChoice {
    const value = vscode.workspace.getConfiguration('ganscope').get<string>('trainer.backend', 'auto');
    return (BACKENDS as readonly string[]).includes(value) ? (value as BackendChoice) : 'auto';
  }

  /** Starts a new run from the settings, or continues `resumeDir` from its last checkpoint. */
  async function start(resumeDir?: string, preset?: string): Promise<void> {
    if (host?.running) {
      const choice = await vscode.window.showInformationMessage('A GANscope run is already training.', 'Stop It');
      if (choice) await stop();
      return;
    }
    let settings;
    try {
      settings = readTrainerSettings(context);
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      session.setStatus('idle', err.message);
      const choice = await vscode.window.showErrorMessage(err.message, 'Open Settings');
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', err.setting);
      return;
    }
    if (resumeDir) settings.config.resume = resumeDir;
    if (preset) settings.config.preset = preset;
    const trainer = new TrainerHost({
      trainerPath,
      backend: settings.backend,
      env: { GANSCOPE_NATIVE_MODULES: nativeModulesDir(context.globalStorageUri.fsPath) },
    });
    host = trainer;
    session.begin(settings.config.preset);
    let runDir = resumeDir;
    trainer.onLog((line) => output.info(`[trainer] ${line}`));
    trainer.onEvent((event) => {
      session.apply(event);
      if (runDir && (event.type === 'step' || event.type === 'snapshot' || event.type === 'graph' || event.type === 'samples' || event.type === 'scores')) {
        panels.poke(runDir);
      }
      if (event.type === 'ready') {
        const skipped = event.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
        output.info(`Trainer ready on ${event.backend} (${event.device}, ${event.threads} thread(s), tfjs ${event.tfjsVersion})${skipped ? `; skipped ${skipped}` : ''}`);
      } else if (event.type === 'started') {
        runDir = event.runDir;
        liveRunDir = event.runDir;
        output.info(`Run ${event.runId} started in ${event.runDir}`);
        runs.setLiveRun(event.runId);
        panels.setLive(event.runDir);
        delay.reset();
      } else if (event.type === 'samples' || event.type === 'graph') {
        runs.refresh();
      } else if (event.type === 'log') {
        output.info(`[trainer] ${event.message}`);
      } else if (event.type === 'error') {
        output.error(event.message);
        // An error before the run started (bad preset or data file) ends this attempt; the user can fix it and start again.
        const beforeStart = session.state.status === 'starting';
        if (!event.fatal && !beforeStart) return;
        if (beforeStart) {
          session.setStatus('crashed', event.message);
          void trainer.stop();
        }
        void vscode.window.showErrorMessage(`GANscope training failed: ${event.message}`, 'Show Log').then((c) => c && output.show());
      }
    });
    trainer.onExit((exit) => onTrainerExit(trainer, exit, runDir));
    output.info(`Starting ${settings.config.preset} on backend "${settings.backend}", runs in ${settings.config.runsDir}`);
    try {
      await trainer.start(settings.config);
    } catch (err) {
      const message = (err as Error).message;
      output.error(message);
      session.setStatus('crashed', message);
      trainer.dispose();
      void vscode.window.showErrorMessage(`GANscope could not start the trainer: ${message}`, 'Show Log').then((c) => c && output.show());
    }
  }

  /** `runDir`: the run the trainer was training, which Restart continues from its last checkpoint. */
  function onTrainerExit(trainer: TrainerHost, exit: TrainerExit, runDir: string | undefined): void {
    if (host === trainer) host = undefined;
    liveRunDir = undefined;
    runs.setLiveRun(undefined);
    panels.setLive(undefined);
    if (exit.expected) {
      if (session.state.status !== 'crashed') session.setStatus('stopped', session.state.message);
      return;
    }
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    output.error(`The trainer exited unexpectedly (${how}). Last lines of its error output:\n${exit.stderrTail.join('\n') || '(none)'}`);
    session.setStatus('crashed', `The trainer exited unexpectedly (${how}).`);
    void vscode.window
      .showErrorMessage(`GANscope's trainer exited unexpectedly (${how}). Restart continues the run from its last checkpoint.`, 'Restart', 'Show Log')
      .then((choice) => {
        if (choice === 'Restart') void start(runDir);
        if (choice === 'Show Log') output.show();
      });
  }

  function requireLive(): TrainerHost | undefined {
    if (host?.running) return host;
    void vscode.window.showInformationMessage('No GANscope run is training. Start one with "GANscope: Start Training".');
    return undefined;
  }

  async function stop(): Promise<void> {
    const trainer = requireLive();
    if (!trainer) return;
    output.info('Stopping the trainer…');
    await trainer.stop();
  }

  async function installNative(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '@tensorflow/tfjs-node-gpu', description: 'NVIDIA GPU', detail: 'Native TensorFlow with CUDA: needs CUDA 11.2 and cuDNN 8.1 on this machine.', flavour: 'gpu' as NativeFlavour },
        { label: '@tensorflow/tfjs-node', description: 'CPU', detail: 'Native TensorFlow on the CPU; works without a GPU.', flavour: 'cpu' as NativeFlavour },
        { label: 'WebGPU (Dawn)', description: 'any GPU', detail: 'Vulkan, Metal or Direct3D 12, whatever the CUDA version: webgpu + @tensorflow/tfjs-backend-webgpu (about 130 MB).', flavour: 'webgpu' as NativeFlavour },
      ],
      { title: 'Install a native backend for GANscope', placeHolder: 'Downloads the packages (and libtensorflow for the TensorFlow builds)' },
    );
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

  async function continueRun(node?: RunNode): Promise<void> {
    let dir = node?.run.dir;
    if (!dir) {
      const runsDir = runsFolder(context);
      const picked = await vscode.window.showQuickPick(
        listRuns(runsDir).filter((r) => r.record).map((r) => ({ label: r.id, description: `${r.record?.config.preset} · step ${r.lastMetrics?.step ?? 0}`, dir: r.dir })),
        { title: 'Continue which run from its last checkpoint?', placeHolder: `Runs in ${runsDir}` },
      );
      dir = picked?.dir;
    }
    if (dir) await start(dir);
  }

  function revealRun(node: RunNode): void {
    const uri = vscode.Uri.file(node.run.dir);
    const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
    void vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
  }

  /**
   * The run a panel command is about: its argument (a Runs-tree node or a run folder path), else the live run,
   * else the newest run in the runs folder.
   */
  function panelTarget(arg: unknown): { runDir: string; layer?: string } | undefined {
    if (typeof arg === 'string') return { runDir: arg };
    if (arg && typeof arg === 'object' && 'run' in arg) {
      const node = arg as RunNode | LayerNode;
      return { runDir: node.run.dir, layer: node.kind === 'layer' ? node.layer.name : undefined };
    }
    if (liveRunDir && host?.running) return { runDir: liveRunDir };
    const newest = listRuns(runsFolder(context)).find((r) => r.record);
    return newest ? { runDir: newest.dir } : undefined;
  }

  async function openPanel(kind: PanelKind, arg: unknown): Promise<void> {
    const target = panelTarget(arg);
    if (!target) {
      const choice = await vscode.window.showInformationMessage(
        `There is no GANscope run to show yet (none in ${runsFolder(context)}). Start one, or open a run folder.`, 'Start Training', 'Open Run Folder…');
      if (choice === 'Start Training') await vscode.commands.executeCommand('ganscope.startTraining');
      if (choice === 'Open Run Folder…') await vscode.commands.executeCommand('ganscope.openRun');
      return;
    }
    const problem = checkRunDir(target.runDir);
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return;
    }
    panels.open(kind, target.runDir, target.layer);
  }

  /** Opens a run folder from anywhere (e.g. one the CLI wrote): lists it in the Runs tree and shows its graph. */
  async function openRun(arg?: unknown): Promise<void> {
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
  }

  function runAction(action: DashboardAction): void {
    void vscode.commands.executeCommand(`ganscope.${action}Training`);
  }

  context.subscriptions.push(
    output,
    stateChanged,
    statusBar,
    runs,
    dashboard,
    panels,
    { dispose: () => clearInterval(delayLog) },
    { dispose: () => delay.disable() },
    { dispose: () => session.dispose() },
    { dispose: () => host?.dispose() },
    vscode.window.registerWebviewViewProvider(DashboardViewProvider.viewId, dashboard, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.window.registerTreeDataProvider('ganscope.runs', runs),
    vscode.commands.registerCommand('ganscope.startTraining', (preset?: unknown) => start(undefined, typeof preset === 'string' ? preset : undefined)),
    vscode.commands.registerCommand('ganscope.showDashboard', () => vscode.commands.executeCommand(`${DashboardViewProvider.viewId}.focus`)),
    vscode.commands.registerCommand('ganscope.openRun', openRun),
    ...PANEL_KINDS.map((kind) =>
      vscode.commands.registerCommand(`ganscope.open${kind[0].toUpperCase()}${kind.slice(1)}`, (arg?: unknown) => openPanel(kind, arg))),
    vscode.commands.registerCommand('ganscope.continueRun', (node?: RunNode) => continueRun(node)),
    vscode.commands.registerCommand('ganscope.revealRun', (node: RunNode) => revealRun(node)),
    vscode.commands.registerCommand('ganscope.pauseTraining', () => requireLive()?.pause()),
    vscode.commands.registerCommand('ganscope.resumeTraining', () => requireLive()?.resume()),
    vscode.commands.registerCommand('ganscope.stopTraining', stop),
    vscode.commands.registerCommand('ganscope.showLog', () => output.show()),
    vscode.commands.registerCommand('ganscope.installNativeBackend', installNative),
    vscode.commands.registerCommand('ganscope.refreshRuns', () => runs.refresh()),
    vscode.commands.registerCommand('ganscope.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#welcome`, false)),
  );
  void vscode.commands.executeCommand('setContext', 'ganscope.trainingStatus', 'idle');
  if (vscode.workspace.getConfiguration('ganscope').get<boolean>('trainer.startOnOpen')) void start();
  // VS Code opens a walkthrough by itself only when the extension is installed from its Extensions view; after any
  // other install (a VSIX from the command line, Settings Sync) the first start opens it, once, as the user's
  // "open walkthroughs on install" setting allows.
  const walkthroughOnInstall = vscode.workspace.getConfiguration('workbench').get<boolean>('welcomePage.walkthroughs.openOnInstall', true);
  if (walkthroughOnInstall && !context.globalState.get<boolean>(WALKTHROUGH_SHOWN_KEY)) {
    void context.globalState.update(WALKTHROUGH_SHOWN_KEY, true);
    void vscode.commands.executeCommand('ganscope.openWalkthrough');
  }

  return {
    state: () => session.state,
    trainerPid: () => host?.pid,
    onDidChangeState: stateChanged.event,
    eventLoopDelay,
  };
}

export function deactivate(): void {
  host?.dispose();
  host = undefined;
}
