// One run's data for every panel open on it: read from its directory (live or past, extension or CLI), pushed as it grows.
import * as path from 'node:path';
import { currentFindings, Finding } from '../../protocol/findings';
import { PanelKind, PanelRun, RunChange, ToPanel } from '../../protocol/panels';
import { ModelGraph, ProbeSnapshot } from '../../protocol/probes';
import { ScoreRecord, StepMetrics } from '../../protocol/trainer';
import { scoreEveryOf } from '../../protocol/scoreAxes';
import { readRunRecord, RunFolderReader, RunFolderUpdate } from '../../runFolder/reader';
import { toSeries } from './series';

export interface FeedSubscriber {
  kind: PanelKind;
  post(message: ToPanel): void;
}

/** How often a run's files are looked at: a CLI run still being written is followed at this pace. */
const POLL_MS = 1_000;
/** The soonest a push follows the previous one, however fast the trainer goes. */
const MIN_PUSH_MS = 250;

export class RunFeed {
  readonly files: RunFolderReader;
  /** From run.json, read once: a run's id and preset never change. */
  private runId: string;
  private preset: string | undefined;
  /** How often the run scores its generator, and its dataset: what the Metrics panel says about scores to come. */
  private scoring: { scoreEvery: number; dataset: string } | undefined;
  private graph: ModelGraph | undefined;
  private snapshots: ProbeSnapshot[] = [];
  private steps: StepMetrics[] = [];
  private scores: ScoreRecord[] = [];
  private changes: RunChange[] = [];
  /** findings.jsonl's lines in order: a finding's later states follow its first. */
  private findingLines: Finding[] = [];
  private sampleSteps: number[] = [];
  private readonly subscribers = new Set<FeedSubscriber>();
  /** Subscribers waiting for the reads before them to finish, so they start from everything read so far. */
  private readonly joining = new Set<FeedSubscriber>();
  private readonly poller: NodeJS.Timeout;
  private soon: NodeJS.Timeout | undefined;
  /** The reads of the run's files, one after another: each takes up where the one before left off. */
  private reads = Promise.resolve();
  /** Reads queued and not finished. */
  private pending = 0;
  private lastRead = 0;
  private live = false;
  private problems: string[] = [];

  constructor(readonly dir: string) {
    this.files = new RunFolderReader(dir);
    this.runId = path.basename(dir);
    void this.queue(() => this.first());
    this.poller = setInterval(() => this.pending === 0 && this.refresh(), POLL_MS);
  }

  get run(): PanelRun {
    return {
      runId: this.runId,
      runDir: this.dir,
      preset: this.preset ?? this.graph?.preset ?? '',
      live: this.live,
      step: Math.max(this.steps.at(-1)?.step ?? 0, this.snapshots.at(-1)?.step ?? 0, this.sampleSteps.at(-1) ?? 0),
      ...this.scoring,
    };
  }

  setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    this.broadcast({ type: 'run', run: this.run });
  }

  /** The run's findings as they stand: the last state of each, in order of first appearance. */
  get findings(): Finding[] {
    return currentFindings(this.findingLines);
  }

  /** A progressive run's resolution and α when the grid of `step` was drawn: from the first step line at or after it. */
  growthAt(step: number): { resolution: number; alpha: number } | undefined {
    const extra = this.steps.find((m) => m.step >= step)?.extra;
    return extra?.resolution === undefined ? undefined : { resolution: extra.resolution, alpha: extra.alpha ?? 1 };
  }

  /** The trainer reported progress on this run: read its files soon, but never more often than a person can follow. */
  poke(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => this.refresh(), Math.max(0, this.lastRead + MIN_PUSH_MS - Date.now()));
  }

  /** Sends everything so far to a panel that just (re)loaded, then keeps it up to date; resolves once it is sent. */
  subscribe(subscriber: FeedSubscriber, layer?: string): Promise<void> {
    this.joining.add(subscriber);
    return this.queue(async () => {
      if (!this.joining.delete(subscriber)) return;
      this.subscribers.add(subscriber);
      subscriber.post({ type: 'run', run: this.run, layer });
      for (const message of this.everything(subscriber.kind)) subscriber.post(message);
    });
  }

  unsubscribe(subscriber: FeedSubscriber): void {
    this.joining.delete(subscriber);
    this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  dispose(): void {
    clearInterval(this.poller);
    clearTimeout(this.soon);
    this.joining.clear();
    this.subscribers.clear();
  }

  /** Runs `task` after the reads queued before it; a read that fails is told to the panels that open next. */
  private queue(task: () => Promise<void>): Promise<void> {
    this.pending++;
    this.reads = this.reads
      .then(task)
      .catch((err: Error) => void (this.problems = [`Cannot read ${this.dir}: ${err.message}`]))
      .finally(() => this.pending--);
    return this.reads;
  }

  /** The first read: run.json, which never changes, and everything written so far. */
  private async first(): Promise<void> {
    const record = await readRunRecord(this.dir).catch(() => undefined);
    if (record) {
      [this.runId, this.preset] = [record.id, record.config.preset];
      this.scoring = { scoreEvery: scoreEveryOf(record.config, record.model), dataset: record.config.dataset };
    }
    await this.absorb();
  }

  private refresh(): void {
    clearTimeout(this.soon);
    this.soon = undefined;
    void this.queue(() => this.push());
  }

  /** Reads what is new and sends it to the panels that want it. */
  private async push(): Promise<void> {
    const before = {
      graph: this.graph, snapshots: this.snapshots.length, steps: this.steps.length, scores: this.scores.length, changes: this.changes.length,
      findings: this.findingLines.length,
    };
    const update = await this.absorb();
    if (update.reset) {
      for (const s of this.subscribers) for (const message of this.everything(s.kind)) s.post(message);
      return;
    }
    const snapshots = this.snapshots.slice(before.snapshots);
    const steps = this.steps.slice(before.steps);
    const scores = this.scores.slice(before.scores);
    const changes = this.changes.slice(before.changes);
    const series = toSeries(steps, scores, snapshots);
    const findings = this.findingLines.length > before.findings ? this.findings : undefined;
    const changedRun = steps.length > 0 || snapshots.length > 0 || update.sampleSteps !== undefined;
    const run = changedRun && this.subscribers.size ? this.run : undefined;
    for (const s of this.subscribers) {
      if (run) s.post({ type: 'run', run });
      if (this.graph !== before.graph && this.graph && wants(s.kind, 'graph')) s.post({ type: 'graph', graph: this.graph });
      if (snapshots.length && s.kind === 'graph') s.post({ type: 'snapshots', reset: true, snapshots: this.snapshots.slice(-1) });
      if (snapshots.length && s.kind === 'batchNorm') s.post({ type: 'snapshots', reset: false, snapshots });
      if (series.length && (s.kind === 'metrics' || s.kind === 'diagnosis')) s.post({ type: 'series', reset: false, series });
      if (findings && (s.kind === 'metrics' || s.kind === 'diagnosis')) s.post({ type: 'findings', reset: true, findings });
      if (changes.length && s.kind === 'metrics') s.post({ type: 'changes', reset: false, changes });
      if (update.sampleSteps && s.kind === 'gallery') s.post({ type: 'sampleSteps', steps: this.sampleSteps });
    }
  }

  /** Reads what is new into memory; returns what the read found. */
  private async absorb(): Promise<RunFolderUpdate> {
    this.lastRead = Date.now();
    const update = await this.files.read();
    if (update.reset) {
      this.snapshots = [];
      this.steps = [];
      this.scores = [];
      this.changes = [];
      this.findingLines = [];
    }
    if (update.graph) this.graph = update.graph;
    // concat, not push(...): a long run's first read holds more records than a call takes arguments.
    this.snapshots = this.snapshots.concat(update.snapshots);
    this.steps = this.steps.concat(update.steps);
    this.scores = this.scores.concat(update.scores);
    this.changes = this.changes.concat(update.changes.map(({ step, changed }) => ({ step, changed })));
    this.findingLines = this.findingLines.concat(update.findings);
    if (update.sampleSteps) this.sampleSteps = update.sampleSteps;
    this.problems = update.problems;
    return update;
  }

  private everything(kind: PanelKind): ToPanel[] {
    const messages: ToPanel[] = [];
    if (this.graph && wants(kind, 'graph')) messages.push({ type: 'graph', graph: this.graph });
    else if (wants(kind, 'graph')) {
      const why = this.problems[0] ?? `${this.dir} has no graph.json yet: the trainer writes it when a run starts.`;
      messages.push({ type: 'notice', message: why });
    }
    if (kind === 'graph') messages.push({ type: 'snapshots', reset: true, snapshots: this.snapshots.slice(-1) });
    if (kind === 'batchNorm') messages.push({ type: 'snapshots', reset: true, snapshots: this.snapshots });
    if (kind === 'metrics' || kind === 'diagnosis') messages.push({ type: 'series', reset: true, series: toSeries(this.steps, this.scores, this.snapshots) });
    if (kind === 'metrics' || kind === 'diagnosis') messages.push({ type: 'findings', reset: true, findings: this.findings });
    if (kind === 'metrics' && this.changes.length) messages.push({ type: 'changes', reset: true, changes: this.changes });
    if (kind === 'gallery') messages.push({ type: 'sampleSteps', steps: this.sampleSteps });
    return messages;
  }

  private broadcast(message: ToPanel): void {
    for (const s of this.subscribers) s.post(message);
  }
}

/** Which panels draw the model graph's layers. */
function wants(kind: PanelKind, what: 'graph'): boolean {
  return what === 'graph' && (kind === 'graph' || kind === 'activations' || kind === 'batchNorm');
}
