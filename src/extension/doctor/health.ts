// Which of a run's findings the Health section shows: those still open at the run's newest step, worst first.
import { byConcern, Finding } from '../../protocol/findings';

/**
 * A finding is open while its lastStep is this close to the run's newest step: the doctor checks every 25 steps and
 * writes an open finding again every 100, so an open one is never further behind; a closed one soon is.
 */
export const CURRENT_WITHIN = 150;

/** The findings still open at `step` (the run's newest), worst first. */
export function openFindings(findings: readonly Finding[], step: number): Finding[] {
  return byConcern(findings.filter((f) => f.lastStep >= step - CURRENT_WITHIN));
}
