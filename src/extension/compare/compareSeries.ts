// What a comparison of runs draws: each run's chart lines with its ancestors' history before its branch step, named
// for the run, so one chart overlays them; and the fixed-noise grid each run had at a chosen step.
import { Series } from '../../protocol/panels';
import { RunParent } from '../../protocol/runDir';
import { ScoreRecord, StepMetrics } from '../../protocol/trainer';
import { toSeries } from '../panels/series';

/** One run's records as read from its folder. */
export interface ComparedRun {
  id: string;
  dir: string;
  parent?: RunParent;
  steps: StepMetrics[];
  scores: ScoreRecord[];
  /** Steps with a grid in its samples/, ascending. */
  sampleSteps: number[];
}

/** Where a run's history at each step lies: its own folder after its branch step, its ancestors' before. */
export interface Lineage {
  /** Oldest first; each with the last step taken from it (Infinity for the run itself). */
  runs: { run: ComparedRun; until: number }[];
}

/** `run` and its ancestors among `known` (by id), each cut at the step its child branched from it. */
export function lineage(run: ComparedRun, known: ReadonlyMap<string, ComparedRun>): Lineage {
  const chain: Lineage['runs'] = [{ run, until: Infinity }];
  const seen = new Set([run.id]);
  for (let child = run; child.parent && known.has(child.parent.run) && !seen.has(child.parent.run);) {
    const parent = known.get(child.parent.run)!;
    chain.unshift({ run: parent, until: child.parent.step });
    seen.add(parent.id);
    child = parent;
  }
  return { runs: chain };
}

/** A lineage's step metrics and scores in step order, each step from the run that trained it. */
export function history(line: Lineage): { steps: StepMetrics[]; scores: ScoreRecord[] } {
  const steps: StepMetrics[] = [];
  const scores: ScoreRecord[] = [];
  let from = 0;
  for (const { run, until } of line.runs) {
    for (const m of run.steps) if (m.step > from && m.step <= until) steps.push(m);
    for (const s of run.scores) if (s.step > from && s.step <= until) scores.push(s);
    from = until;
  }
  return { steps, scores };
}

/** Every compared run's lines, named `<label> · <line>`, in the groups the Metrics panel charts. */
export function compareSeries(compared: readonly ComparedRun[], known: ReadonlyMap<string, ComparedRun>, label: (run: ComparedRun) => string = (r) => r.id): Series[] {
  return compared.flatMap((run) => {
    const { steps, scores } = history(lineage(run, known));
    return toSeries(steps, scores, []).map((s) => ({ ...s, name: `${label(run)} · ${s.name}` }));
  });
}

/** The grid a lineage had at `step`: the newest at or before it, from the run that drew it; undefined before the first. */
export function gridAt(line: Lineage, step: number): { dir: string; step: number } | undefined {
  let found: { dir: string; step: number } | undefined;
  let from = -1;
  for (const { run, until } of line.runs) {
    for (const s of run.sampleSteps) if (s > from && s <= Math.min(until, step)) found = { dir: run.dir, step: s };
    from = until;
  }
  return found;
}

/** Steps a grid can be shown at: every step any compared lineage has a grid at, ascending. */
export function gridSteps(lines: readonly Lineage[]): number[] {
  const steps = new Set<number>();
  for (const line of lines) {
    let from = -1;
    for (const { run, until } of line.runs) {
      for (const s of run.sampleSteps) if (s > from && s <= until) steps.add(s);
      from = until;
    }
  }
  return [...steps].sort((a, b) => a - b);
}

/** Short names for the compared runs: their ids without the leading part they all share (a date, usually). */
export function shortLabels(ids: readonly string[]): string[] {
  if (ids.length < 2) return [...ids];
  let common = 0;
  while (ids.every((id) => id[common] !== undefined && id[common] === ids[0][common])) common++;
  // Cut at a separator, so a label never starts mid-word.
  const cut = ids[0].lastIndexOf('-', common - 1) + 1;
  return ids.map((id) => id.slice(cut) || id);
}
