// One run's data for every panel open on it: read from its directory (live or past, extension or CLI), pushed as it grows.
import * as path from 'node:path';
import { currentFindings, Finding } from '../../protocol/findings';
import { PanelKind, PanelRun, RunChange, Series, StepVerdicts, ToPanel } from '../../protocol/panels';
import { ModelGraph, ProbeSnapshot } from '../../protocol/probes';
import { scoreEveryOf } from '../../protocol/scoreAxes';
import { metricsTail, readRunRecord, RunFolderReader, RunFolderUpdate } from '../../runFolder/reader';
import { MetricsLine } from '../../runFolder/records';
import { addScores, addSnapshot, addStep, SeriesSink } from './series';
import { ThinnedSeries } from './thinnedSeries';

export interface FeedSubscriber {
  kind: PanelKind;
  post(message: ToPanel): void;
}

/** How often a run's files are looked at: a CLI run still being written is followed at this pace. */
const POLL_MS = 1_000;
/** The soonest a push follows the previous one, however fast the trainer goes. */
const MIN_PUSH_MS = 250;
/** The longest one read of metrics.jsonl goes on before it lets the panels see what it has (a huge file loads in slices). */
const READ_SLICE_MS = 20;
/** A byte offset of metrics.jsonl is noted every this many bytes, so a zoom reads only the lines of its steps. */
const INDEX_BYTES = 4 << 20;

export class RunFeed {
  files: RunFolderReader;
  /** From run.json, read once: a run's id and preset never change. */
  private runId: string;
  private preset: string | undefined;
  /** How often the run scores its generator, and its dataset: what the Metrics panel says about scores to come. */
  private scoring: { scoreEvery: number; dataset: string } | undefined;
  private graph: ModelGraph | undefined;
  private snapshots: ProbeSnapshot[] = [];
  /** The chart lines, thinned: memory stays bounded however long metrics.jsonl grows. */
  private readonly series = new ThinnedSeries();
  private lastStep = 0;
  private changes: RunChange[] = [];
  /** Offsets of metrics.jsonl's lines at about every INDEX_BYTES, by step: where a zoom's read begins. */
  private index: { step: number; offset: number }[] = [];
  private lineStart = 0;
  /** The last read stopped at its time budget: the next follows at once. */
  private more = false;
  /** findings.jsonl folded as it is read: the last state of each finding, in order of first appearance. */
  private current: Finding[] = [];
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
      step: Math.max(this.lastStep, this.snapshots.at(-1)?.step ?? 0, this.sampleSteps.at(-1) ?? 0),
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
    return this.current;
  }

  /** A progressive run's resolution and α when the grid of `step` was drawn: from the first step line at or after it. */
  growthAt(step: number): { resolution: number; alpha: number } | undefined {
    const resolution = this.series.valueNear('resolution', step);
    return resolution === undefined ? undefined : { resolution, alpha: this.series.valueNear('alpha', step) ?? 1 };
  }

  /** The lines of chart `group` between two steps, at as fine a resolution as a panel is sent: what a zoom shows. */
  async detail(group: string, from: number, to: number): Promise<Series[]> {
    const lines = new ThinnedSeries();
    const sink: SeriesSink = { add: (name, g, step, value) => g === group && lines.add(name, g, step, value) };
    const start = this.index.findLast((e) => e.step <= from)?.offset ?? 0;
    // From the newline before the line: the tail skips up to the first newline it reads.
    await metricsTail(this.dir, Math.max(0, start - 1)).scan((line) => {
      if (line.record.step > to) return false;
      if (line.record.step >= from) addMetricsLine(sink, line);
    });
    for (const s of this.snapshots) if (s.step >= from && s.step <= to) addSnapshot(sink, s);
    return lines.all();
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
      .finally(() => {
        this.pending--;
        if (this.more && this.pending === 0) setImmediate(() => this.refresh());
      });
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
    const before = { graph: this.graph, snapshots: this.snapshots.length, changes: this.changes.length, series: this.series.mark() };
    const update = await this.absorb();
    if (update.reset) {
      for (const s of this.subscribers) for (const message of this.everything(s.kind)) s.post(message);
      return;
    }
    const snapshots = this.snapshots.slice(before.snapshots);
    const changes = this.changes.slice(before.changes);
    // A line thinned since the last push: the panels get every line again, at the new resolution, rather than more of it.
    const thinned = this.series.thinnedSince(before.series);
    const series = thinned ? [] : this.series.since(before.series);
    const findings = update.findings.length ? this.findings : undefined;
    const changedRun = thinned || series.length > 0 || snapshots.length > 0 || update.sampleSteps !== undefined;
    const run = changedRun && this.subscribers.size ? this.run : undefined;
    for (const s of this.subscribers) {
      if (run) s.post({ type: 'run', run });
      if (this.graph !== before.graph && this.graph && wants(s.kind, 'graph')) s.post({ type: 'graph', graph: this.graph });
      if (snapshots.length && (s.kind === 'graph' || s.kind === 'gradients')) s.post({ type: 'snapshots', reset: true, snapshots: this.snapshots.slice(-1) });
      if (snapshots.length && s.kind === 'batchNorm') s.post({ type: 'snapshots', reset: false, snapshots });
      const charts = s.kind === 'metrics' || s.kind === 'diagnosis';
      if (thinned && charts) for (const message of this.everything(s.kind)) s.post(message);
      if (series.length && charts) s.post({ type: 'series', reset: false, series });
      if (findings && charts) s.post({ type: 'findings', reset: true, findings });
      if (changes.length && s.kind === 'metrics') s.post({ type: 'changes', reset: false, changes });
      if (snapshots.length && s.kind === 'metrics') s.post({ type: 'verdicts', reset: false, verdicts: verdictsOf(snapshots) });
      if (update.sampleSteps && s.kind === 'gallery') s.post({ type: 'sampleSteps', steps: this.sampleSteps });
    }
  }

  /** Reads what is new into memory; returns what the read found. */
  private async absorb(): Promise<RunFolderUpdate> {
    const files = this.files;
    this.lastRead = Date.now();
    const deadline = this.lastRead + READ_SLICE_MS;
    this.more = false;
    let lines = 0;
    const update = await files.read((line, end) => {
      this.takeMetricsLine(line, end);
      // The clock is read every few dozen lines: cheap, and a slice still ends within a few milliseconds of its budget.
      if (++lines % 64 !== 0 || Date.now() < deadline) return true;
      this.more = true;
      return false;
    });
    if (update.reset) {
      // The files were cut back (a resumed run): what this read streamed in came from their start, on top of the old.
      this.files = new RunFolderReader(this.dir);
      this.snapshots = [];
      this.series.clear();
      this.changes = [];
      this.index = [];
      this.current = [];
      [this.lastStep, this.lineStart] = [0, 0];
      return { ...(await this.absorb()), reset: true };
    }
    if (update.graph) this.graph = update.graph;
    // concat, not push(...): a long run's first read holds more records than a call takes arguments.
    this.snapshots = this.snapshots.concat(update.snapshots);
    for (const s of update.snapshots) addSnapshot(this.series, s);
    // Folded as it comes (a later state replaces its finding in place), so a long run's lines are not all kept.
    if (update.findings.length) this.current = currentFindings(this.current.concat(update.findings));
    if (update.sampleSteps) this.sampleSteps = update.sampleSteps;
    this.problems = update.problems;
    return update;
  }

  /** One line of metrics.jsonl, read up to file offset `end`, into the thinned lines and the zoom index. */
  private takeMetricsLine(line: MetricsLine, end: number): void {
    if (end - (this.index.at(-1)?.offset ?? 0) >= INDEX_BYTES) this.index.push({ step: line.record.step, offset: this.lineStart });
    this.lineStart = end;
    if (line.kind === 'step') this.lastStep = Math.max(this.lastStep, line.record.step);
    if (line.kind === 'changed') {
      this.changes.push({ step: line.record.step, changed: line.record.changed });
      this.series.pin(line.record.step);
    }
    addMetricsLine(this.series, line);
  }

  private everything(kind: PanelKind): ToPanel[] {
    const messages: ToPanel[] = [];
    if (this.graph && wants(kind, 'graph')) messages.push({ type: 'graph', graph: this.graph });
    else if (wants(kind, 'graph')) {
      const why = this.problems[0] ?? `${this.dir} has no graph.json yet: the trainer writes it when a run starts.`;
      messages.push({ type: 'notice', message: why });
    }
    if (kind === 'graph' || kind === 'gradients') messages.push({ type: 'snapshots', reset: true, snapshots: this.snapshots.slice(-1) });
    if (kind === 'batchNorm') messages.push({ type: 'snapshots', reset: true, snapshots: this.snapshots });
    if (kind === 'metrics' || kind === 'diagnosis') messages.push({ type: 'series', reset: true, series: this.series.all() });
    if (kind === 'metrics' || kind === 'diagnosis') messages.push({ type: 'findings', reset: true, findings: this.findings });
    if (kind === 'metrics' && this.changes.length) messages.push({ type: 'changes', reset: true, changes: this.changes });
    if (kind === 'metrics') messages.push({ type: 'verdicts', reset: true, verdicts: verdictsOf(this.snapshots) });
    if (kind === 'gallery') messages.push({ type: 'sampleSteps', steps: this.sampleSteps });
    return messages;
  }

  private broadcast(message: ToPanel): void {
    for (const s of this.subscribers) s.post(message);
  }
}

/** The chart points of one line of metrics.jsonl. */
function addMetricsLine(sink: SeriesSink, line: MetricsLine): void {
  if (line.kind === 'step') addStep(sink, line.record);
  else if (line.kind === 'scores') addScores(sink, line.record);
}

/** D's verdict histograms of the snapshots that have them (those written before they were recorded do not). */
function verdictsOf(snapshots: ProbeSnapshot[]): StepVerdicts[] {
  return snapshots.flatMap((s) => (s.verdicts ? [{ step: s.step, ...s.verdicts }] : []));
}

/** Which panels draw the model graph's layers. */
function wants(kind: PanelKind, what: 'graph'): boolean {
  return what === 'graph' && (kind === 'graph' || kind === 'activations' || kind === 'batchNorm');
}
