// One parser per kind of record in a run folder: each takes a decoded JSON value and returns the record or what is wrong.
import { nonNegInt, num, object, Validator } from '../protocol/check';
import { Finding, findingProblem } from '../protocol/findings';
import { ModelGraph, modelGraphProblem, ProbeSnapshot, probeSnapshotProblem } from '../protocol/probes';
import { RunRecord, runRecordProblem } from '../protocol/runDir';
import { ScoreRecord, scoreRecordProblem, StepMetrics, stepMetricsProblem } from '../protocol/trainer';

/** What a parser makes of a value: the record, or why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };
export type RecordParser<T> = (value: unknown, where: string) => Parsed<T>;

/** A parser that takes the value as it is once `problem` finds nothing wrong with it. */
function checked<T>(problem: Validator): RecordParser<T> {
  return (value, where) => {
    const error = problem(value, where);
    return error ? { ok: false, error } : { ok: true, value: value as T };
  };
}

/** A metrics.jsonl line that says which settings of a run changed at `step` (e.g. its GAN file was edited mid-run). */
export interface ChangedRecord {
  step: number;
  time: number;
  changed: Record<string, unknown>;
}

const plainObject: Validator = (v, p) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : `${p} must be an object`);
const changedRecordProblem = object({ step: nonNegInt, time: num, changed: plainObject });

/** A line of metrics.jsonl, by kind. */
export type MetricsLine =
  | { kind: 'step'; record: StepMetrics }
  | { kind: 'scores'; record: ScoreRecord }
  | { kind: 'changed'; record: ChangedRecord };

/**
 * metrics.jsonl's kinds of line, each told apart by a field only it has; a line with none of them is a step line.
 * A new kind of line is one entry here and one member of MetricsLine.
 */
const METRICS_LINE_KINDS: { kind: MetricsLine['kind']; field?: string; problem: Validator }[] = [
  { kind: 'scores', field: 'scores', problem: scoreRecordProblem },
  { kind: 'changed', field: 'changed', problem: changedRecordProblem },
  { kind: 'step', problem: stepMetricsProblem },
];

export const parseMetricsLine: RecordParser<MetricsLine> = (value, where) => {
  const fields = typeof value === 'object' && value !== null ? value : {};
  const { kind, problem } = METRICS_LINE_KINDS.find((k) => k.field === undefined || k.field in fields)!;
  const error = problem(value, where);
  return error ? { ok: false, error } : { ok: true, value: { kind, record: value } as MetricsLine };
};

/** A line of probes.jsonl. */
export const parseProbeLine = checked<ProbeSnapshot>(probeSnapshotProblem);
/** A line of findings.jsonl: a new finding of the GAN doctor, or a later state of one. */
export const parseFindingLine = checked<Finding>(findingProblem);
/** run.json. */
export const parseRunRecord = checked<RunRecord>(runRecordProblem);
/** graph.json. */
export const parseModelGraph = checked<ModelGraph>(modelGraphProblem);

const SAMPLE_NAME = /^step-(\d+)\.png$/;

/** The steps of the sample grids among a samples/ folder's file names (`step-000120.png`), ascending. */
export function parseSampleSteps(names: string[]): number[] {
  return names.map((n) => SAMPLE_NAME.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
}
