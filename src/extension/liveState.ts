// The live state of the current run: its status from trainer events, its metrics and newest grid read from the run
// folder when the trainer says it wrote them, published at a pace a person can follow.
import { StepMetrics, StepUpdate, StepView, TrainerEvent } from '../protocol/trainer';
import { DashboardHealth, DashboardState, RunStatus, StepShot } from '../protocol/dashboard';
import { METRIC_LABELS, RELATED_METRIC } from '../protocol/findingExplanations';
import { currentFindings, Finding } from '../protocol/findings';
import { openFindings } from './doctor/health';
import { JsonLinesTail } from '../runFolder/jsonLines';
import { MetricsLine } from '../runFolder/records';
import { findingsTail, metricsTail, readSampleUri } from '../runFolder/reader';

const HISTORY_POINTS = 300;

export function initialState(): DashboardState {
  return { status: 'idle', step: 0, dLoss: null, gLoss: null, dReal: null, dFake: null, imagesPerSec: null, history: [] };
}

/**
 * The state with one step's metrics record folded in: the latest values, the recent losses and D outputs for the
 * charts, and what some presets log besides (a semi-supervised run's test error, a progressive run's side and α).
 */
export function foldMetrics(s: DashboardState, m: StepMetrics): DashboardState {
  const recent = <T>(list: T[] | undefined, point: T) => [...(list ?? []), point].slice(-HISTORY_POINTS);
  const extra = m.extra ?? {};
  return {
    ...s, step: m.step, dLoss: m.dLoss, gLoss: m.gLoss, dReal: m.dReal, dFake: m.dFake, imagesPerSec: m.imagesPerSec,
    history: recent(s.history, { step: m.step, dLoss: m.dLoss, gLoss: m.gLoss }),
    outputs: recent(s.outputs, { step: m.step, dReal: m.dReal, dFake: m.dFake }),
    ...(extra.testError !== undefined && { testError: { step: m.step, value: extra.testError } }),
    ...(extra.resolution !== undefined && extra.alpha !== undefined && { growth: { resolution: extra.resolution, alpha: extra.alpha } }),
  };
}

/**
 * The Health section of `s`, with the run's findings (each in its latest state): the worst current one, how many others,
 * and the metric that shows it best over the recent steps the dashboard holds.
 */
export function healthOf(s: DashboardState, findings: Finding[]): DashboardHealth {
  const [worst, ...others] = openFindings(findings, s.step);
  if (!worst) return { others: 0 };
  const metric = RELATED_METRIC[worst.kind];
  const values = metric === 'dLoss' || metric === 'gLoss' ? s.history.map((h) => h[metric]) : (s.outputs ?? []).map((o) => o[metric]);
  return { worst, others: others.length, ...(values.length > 1 && { trend: { label: METRIC_LABELS[metric], values } }) };
}

/** A step-mode view as the dashboard shows it: its grid as a data: URI. */
export function stepShot(view: StepView): StepShot {
  return { step: view.step, uri: `data:image/png;base64,${Buffer.from(view.grid).toString('base64')}`, dReal: view.dReal, dFake: view.dFake };
}

/** The run being followed: its folder, its metrics.jsonl and findings.jsonl, and the step it started (or resumed) from. */
interface FollowedRun {
  dir: string;
  metrics: JsonLinesTail<MetricsLine>;
  findings: JsonLinesTail<Finding>;
  fromStep: number;
}

export class LiveState {
  private current: DashboardState = initialState();
  private run: FollowedRun | undefined;
  /** The newest grid the trainer wrote that is not read yet. */
  private unreadSample: number | undefined;
  /** The trainer wrote a finding that is not read yet. */
  private unreadFindings = false;
  /** The followed run's findings, each in its latest state. */
  private findings: Finding[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  /** The trainer wrote more while a read was under way. */
  private readAgain = false;
  private lastPublished = 0;

  /** `publish` is called at most once per `intervalMs` for new records, and at once for a status change. */
  constructor(
    private readonly publish: (state: DashboardState) => void,
    private readonly intervalMs = 250,
  ) {}

  get state(): DashboardState {
    return this.current;
  }

  /** The followed run's folder and its findings, each in its latest state (for Problems and notifications). */
  get doctor(): { runDir: string; findings: Finding[] } | undefined {
    return this.run && { runDir: this.run.dir, findings: this.findings };
  }

  /** Resets for a new run. */
  begin(preset: string): void {
    this.run = undefined;
    this.current = { ...initialState(), status: 'starting', preset };
    this.flush();
  }

  /** Step mode: `update` was asked of the trainer; the dashboard holds its buttons until it is done. */
  beginStep(update: StepUpdate): void {
    this.current = { ...this.current, stepping: update };
    this.flush();
  }

  setStatus(status: RunStatus, message?: string): void {
    this.current = { ...this.current, status, message };
    this.flush();
  }

  apply(event: TrainerEvent): void {
    const s = this.current;
    switch (event.type) {
      case 'ready':
        this.current = { ...s, backend: event.threads > 1 ? `${event.backend} (${event.threads} threads)` : event.backend };
        return this.flush();
      case 'started':
        // A resumed run's metrics.jsonl holds its earlier steps: the dashboard shows those trained from now on.
        this.run = { dir: event.runDir, metrics: metricsTail(event.runDir), findings: findingsTail(event.runDir), fromStep: event.step };
        this.findings = [];
        this.unreadFindings = true;
        this.current = {
          ...s, status: 'running', runId: event.runId, preset: event.preset, step: event.step, message: undefined, health: { others: 0 },
          stepping: undefined, stepped: undefined,
        };
        this.schedule();
        return this.flush();
      case 'wrote':
        if (event.record === 'sample') this.unreadSample = event.step;
        if (event.record === 'finding') this.unreadFindings = true;
        if (event.record === 'step' || event.record === 'sample' || event.record === 'finding') this.schedule();
        return;
      case 'paused':
        this.current = { ...s, status: 'paused', step: event.step };
        return this.flush();
      case 'resumed':
        this.current = { ...s, status: 'running', step: event.step, stepped: undefined };
        return this.flush();
      case 'stepped':
        // The metrics line is read soon; the counter moves now, with the step's views.
        this.current = {
          ...s, step: Math.max(s.step, event.after.step), stepping: undefined,
          stepped: { update: event.update, before: stepShot(event.before), after: stepShot(event.after) },
        };
        return this.flush();
      case 'stepError':
        this.current = { ...s, stepping: undefined };
        return this.flush();
      case 'stopped':
        this.current = { ...s, status: 'stopped', step: event.step, message: event.reason === 'completed' ? 'Finished all steps.' : undefined, stepping: undefined };
        return this.flush();
      case 'error':
        if (event.fatal) this.current = { ...s, status: 'crashed', message: event.message };
        return this.flush();
      case 'log':
        return;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.run = undefined;
  }

  private schedule(): void {
    if (this.reading) this.readAgain = true;
    if (this.reading || this.timer) return;
    const wait = Math.max(0, this.lastPublished + this.intervalMs - Date.now());
    this.timer = setTimeout(() => void this.read(), wait);
  }

  /** Reads what the trainer wrote since the last read into the state, then publishes it. */
  private async read(): Promise<void> {
    this.timer = undefined;
    const run = this.run;
    if (!run) return;
    this.reading = true;
    try {
      const sample = this.unreadSample;
      const findings = this.unreadFindings;
      this.unreadSample = undefined;
      this.unreadFindings = false;
      const [lines, uri, found] = await Promise.all([
        run.metrics.read(),
        // A grid that cannot be read (a run folder deleted under a live run) leaves the one shown before.
        sample === undefined ? undefined : readSampleUri(run.dir, sample).catch(() => undefined),
        findings ? run.findings.read() : undefined,
      ]);
      if (run !== this.run) return;
      if (lines.reset) this.current = { ...this.current, history: [], outputs: [] };
      this.fold(lines.records, run.fromStep);
      if (sample !== undefined && uri) this.current = { ...this.current, samples: { step: sample, uri } };
      if (found) this.findings = currentFindings(found.reset ? found.records : [...this.findings, ...found.records]);
      this.current = { ...this.current, health: healthOf(this.current, this.findings) };
      this.flush();
    } finally {
      this.reading = false;
      if (this.readAgain) {
        this.readAgain = false;
        this.schedule();
      }
    }
  }

  private fold(lines: MetricsLine[], fromStep: number): void {
    const before = this.current.step;
    for (const line of lines) {
      if (line.kind === 'step' && line.record.step > fromStep) this.current = foldMetrics(this.current, line.record);
    }
    // A status event may have told of a later step than the lines read.
    this.current = { ...this.current, step: Math.max(before, this.current.step) };
  }

  private flush(): void {
    this.lastPublished = Date.now();
    this.publish(this.current);
  }
}
