// The generator's scores as the Metrics panel charts them: one axis per kind of score (their ranges differ by
// hundreds), what each means, and what real data scores, the best a generator can hope for.
import { RunConfig } from './trainer';

/** Score every this many steps when the run's config says nothing and the data suit the scores (28×28, one channel). */
export const DEFAULT_SCORE_EVERY = 500;

/** How often a run scores its generator; 0: never. */
export function scoreEveryOf(config: Pick<RunConfig, 'scoreEvery'>, model: { imageSize: number; channels: number }): number {
  return config.scoreEvery ?? (model.channels === 1 && model.imageSize === 28 ? DEFAULT_SCORE_EVERY : 0);
}

/**
 * 1,000 MNIST training digits scored like a run's 1,000 generated ones, against the test digits (`npm run
 * real-scores`, which scores them as `npm run eval` scores its reference).
 */
export const REAL_MNIST_SCORES: Readonly<Record<string, number>> = {
  inceptionScore: 9.72, frechetDistance: 9.18, classEntropy: 2.30, classesCovered: 10,
  swd: 35.5, swd28: 20.7, swd14: 20.6, swd7: 65.1,
};

export interface ScoreAxis {
  /** The chart's title. */
  title: string;
  /** Which score names it draws. */
  names: RegExp;
  /** What a better generator does to it. */
  better: string;
}

/** The charts, top to bottom: the headline scores first. */
export const SCORE_AXES: readonly ScoreAxis[] = [
  { title: 'Inception Score', names: /^inceptionScore$/, better: 'higher is better: confident, varied digits' },
  { title: 'Fréchet distance', names: /^frechetDistance$/, better: 'lower is better: features like the real digits\'' },
  { title: 'Sliced Wasserstein distance ×10³', names: /^swd\d*$/, better: 'lower is better, at each scale of the pyramid' },
  { title: 'Classes covered', names: /^classesCovered$/, better: '10 of 10 when no digit is missing' },
  { title: 'Class entropy', names: /^classEntropy$/, better: 'ln 10 ≈ 2.30 when every digit is as frequent' },
  { title: 'Test accuracy', names: /^test(Accuracy|Error)$/, better: 'of D as a classifier on the test digits' },
];

/** Score charts' groups all start with this, so the panel keeps them together. */
export const SCORES_GROUP = 'Scores';

/** The chart group of a score: its axis's, or one of its own for a score no axis names. */
export function scoreGroup(name: string): string {
  const axis = SCORE_AXES.find((a) => a.names.test(name));
  return `${SCORES_GROUP} · ${axis?.title ?? name}`;
}

/** The score axis of a chart group, if it is one. */
export function scoreAxisOf(group: string): ScoreAxis | undefined {
  return SCORE_AXES.find((a) => `${SCORES_GROUP} · ${a.title}` === group);
}
