// Turns a run's records into the metrics panel's chart lines: one Series per value, grouped by chart.
import { Series } from '../../protocol/panels';
import { ProbeSnapshot } from '../../protocol/probes';
import { scoreGroup, SCORES_GROUP } from '../../protocol/scoreAxes';
import { ScoreRecord, StepMetrics } from '../../protocol/trainer';

export const GROUPS = {
  losses: 'Losses',
  outputs: 'D(x) and D(G(z))',
  gradients: 'Gradient norms per layer',
  weights: 'Weight norms per layer',
  learningRates: 'Learning rates',
  /** The first words of every score chart's group (one chart per kind of score). */
  scores: SCORES_GROUP,
  speed: 'Images per second',
  other: 'Other logged values',
} as const;

/** Extra values whose name says they are a learning rate (`lrD`, `learningRateG`, `g.lr`, …). */
const LEARNING_RATE = /(^|[^a-z])lr|learningrate/i;

/** Where chart points go: a plain list (SeriesSet) or the host's thinned lines. */
export interface SeriesSink {
  add(name: string, group: string, step: number, value: number): void;
}

class SeriesSet implements SeriesSink {
  private readonly byName = new Map<string, Series>();

  add(name: string, group: string, step: number, value: number): void {
    let series = this.byName.get(name);
    if (!series) this.byName.set(name, (series = { name, group, steps: [], values: [] }));
    series.steps.push(step);
    series.values.push(value);
  }

  list(): Series[] {
    return [...this.byName.values()];
  }
}

/** The chart points of one step line of metrics.jsonl. */
export function addStep(sink: SeriesSink, m: StepMetrics, speed = true): void {
  sink.add('D loss', GROUPS.losses, m.step, m.dLoss);
  sink.add('G loss', GROUPS.losses, m.step, m.gLoss);
  sink.add('D(x)', GROUPS.outputs, m.step, m.dReal);
  sink.add('D(G(z))', GROUPS.outputs, m.step, m.dFake);
  for (const [name, value] of Object.entries(m.extra ?? {})) {
    sink.add(name, LEARNING_RATE.test(name) ? GROUPS.learningRates : GROUPS.other, m.step, value);
  }
  if (speed) sink.add('images/s', GROUPS.speed, m.step, m.imagesPerSec);
}

/** The chart points of one probe snapshot: gradient and weight norms per layer. */
export function addSnapshot(sink: SeriesSink, s: ProbeSnapshot): void {
  for (const layer of s.layers) {
    sink.add(`${layer.name} ∇`, GROUPS.gradients, s.step, layer.gradNorm);
    sink.add(`${layer.name} ‖W‖`, GROUPS.weights, s.step, layer.weightNorm);
  }
}

/** The chart points of one scores line. */
export function addScores(sink: SeriesSink, r: ScoreRecord): void {
  for (const [name, value] of Object.entries(r.scores)) sink.add(name, scoreGroup(name), r.step, value);
}

/** The chart lines the records add; the panel appends each to the series of the same name. */
export function toSeries(steps: StepMetrics[], scores: ScoreRecord[], snapshots: ProbeSnapshot[]): Series[] {
  const set = new SeriesSet();
  for (const m of steps) addStep(set, m, false);
  for (const s of snapshots) addSnapshot(set, s);
  for (const r of scores) addScores(set, r);
  // Speed last: the panel draws groups in the order they first appear, and it matters least for learning.
  for (const m of steps) set.add('images/s', GROUPS.speed, m.step, m.imagesPerSec);
  return set.list();
}
