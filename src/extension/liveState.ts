// The live state of the current run, folded from trainer events and published at a pace a person can follow.
import { StepMetrics, TrainerEvent } from '../protocol/trainer';
import { DashboardState, RunStatus } from '../protocol/dashboard';

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

export class LiveState {
  private current: DashboardState = initialState();
  private timer: NodeJS.Timeout | undefined;
  private lastPublished = 0;

  /** `publish` is called at most once per `intervalMs`, and always for a status change. */
  constructor(
    private readonly publish: (state: DashboardState) => void,
    private readonly intervalMs = 250,
  ) {}

  get state(): DashboardState {
    return this.current;
  }

  /** Resets for a new run. */
  begin(preset: string): void {
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
        this.current = { ...s, status: 'running', runId: event.runId, preset: event.preset, step: event.step, message: undefined };
        return this.flush();
      case 'step':
        this.current = foldMetrics(s, event.metrics);
        return this.schedule();
      case 'samples':
        this.current = { ...s, samples: { step: event.step, uri: `data:image/png;base64,${Buffer.from(event.png).toString('base64')}` } };
        return this.schedule();
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
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastPublished + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastPublished = Date.now();
    this.publish(this.current);
  }
}
