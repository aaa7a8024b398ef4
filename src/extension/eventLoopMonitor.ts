// Measures the extension host's event-loop delay while a run trains: the check that training never blocks VS Code.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';

/** How often the delay is written to the log while a run trains. */
const LOG_EVERY_MS = 60_000;

export interface EventLoopDelay { p50: number; p99: number; max: number; samples: number }

export class EventLoopMonitor implements vscode.Disposable {
  private readonly histogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly timer: NodeJS.Timeout;

  /** Logs the last minute's delay while `active()` says a run trains. */
  constructor(log: (line: string) => void, active: () => boolean) {
    this.histogram.enable();
    this.timer = setInterval(() => {
      if (!active()) return;
      const d = this.read(true);
      log(`Extension host event-loop delay over the last minute: p50 ${d.p50.toFixed(1)} ms, p99 ${d.p99.toFixed(1)} ms, max ${d.max.toFixed(1)} ms`);
    }, LOG_EVERY_MS);
  }

  /** The delay since the last reset, in ms. */
  read(reset = false): EventLoopDelay {
    const ms = (ns: number) => (Number.isFinite(ns) ? ns / 1e6 : 0);
    const h = this.histogram;
    const d = { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), samples: h.count };
    if (reset) h.reset();
    return d;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }
}
