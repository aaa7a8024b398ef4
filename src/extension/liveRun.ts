// The live run: owns the training TrainerHost and its run folder, starts, pauses, resumes, stops and restarts it, and
// fans its events out to the dashboard state, the panels, the Runs tree and the log.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GanDefinition } from '../ganFile/types';
import { readRunSync } from '../runFolder/reader';
import { BackendChoice, RunConfig, StepUpdate, TrainerEvent } from '../protocol/trainer';
import { LiveState } from './liveState';
import { PanelManager } from './panels/panelManager';
import { RunsTreeProvider } from './runsTree';
import { SettingsError, TrainerSettings } from './settings';
import { TrainerExit, TrainerHost } from './trainerHost';

export interface LiveRunOptions {
  /** A new, unstarted trainer host on `backend`. */
  newTrainer(backend: BackendChoice): TrainerHost;
  output: vscode.LogOutputChannel;
  state: LiveState;
  panels: PanelManager;
  runs: RunsTreeProvider;
  /** A run started: e.g. the event-loop monitor starts a fresh measurement. */
  onStarted(): void;
  /** The run settings; throws a SettingsError naming a setting that is wrong. */
  readSettings(): TrainerSettings;
  /** `config` made to train its `.gan.json` (config.gan), with that file's definition; or why the file cannot train. */
  ganRun(config: RunConfig): { config: RunConfig; definition: GanDefinition } | string;
  /** Whether `config` may start here (a trusted workspace, paths outside it allowed); it tells the user why not. */
  mayStart(config: RunConfig): Promise<boolean>;
}

/** The `.gan.json` a run was started from, and its definition as the trainer has it now. */
export interface LiveGanFile {
  file: string;
  definition: GanDefinition;
}

/** The `.gan.json` a resumed run was trained from, as its run.json records it: saving that file changes it live again. */
function resumedGanFile(dir: string): LiveGanFile | undefined {
  try {
    const { record } = readRunSync(dir);
    return record.config.gan && record.definition ? { file: record.config.gan, definition: record.definition } : undefined;
  } catch {
    return undefined; // The trainer reads run.json too, and says what is wrong with it.
  }
}

/** How long the dashboard shows what a saved `.gan.json` changed. */
const CHANGE_NOTE_MS = 15_000;

export class LiveRun implements vscode.Disposable {
  private host: TrainerHost | undefined;
  private dir: string | undefined;
  /** The trainer reported a fatal error: its exit that follows is expected news, not a second notification. */
  private fatalReported = false;
  private gan: LiveGanFile | undefined;
  private changeNote: NodeJS.Timeout | undefined;

  constructor(private readonly options: LiveRunOptions) {}

  /** The trainer training now, if any. */
  get trainer(): TrainerHost | undefined {
    return this.host?.running ? this.host : undefined;
  }

  /** The folder of the run training now, if any. */
  get runDir(): string | undefined {
    return this.trainer ? this.dir : undefined;
  }

  /** The `.gan.json` the run training now was started from, if it was. */
  get ganFile(): LiveGanFile | undefined {
    return this.trainer ? this.gan : undefined;
  }

  /**
   * Starts a new run from the settings (with `preset` or the `.gan.json` file `gan` in place of the setting's), or
   * continues `resume` from its last checkpoint. While another run trains, one action stops it and starts this one;
   * `replace` stops it without asking (the user already chose a new run). `branchFrom`: a run folder whose newest
   * checkpoint the new run starts from (a remedy applied to its GAN file).
   */
  async start(options: { resume?: string; preset?: string; gan?: string; replace?: boolean; branchFrom?: string } = {}): Promise<void> {
    const settings = this.settingsOrExplain();
    if (!settings) return;
    if (options.resume) settings.config.resume = options.resume;
    if (options.preset) [settings.config.preset, settings.config.gan] = [options.preset, undefined];
    if (options.gan) settings.config.gan = options.gan;
    if (options.branchFrom) settings.config.branchFrom = options.branchFrom;
    const gan = settings.config.gan && !options.resume ? this.ganRunOrExplain(settings.config) : undefined;
    if (settings.config.gan && !options.resume && !gan) return;
    if (gan) settings.config = gan.config;
    if (!(await this.options.mayStart(settings.config))) return;
    if (this.trainer && options.replace) await this.stop();
    else if (this.trainer && !(await this.stopForNewRun(settings.config.preset, options.resume, settings.config.gan))) return;
    const { output, state } = this.options;
    const trainer = this.options.newTrainer(settings.backend);
    this.host = trainer;
    this.dir = options.resume;
    this.fatalReported = false;
    this.gan = gan ? { file: gan.config.gan!, definition: gan.definition } : options.resume ? resumedGanFile(options.resume) : undefined;
    state.begin(settings.config.preset);
    trainer.onLog((line) => output.info(`[trainer] ${line}`));
    trainer.onEvent((event) => this.onEvent(trainer, event));
    trainer.onExit((exit) => this.onExit(trainer, exit, this.dir));
    output.info(`Starting ${settings.config.preset} on backend "${settings.backend}", runs in ${settings.config.runsDir}`);
    try {
      await trainer.start(settings.config);
    } catch (err) {
      const message = (err as Error).message;
      output.error(message);
      state.setStatus('crashed', message);
      trainer.dispose();
      void vscode.window.showErrorMessage(`GANscope could not start the trainer: ${firstLine(message)}`, 'Show Log').then((c) => c && output.show());
    }
  }

  /**
   * Another run trains: the same preset is already what was asked for (the dashboard shows it); another one is started
   * after one action stops this one; a `.gan.json` may have changed, so it is always asked. Returns whether to go on.
   */
  private async stopForNewRun(preset: string, resume: string | undefined, gan: string | undefined): Promise<boolean> {
    const { state } = this.options.state;
    if (!resume && !gan && preset === state.preset) {
      void vscode.commands.executeCommand('ganscope.showDashboard');
      void vscode.window.showInformationMessage(`${preset} is already training (step ${state.step}): the dashboard shows it.`);
      return false;
    }
    const what = resume ? `run ${path.basename(resume)}` : gan ? path.basename(gan) : preset;
    const action = `Stop It and Start ${what}`;
    const choice = await vscode.window.showInformationMessage(`${state.preset ?? 'A GANscope run'} is training (step ${state.step}).`, action);
    if (choice !== action) return false;
    await this.stop();
    return true;
  }

  pause(): void {
    this.requireRunning()?.pause();
  }

  resume(): void {
    this.requireRunning()?.resume();
  }

  /** Step mode: one update of D, G or both, only while the run is paused; the dashboard shows the grid before and after. */
  step(update: StepUpdate): void {
    const trainer = this.requireRunning();
    if (!trainer) return;
    const { state } = this.options;
    if (state.state.status !== 'paused') {
      void vscode.window.showInformationMessage(`Step mode works on a paused run, and this one is ${state.state.status}: pause it (GANscope: Pause Training), then step one update at a time.`);
      return;
    }
    if (state.state.stepping) {
      void vscode.window.showInformationMessage(`The ${state.state.stepping} step asked for before is still running: step again once it is done.`);
      return;
    }
    state.beginStep(update);
    trainer.step(update);
  }

  async stop(): Promise<void> {
    const trainer = this.requireRunning();
    if (!trainer) return;
    this.options.output.info('Stopping the trainer…');
    await trainer.stop();
  }

  /** Stops the trainer the way Stop does, so it writes a checkpoint first; it is killed only if it does not exit in time. */
  async shutdown(): Promise<void> {
    await this.host?.stop();
  }

  dispose(): void {
    clearTimeout(this.changeNote);
    this.host?.dispose();
    this.host = undefined;
  }

  /**
   * The live run's `.gan.json` was saved with new live fields (`definition`, `changed` by dotted path): its trainer
   * applies them at the next step, and the dashboard says so for a while.
   */
  applyGanFile(definition: GanDefinition, changed: Record<string, unknown>): void {
    const trainer = this.trainer;
    if (!trainer || !this.gan) return;
    trainer.applyGanFile(this.gan.file);
    this.gan = { ...this.gan, definition };
    const { state } = this.options;
    const note = `Applies at the next step: ${Object.entries(changed).map(([k, v]) => `${k} = ${v}`).join(', ')}`;
    state.setStatus(state.state.status, note);
    clearTimeout(this.changeNote);
    this.changeNote = setTimeout(() => state.state.message === note && state.setStatus(state.state.status, undefined), CHANGE_NOTE_MS);
  }

  /** The run config for a `.gan.json`, or undefined after saying what is wrong with the file. */
  private ganRunOrExplain(config: RunConfig): { config: RunConfig; definition: GanDefinition } | undefined {
    const gan = this.options.ganRun(config);
    if (typeof gan !== 'string') return gan;
    this.options.state.setStatus('idle', gan);
    void vscode.window.showErrorMessage(gan, 'Show Problems').then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
    return undefined;
  }

  /** The settings, or undefined after telling the user which one is wrong. */
  private settingsOrExplain(): TrainerSettings | undefined {
    try {
      return this.options.readSettings();
    } catch (err) {
      if (!(err instanceof SettingsError)) throw err;
      this.options.state.setStatus('idle', err.message);
      void vscode.window.showErrorMessage(err.message, 'Open Settings').then((choice) =>
        choice && vscode.commands.executeCommand('workbench.action.openSettings', err.setting));
      return undefined;
    }
  }

  private onEvent(trainer: TrainerHost, event: TrainerEvent): void {
    const { output, state, panels, runs } = this.options;
    state.apply(event);
    switch (event.type) {
      case 'ready': {
        const skipped = event.skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
        output.info(`Trainer ready on ${event.backend} (${event.device}, ${event.threads} thread(s), tfjs ${event.tfjsVersion})${skipped ? `; skipped ${skipped}` : ''}`);
        return;
      }
      case 'started':
        this.dir = event.runDir;
        output.info(`Run ${event.runId} started in ${event.runDir}`);
        runs.setLiveRun(event.runId);
        panels.setLive(event.runDir);
        this.options.onStarted();
        return;
      case 'wrote':
        // The run's folder holds something new: the panels read it soon; a new grid or graph changes the Runs tree.
        if (this.dir) panels.poke(this.dir);
        if (this.dir && (event.record === 'sample' || event.record === 'graph')) runs.refresh(this.dir);
        return;
      case 'log':
        output.info(`[trainer] ${event.message}`);
        return;
      case 'stepError':
        output.warn(event.message);
        void vscode.window.showWarningMessage(event.message);
        return;
      case 'error':
        return this.onError(trainer, event);
    }
  }

  private onError(trainer: TrainerHost, event: Extract<TrainerEvent, { type: 'error' }>): void {
    const { output, state } = this.options;
    output.error(event.message);
    // An error before the run started (bad preset or data file) ends this attempt; the user can fix it and start again.
    const beforeStart = state.state.status === 'starting';
    if (!event.fatal && !beforeStart) return;
    if (beforeStart) {
      state.setStatus('crashed', firstLine(event.message));
      void trainer.stop();
    }
    this.fatalReported = true;
    // The message may hold a stack trace: that stays in the log, the notification says what failed.
    const runDir = this.dir;
    const actions = runDir && !beforeStart ? ['Restart', 'Show Log'] : ['Show Log'];
    void vscode.window.showErrorMessage(`GANscope training failed: ${firstLine(event.message)}`, ...actions).then((choice) => {
      if (choice === 'Restart') void this.start({ resume: runDir });
      if (choice === 'Show Log') output.show();
    });
  }

  /** `runDir`: the run the trainer was training, which Restart continues from its last checkpoint. */
  private onExit(trainer: TrainerHost, exit: TrainerExit, runDir: string | undefined): void {
    const { output, state, panels, runs } = this.options;
    if (this.host === trainer) this.host = undefined;
    runs.setLiveRun(undefined);
    panels.setLive(undefined);
    if (exit.expected) {
      if (state.state.status !== 'crashed') state.setStatus('stopped', state.state.message);
      return;
    }
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
    output.error(`The trainer exited unexpectedly (${how}). Last lines of its error output:\n${exit.stderrTail.join('\n') || '(none)'}`);
    if (this.fatalReported) {
      state.setStatus('crashed', state.state.message);
      return;
    }
    state.setStatus('crashed', `The trainer exited unexpectedly (${how}).`);
    void vscode.window
      .showErrorMessage(`GANscope's trainer exited unexpectedly (${how}). Restart continues the run from its last checkpoint.`, 'Restart', 'Show Log')
      .then((choice) => {
        if (choice === 'Restart') void this.start({ resume: runDir });
        if (choice === 'Show Log') output.show();
      });
  }

  private requireRunning(): TrainerHost | undefined {
    if (this.trainer) return this.trainer;
    void vscode.window.showInformationMessage('No GANscope run is training. Start one with "GANscope: Start Training".');
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0];
}
