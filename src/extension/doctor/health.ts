// Which of a run's findings the user sees first: the current ones, worst first (error, warning, info), then newest.
import { Finding, Severity } from '../../protocol/findings';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * A finding is current while its lastStep is this close to the run's newest step: the doctor checks every 25 steps and
 * writes an open finding again every 100, so an open one is never further behind; a closed one soon is.
 */
export const CURRENT_WITHIN = 150;

/** Worst first: by severity, then the newest (latest seen, then latest first seen). */
export function byConcern(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.lastStep - a.lastStep || b.step - a.step);
}

/** The findings still open at `step` (the run's newest), worst first. */
export function currentFindings(findings: readonly Finding[], step: number): Finding[] {
  return byConcern(findings.filter((f) => f.lastStep >= step - CURRENT_WITHIN));
}

/** The worst current finding, or undefined when all is clear. */
export function worstFinding(findings: readonly Finding[], step: number): Finding | undefined {
  return currentFindings(findings, step)[0];
}
