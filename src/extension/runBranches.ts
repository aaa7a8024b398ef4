// Runs as a family tree: a branch (run.json's `parent`) is listed under the run it branched from.
import { RunSummary } from './runStore';

/** The run a branch came from, by its id, when run.json names one. */
const parentOf = (run: RunSummary) => run.record?.parent?.run;

/** Runs listed at the top: those with no parent among `runs` (a parent deleted or elsewhere leaves its branch on top). */
export function topLevelRuns(runs: readonly RunSummary[]): RunSummary[] {
  const ids = new Set(runs.map((r) => r.id));
  return runs.filter((r) => {
    const parent = parentOf(r);
    return parent === undefined || parent === r.id || !ids.has(parent);
  });
}

/** The branches of the run `id`, in the order `runs` lists them. */
export function branchesOf(runs: readonly RunSummary[], id: string): RunSummary[] {
  return runs.filter((r) => parentOf(r) === id && r.id !== id);
}
