// The inspectors open at once (each a trainer process holding a past run's checkpoint in memory), capped: opening one
// more closes the one used least recently; its panels start it again when they next ask.

/** How many inspectors may run at once: each holds a model and a backend, hundreds of MB. */
export const MAX_INSPECTORS = 2;

export class InspectorPool<T> {
  /** By run folder, least recently used first (a Map keeps insertion order; a use moves an entry to the end). */
  private readonly entries = new Map<string, Promise<T>>();

  constructor(
    private readonly start: (runDir: string) => Promise<T>,
    private readonly stop: (runDir: string, inspector: Promise<T>, why: 'closed' | 'evicted') => void,
    private readonly cap = MAX_INSPECTORS,
  ) {}

  /** The inspector of `runDir`, started when there is none; one that fails to start is forgotten, so the next ask retries. */
  get(runDir: string): Promise<T> {
    const known = this.entries.get(runDir);
    if (known) {
      this.entries.delete(runDir);
      this.entries.set(runDir, known);
      return known;
    }
    const started = this.start(runDir);
    this.entries.set(runDir, started);
    started.catch(() => this.entries.get(runDir) === started && this.entries.delete(runDir));
    for (const [oldest, inspector] of this.entries) {
      if (this.entries.size <= this.cap) break;
      this.entries.delete(oldest);
      this.stop(oldest, inspector, 'evicted');
    }
    return started;
  }

  close(runDir: string): void {
    const inspector = this.entries.get(runDir);
    if (!inspector) return;
    this.entries.delete(runDir);
    this.stop(runDir, inspector, 'closed');
  }

  get runDirs(): string[] {
    return [...this.entries.keys()];
  }
}
