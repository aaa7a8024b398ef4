// The live state of the current run: its status from trainer events, its metrics and newest grid read from the run
// folder when the trainer says it wrote them, published at a pace a person can follow.
import { TrainerEvent } from '../protocol/trainer';
import { DashboardState, RunStatus } from '../protocol/dashboard';
import { JsonLinesTail } from '../runFolder/jsonLines';
import { MetricsLine } from '../runFolder/records';
import { metricsTail, readSampleUri } from '../runFolder/reader';

const HISTORY_POINTS = 300;

export function initialState(): DashboardState {
  return { status: 'idle', step: 0, dLoss: null, gLoss: null, dReal: null, dFake: null, imagesPerSec: null, history: [] };
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
      if (lines.reset) this.current = { ...this.current, history: [] };
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
    const steps = lines.flatMap((line) => (line.kind === 'step' && line.record.step > fromStep ? [line.record] : []));
    const m = steps.at(-1);
    if (!m) return;
    const s = this.current;
    const history = [...s.history, ...steps.map((r) => ({ step: r.step, dLoss: r.dLoss, gLoss: r.gLoss }))].slice(-HISTORY_POINTS);
    this.current = {
      // A status event may have told of a later step than the lines read.
      ...s, step: Math.max(s.step, m.step), dLoss: m.dLoss, gLoss: m.gLoss, dReal: m.dReal, dFake: m.dFake,
      imagesPerSec: m.imagesPerSec, history,
    };
  }

  private flush(): void {
    this.lastPublished = Date.now();
    this.publish(this.current);
  }
}
