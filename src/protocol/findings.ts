// The GAN doctor's findings: what is wrong with a run, the numbers that show it, and the GAN-file changes that may fix it.
import { arrayOf, nonNegInt, numberRecord, object, oneOf, str, Validator } from './check';

/** Every kind of finding the trainer's doctor reports. Readers key their explanations and charts on these names. */
export const FINDING_KINDS = [
  'non-finite',
  'discriminator-wins',
  'mode-collapse',
  'oscillation',
  'vanishing-gradient',
  'exploding-gradient',
  'dead-units',
  'batchnorm-drift',
  'checkerboard',
  'memorisation',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** 'error': training cannot go on as it is (a notification); 'warning': the GAN is failing; 'info': worth a look. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The run folder's file of findings, one JSON object a line. */
export const FINDINGS_FILE = 'findings.jsonl';

/** A change that may fix a finding: a partial `.gan.json` object, merged into the run's GAN file. */
export interface Remedy {
  title: string;
  change: Record<string, unknown>;
}

/**
 * One finding. A finding that persists is written again with the same `step` and a later `lastStep`: findings.jsonl is
 * append-only, and its current state is the last line of each (kind, step) — see `currentFindings`.
 */
export interface Finding {
  /** The step it was first seen at. */
  step: number;
  /** The last step it was still seen at. */
  lastStep: number;
  kind: FindingKind;
  severity: Severity;
  /** One plain sentence: what is wrong, with the numbers that say so. */
  summary: string;
  /** The measurements behind it, by name (e.g. `dReal`, `dFake`, `diversityRatio`). */
  evidence: Record<string, number>;
  remedies: Remedy[];
}

const change: Validator = (v, p) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `${p} must be an object (part of a .gan.json)`);

export const findingProblem: Validator = (v, p) =>
  object({
    step: nonNegInt, lastStep: nonNegInt, kind: oneOf(...FINDING_KINDS), severity: oneOf(...SEVERITIES), summary: str,
    evidence: numberRecord, remedies: arrayOf(object({ title: str, change })),
  })(v, p) ?? ((v as Finding).lastStep < (v as Finding).step ? `${p}.lastStep must not be before ${p}.step` : undefined);

/** The current findings of findings.jsonl's lines, read in order: the last of each (kind, step), in order of first appearance. */
export function currentFindings(lines: Finding[]): Finding[] {
  const latest = new Map<string, Finding>();
  for (const finding of lines) latest.set(`${finding.kind}@${finding.step}`, finding);
  return [...latest.values()];
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Worst first, as the Health section and the Diagnosis panel list findings: by severity, then the newest (latest seen, then latest first seen). */
export function byConcern(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.lastStep - a.lastStep || b.step - a.step);
}
