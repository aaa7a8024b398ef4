// Which edits of a running GAN's `.gan.json` can be applied between two steps, and which need a new run.
import { GanDefinition } from './types';

/** Fields whose new values a running run takes at its next step: rates, the D:G ratio, the loss, noise and averaging. */
export const LIVE_FIELDS = ['optimizer', 'discriminatorSteps', 'labelSmoothing', 'instanceNoise', 'loss', 'generatorEma'] as const;
/** Fields that change the networks or the data: a run cannot take them; a new run can. */
export const STRUCTURAL_FIELDS = [
  'generator', 'discriminator', 'latentDim', 'batchSize', 'dataset', 'imageSize', 'init', 'seed', 'semiSupervised', 'progressive',
] as const;

export type LiveField = (typeof LIVE_FIELDS)[number];
export type StructuralField = (typeof STRUCTURAL_FIELDS)[number];

/** A changed value by its dotted path, e.g. `optimizer.discriminator.learningRate`: what metrics.jsonl records. */
export type ChangedValues = Record<string, number | string>;

export interface LiveChanges {
  /** The live fields of the saved definition that differ from the running one. */
  live: Partial<Pick<GanDefinition, LiveField>>;
  /** The same changes, leaf by leaf. */
  changed: ChangedValues;
  /** Structural fields that differ: not applied to the running run. */
  structural: StructuralField[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Leaves of `after` (numbers and strings) that differ from `before`, by dotted path. */
function changedLeaves(before: unknown, after: unknown, prefix: string, out: ChangedValues): void {
  if (typeof after === 'object' && after !== null && !Array.isArray(after)) {
    const b = (typeof before === 'object' && before !== null ? before : {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(after)) changedLeaves(b[k], v, `${prefix}.${k}`, out);
  } else if (!same(before, after) && (typeof after === 'number' || typeof after === 'string')) {
    out[prefix] = after;
  }
}

/** Compares a running definition with a newly saved one of the same run. */
export function liveChanges(running: GanDefinition, saved: GanDefinition): LiveChanges {
  const live: Record<string, unknown> = {};
  const changed: ChangedValues = {};
  for (const field of LIVE_FIELDS) {
    if (same(running[field], saved[field])) continue;
    live[field] = saved[field];
    changedLeaves(running[field], saved[field], field, changed);
  }
  const structural = STRUCTURAL_FIELDS.filter((f) => !same(running[f], saved[f]));
  return { live: live as LiveChanges['live'], changed, structural };
}

/** The running definition with the live changes applied. */
export function applyLiveChanges(running: GanDefinition, changes: LiveChanges): GanDefinition {
  return { ...running, ...changes.live };
}
