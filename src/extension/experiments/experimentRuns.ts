// Runs the "Break it, then fix it" experiments: copies the shipped GAN file into the workspace, records the learner's
// prediction, starts the run, and when the doctor's finding arrives sets its context key (which completes the step) and
// tells the learner, with their prediction and the remedy.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPLANATIONS } from '../../protocol/findingExplanations';
import { Finding, FindingKind } from '../../protocol/findings';
import { GAN_FILE_SUFFIX } from '../../ganFile/presets';
import { EXPERIMENT_KEY, Experiment, experimentById, findingKey } from './catalogue';

/** The folder of the workspace that experiments are copied into. */
export const EXPERIMENTS_FOLDER = 'ganscope-experiments';
/** globalState: the learner's prediction for each experiment, by id. */
export const PREDICTIONS_KEY = 'ganscope.experiments.predictions';
export const APPLY_REMEDY = 'Apply and Continue';
export const OPEN_DIAGNOSIS = 'Open Diagnosis';

/** What the experiments need from VS Code and the live run: a test passes its own. */
export interface ExperimentDeps {
  /** The folder of the shipped experiment files (read-only once installed). */
  shippedDir: string;
  /** The first workspace folder, if one is open. */
  workspaceDir(): string | undefined;
  /** Where predictions are kept (the extension's globalState). */
  store: { get<T>(key: string): T | undefined; update(key: string, value: unknown): PromiseLike<void> };
  /** Asks which experiment to run (the command run from the palette, with no id); undefined when dismissed. */
  pickExperiment(): PromiseLike<Experiment | undefined>;
  /** Shows the question and the outcomes; undefined when dismissed. */
  pickPrediction(experiment: Experiment): PromiseLike<string | undefined>;
  openFile(file: string): PromiseLike<unknown>;
  /** Starts a run of the GAN file `file` (asking first when another run trains). */
  startRun(file: string): PromiseLike<void>;
  /** The GAN file of the run training now, if any. */
  liveGanFile(): string | undefined;
  setContext(key: string, value: boolean | string): void;
  /** An information message with buttons; the button pressed, if any. */
  tell(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  /** Says what went wrong and what to do next. */
  fail(message: string): void;
  applyRemedy(runDir: string, finding: Finding, index: number): void;
  openDiagnosis(runDir: string): void;
}

/**
 * The finding with the remedy the notification offers, and its index: the finding's first that changes the experiment's
 * broken field, else the experiment's own fix (put first), else the finding's first.
 */
export function remedyFor(experiment: Experiment, finding: Finding): { finding: Finding; index: number } {
  const index = finding.remedies.findIndex((r) => experiment.field in r.change);
  if (index >= 0 || !experiment.fix) return { finding, index: Math.max(index, 0) };
  return { finding: { ...finding, remedies: [experiment.fix, ...finding.remedies] }, index: 0 };
}

/** `<folder>/<id>.gan.json`, or `<id>-2.gan.json`, … when a file of that name holds something else (the learner's edits). */
export function experimentCopyPath(folder: string, id: string, shippedText: string, read: (file: string) => string | undefined): string {
  for (let n = 1; ; n++) {
    const file = path.join(folder, `${id}${n === 1 ? '' : `-${n}`}${GAN_FILE_SUFFIX}`);
    const text = read(file);
    if (text === undefined || text === shippedText) return file;
  }
}

const readIfThere = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);

export class ExperimentRuns {
  /** The experiment started last and its GAN file, until its run starts. */
  private pending: { experiment: Experiment; file: string } | undefined;
  /** The run followed now, and the experiment it is, if it is one. */
  private runDir: string | undefined;
  private experiment: Experiment | undefined;
  /** The kinds whose key is set for the followed run. */
  private readonly found = new Set<FindingKind>();

  constructor(private readonly deps: ExperimentDeps) {}

  predictions(): Record<string, string> {
    return this.deps.store.get<Record<string, string>>(PREDICTIONS_KEY) ?? {};
  }

  /** The experiment command: copy, open, predict, run. */
  async start(id?: unknown): Promise<void> {
    const experiment = id === undefined ? await this.deps.pickExperiment() : experimentById(id);
    if (id === undefined && !experiment) return;
    if (!experiment) return this.deps.fail(`There is no GANscope experiment "${String(id)}": start one from the walkthrough "Break It, Then Fix It".`);
    const folder = this.deps.workspaceDir();
    if (!folder) return this.deps.fail('An experiment copies its GAN file into the workspace: open a folder first (File > Open Folder…).');
    let file: string;
    try {
      file = await this.copy(experiment, path.join(folder, EXPERIMENTS_FOLDER));
    } catch (err) {
      return this.deps.fail(`Could not copy the experiment into ${path.join(folder, EXPERIMENTS_FOLDER)}: ${(err as Error).message}. Check that the folder is writable and try again.`);
    }
    await this.deps.openFile(file);
    const prediction = await this.deps.pickPrediction(experiment);
    if (prediction === undefined) return;
    await this.deps.store.update(PREDICTIONS_KEY, { ...this.predictions(), [experiment.id]: prediction });
    this.pending = { experiment, file };
    await this.deps.startRun(file);
  }

  /** The followed run's findings as they stand (called on every state change: cheap when nothing is new). */
  observe(doctor: { runDir: string; findings: readonly Finding[] } | undefined): void {
    if (!doctor) return;
    if (doctor.runDir !== this.runDir) this.follow(doctor.runDir);
    for (const finding of doctor.findings) {
      if (this.found.has(finding.kind)) continue;
      this.found.add(finding.kind);
      this.deps.setContext(findingKey(finding.kind), true);
      if (finding.kind === this.experiment?.kind) void this.announce(this.experiment, doctor.runDir, finding);
    }
  }

  /** A new run is followed: its keys start unset, and it is an experiment when it trains the file an experiment started. */
  private follow(runDir: string): void {
    for (const kind of this.found) this.deps.setContext(findingKey(kind), false);
    this.found.clear();
    this.runDir = runDir;
    const live = this.deps.liveGanFile();
    const pending = this.pending && live && path.resolve(live) === path.resolve(this.pending.file) ? this.pending : undefined;
    this.experiment = pending?.experiment;
    if (pending) this.pending = undefined;
    this.deps.setContext(EXPERIMENT_KEY, this.experiment?.id ?? '');
  }

  private async copy(experiment: Experiment, folder: string): Promise<string> {
    const shippedText = await fs.promises.readFile(path.join(this.deps.shippedDir, `${experiment.id}${GAN_FILE_SUFFIX}`), 'utf8');
    const file = experimentCopyPath(folder, experiment.id, shippedText, readIfThere);
    await fs.promises.mkdir(folder, { recursive: true });
    await fs.promises.writeFile(file, shippedText);
    return file;
  }

  private async announce(experiment: Experiment, runDir: string, finding: Finding): Promise<void> {
    const prediction = this.predictions()[experiment.id];
    const offer = remedyFor(experiment, finding);
    const remedy = offer.finding.remedies[offer.index];
    const message = [
      `Experiment "${experiment.title}": the doctor found "${EXPLANATIONS[finding.kind].title}" at step ${finding.step}.`,
      prediction ? `You predicted: "${prediction}".` : '',
      remedy ? `Remedy: ${remedy.title}.` : '',
    ].filter(Boolean).join(' ');
    const choice = await this.deps.tell(message, ...(remedy ? [APPLY_REMEDY] : []), OPEN_DIAGNOSIS);
    if (choice === APPLY_REMEDY) this.deps.applyRemedy(runDir, offer.finding, offer.index);
    if (choice === OPEN_DIAGNOSIS) this.deps.openDiagnosis(runDir);
  }
}
