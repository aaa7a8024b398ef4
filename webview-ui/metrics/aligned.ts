// One chart's lines on one step axis, grown in place as a live run logs new steps.
import { Columns, firstAtLeast } from './decimate';

export class AlignedLines {
  readonly names: string[] = [];
  /** [steps, ...one column per name]: steps ascending, null where a line has no value at that step. */
  private data: Columns = [[]];
  /** Every value as it came, by line: what a rebuild aligns again. */
  private readonly raw: { steps: number[]; values: number[] }[] = [];

  get columns(): Columns {
    return this.data;
  }

  /**
   * Adds values of the line `name`. Steps after the newest are appended and steps already on the axis are filled in
   * place; only a new line or a step that falls between known ones rebuilds the axis (a rare, ordered-merge cost).
   */
  append(name: string, steps: number[], values: number[]): void {
    let line = this.names.indexOf(name);
    if (line < 0) {
      this.names.push(name);
      this.raw.push({ steps: [], values: [] });
      line = this.names.length - 1;
      this.data.push(new Array<number | null>(this.data[0].length).fill(null));
    }
    const raw = this.raw[line];
    for (let i = 0; i < steps.length; i++) {
      raw.steps.push(steps[i]);
      raw.values.push(values[i]);
    }
    const xs = this.data[0];
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      if (!xs.length || step > xs[xs.length - 1]) {
        xs.push(step);
        for (let c = 1; c < this.data.length; c++) (this.data[c] as (number | null)[]).push(null);
        this.data[line + 1][xs.length - 1] = values[i];
        continue;
      }
      const at = firstAtLeast(xs, step);
      if (xs[at] !== step) return this.rebuild();
      this.data[line + 1][at] = values[i];
    }
  }

  /** Aligns every line again from what it logged: the union of their steps, in order. */
  private rebuild(): void {
    const xs = [...new Set(this.raw.flatMap((r) => r.steps))].sort((a, b) => a - b);
    const index = new Map(xs.map((x, i) => [x, i]));
    this.data = [xs, ...this.raw.map((r) => {
      const ys = new Array<number | null>(xs.length).fill(null);
      r.steps.forEach((x, i) => (ys[index.get(x)!] = r.values[i]));
      return ys;
    })];
  }
}
