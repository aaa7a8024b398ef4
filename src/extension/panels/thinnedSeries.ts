// Chart lines held at a bounded size however long a run grows: past a cap, a line halves its resolution, keeping its
// newest point and the points at steps where the run's settings changed.
import { Series } from '../../protocol/panels';

/** Points per line a panel is sent at most (and the host keeps): a chart a few thousand pixels wide shows no more. */
export const LINE_POINTS = 4096;

/** One line: its kept points, plus the newest one when the stride passed over it. */
export class ThinnedLine {
  readonly steps: number[] = [];
  readonly values: number[] = [];
  /** Every `stride`-th point that arrives is kept. */
  private stride = 1;
  private seen = 0;
  private newest: [number, number] | undefined;
  /** Counts the halvings: points a panel was sent before one may no longer be here. */
  generation = 0;

  constructor(private readonly cap: number, private readonly pinned: (step: number) => boolean) {}

  add(step: number, value: number): void {
    if (this.seen++ % this.stride !== 0 && !this.pinned(step)) {
      this.newest = [step, value];
      return;
    }
    this.newest = undefined;
    this.steps.push(step);
    this.values.push(value);
    if (this.steps.length > this.cap) this.halve();
  }

  /** A step just became pinned: its point is kept even when the stride passed over it. */
  pin(step: number): void {
    if (this.newest?.[0] !== step) return;
    this.steps.push(step);
    this.values.push(this.newest[1]);
    this.newest = undefined;
  }

  /** The kept points from index `from` on, and the newest point after them. */
  points(from = 0): { steps: number[]; values: number[] } {
    const steps = this.steps.slice(from);
    const values = this.values.slice(from);
    if (this.newest) {
      steps.push(this.newest[0]);
      values.push(this.newest[1]);
    }
    return { steps, values };
  }

  /** The last step a panel holds of this line. */
  get lastStep(): number {
    return this.newest?.[0] ?? this.steps.at(-1) ?? -Infinity;
  }

  get size(): number {
    return this.steps.length;
  }

  /** Drops every other point but the pinned ones and the last; later points are kept at half the rate. */
  private halve(): void {
    let kept = 0;
    const last = this.steps.length - 1;
    for (let i = 0; i <= last; i++) {
      if (i % 2 !== 0 && i !== last && !this.pinned(this.steps[i])) continue;
      this.steps[kept] = this.steps[i];
      this.values[kept++] = this.values[i];
    }
    this.steps.length = this.values.length = kept;
    this.stride *= 2;
    this.generation++;
  }
}

/** Where each line stood when a push began: what is new since then is what the panels have not been sent. */
export type SeriesMark = Map<string, { size: number; generation: number; lastStep: number }>;

/** A run's chart lines by name, each thinned on its own. */
export class ThinnedSeries {
  private readonly lines = new Map<string, { group: string; line: ThinnedLine }>();
  private readonly pins = new Set<number>();

  constructor(private readonly cap = LINE_POINTS) {}

  add(name: string, group: string, step: number, value: number): void {
    let entry = this.lines.get(name);
    if (!entry) this.lines.set(name, (entry = { group, line: new ThinnedLine(this.cap, (s) => this.pins.has(s)) }));
    entry.line.add(step, value);
  }

  /** The run's settings changed at `step`: every line keeps its point there. */
  pin(step: number): void {
    this.pins.add(step);
    for (const { line } of this.lines.values()) line.pin(step);
  }

  /** The newest value of line `name` at or before `step`, and the first after it if none is. */
  valueNear(name: string, step: number): number | undefined {
    const line = this.lines.get(name)?.line;
    if (!line) return undefined;
    const { steps, values } = line.points();
    const at = steps.findIndex((s) => s >= step);
    return at < 0 ? values.at(-1) : values[at];
  }

  /** Every line as it is kept now. */
  all(): Series[] {
    return [...this.lines].map(([name, { group, line }]) => ({ name, group, ...line.points() }));
  }

  mark(): SeriesMark {
    return new Map([...this.lines].map(([name, { line }]) => [name, { size: line.size, generation: line.generation, lastStep: line.lastStep }]));
  }

  /** Whether a line was thinned since `mark`: then the panels need every line again rather than what is new. */
  thinnedSince(mark: SeriesMark): boolean {
    return [...this.lines].some(([name, { line }]) => (mark.get(name)?.generation ?? 0) !== line.generation);
  }

  /** The points added since `mark`, for panels that hold everything up to it. */
  since(mark: SeriesMark): Series[] {
    const out: Series[] = [];
    for (const [name, { group, line }] of this.lines) {
      const before = mark.get(name);
      const { steps, values } = line.points(before?.size ?? 0);
      const first = before ? steps.findIndex((s) => s > before.lastStep) : 0;
      if (first < 0 || steps.length === 0) continue;
      out.push({ name, group, steps: steps.slice(first), values: values.slice(first) });
    }
    return out;
  }

  clear(): void {
    this.lines.clear();
    this.pins.clear();
  }
}
