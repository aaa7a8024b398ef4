// The live state of the current run: its status from trainer events, its metrics and newest grid read from the run
// folder when the trainer says it wrote them, published at a pace a person can follow.
import { StepMetrics, TrainerEvent } from '../protocol/trainer';
import { DashboardState, RunStatus } from '../protocol/dashboard';
import { JsonLinesTail } from '../runFolder/jsonLines';
import { MetricsLine } from '../runFolder/records';
import { metricsTail, readSampleUri } from '../runFolder/reader';

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

/** The run being followed: its folder, its metrics.jsonl, and the step it started (or resumed) from. */
interface FollowedRun {
  dir: string;
  metrics: JsonLinesTail<MetricsLine>;
  fromStep: number;
}

export class LiveState {
  private current: DashboardState = initialState();
  private run: FollowedRun | undefined;
  /** The newest grid the trainer wrote that is not read yet. */
  private unreadSample: number | undefined;
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

  /** Resets for a new run. */
  begin(preset: string): void {
    this.run = undefined;
    this.current = { ...initialState(), status: 'starting', preset };
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
        this.run = { dir: event.runDir, metrics: metricsTail(event.runDir), fromStep: event.step };
        this.current = { ...s, status: 'running', runId: event.runId, preset: event.preset, step: event.step, message: undefined };
        return this.flush();
      case 'wrote':
        if (event.record === 'sample') this.unreadSample = event.step;
        if (event.record === 'step' || event.record === 'sample') this.schedule();
        return;
      case 'paused':
        this.current = { ...s, status: 'paused', step: event.step };
        return this.flush();
      case 'resumed':
        this.current = { ...s, status: 'running', step: event.step };
        return this.flush();
      case 'stopped':
        this.current = { ...s, status: 'stopped', step: event.step, message: event.reason === 'completed' ? 'Finished all steps.' : undefined };
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
      this.unreadSample = undefined;
      const [lines, uri] = await Promise.all([
        run.metrics.read(),
        // A grid that cannot be read (a run folder deleted under a live run) leaves the one shown before.
        sample === undefined ? undefined : readSampleUri(run.dir, sample).catch(() => undefined),
      ]);
      if (run !== this.run) return;
      if (lines.reset) this.current = { ...this.current, history: [], outputs: [] };
      this.fold(lines.records, run.fromStep);
      if (sample !== undefined && uri) this.current = { ...this.current, samples: { step: sample, uri } };
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
