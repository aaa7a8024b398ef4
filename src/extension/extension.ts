// GANscope's entry point: wires the trainer host, the live session and the views to VS Code.
import * as vscode from 'vscode';
import { DashboardAction, DashboardState } from '../protocol/webview';
import { DashboardViewProvider } from './dashboardView';
import { installNativeBackend, NativeFlavour, nativeModulesDir } from './nativeBackend';
import { RunNode, RunsTreeProvider } from './runsTree';
import { RunSession } from './runSession';
import { listRuns } from './runStore';
import { readTrainerSettings, runsFolder, SettingsError } from './settings';
import { TrainingStatusBar } from './statusBar';
import { TrainerExit, TrainerHost } from './trainerHost';

/** What activate() returns: used by the integration tests and by other extensions. */
export interface GanscopeApi {
  state(): DashboardState;
  trainerPid(): number | undefined;
  onDidChangeState: vscode.Event<DashboardState>;
}

let host: TrainerHost | undefined;

export function activate(context: vscode.ExtensionContext): GanscopeApi {
  const output = vscode.window.createOutputChannel('GANscope', { log: true });
  const stateChanged = new vscode.EventEmitter<DashboardState>();
  const statusBar = new TrainingStatusBar();
  const runs = new RunsTreeProvider(() => runsFolder(context));
  const session = new RunSession((state) => {
    dashboard.post(state);
    statusBar.update(state);
    void vscode.commands.executeCommand('setContext', 'ganscope.trainingStatus', state.status);
    stateChanged.fire(state);
  });
  const dashboard = new DashboardViewProvider(context.extensionUri, () => session.state, runAction, (l) => output.warn(l));

  /** Starts a new run from the settings, or continues `resumeDir` from its last checkpoint. */
  async function start(resumeDir?: string): Promise<void> {
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
    const trainer = new TrainerHost({
      trainerPath: vscode.Uri.joinPath(context.extensionUri, 'out', 'trainer.js').fsPath,
      backend: settings.backend,
      env: { GANSCOPE_NATIVE_MODULES: nativeModulesDir(context.globalStorageUri.fsPath) },
    });
    host = trainer;
    session.begin(settings.config.preset);
    let runDir = resumeDir;
    trainer.onLog((line) => output.info(`[trainer] ${line}`));
    trainer.onEvent((event) => {
      session.apply(event);
      if (event.type === 'ready') {
        const skipped = event.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
        output.info(`Trainer ready on ${event.backend} (${event.device}, ${event.threads} thread(s), tfjs ${event.tfjsVersion})${skipped ? `; skipped ${skipped}` : ''}`);
      } else if (event.type === 'started') {
        runDir = event.runDir;
        output.info(`Run ${event.runId} started in ${event.runDir}`);
        runs.setLiveRun(event.runId);
      } else if (event.type === 'samples') {
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
    runs.setLiveRun(undefined);
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

  function runAction(action: DashboardAction): void {
    void vscode.commands.executeCommand(`ganscope.${action}Training`);
  }

  context.subscriptions.push(
    output,
    stateChanged,
    statusBar,
    runs,
    dashboard,
    { dispose: () => session.dispose() },
    { dispose: () => host?.dispose() },
    vscode.window.registerWebviewViewProvider(DashboardViewProvider.viewId, dashboard, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.window.registerTreeDataProvider('ganscope.runs', runs),
    vscode.commands.registerCommand('ganscope.startTraining', () => start()),
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

  return {
    state: () => session.state,
    trainerPid: () => host?.pid,
    onDidChangeState: stateChanged.event,
  };
}

export function deactivate(): void {
  host?.dispose();
  host = undefined;
}
