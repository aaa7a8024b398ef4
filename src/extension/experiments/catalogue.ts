// The "Break it, then fix it" experiments: each a shipped GAN file that breaks one thing, the finding it produces, and
// three outcomes the learner chooses between before it runs.
import { FindingKind } from '../../protocol/findings';

export interface Experiment {
  /** The walkthrough step's id, the command's argument, and the GAN file's name in media/experiments/. */
  id: string;
  /** What is broken, as the notification names it. */
  title: string;
  /** The finding the run produces (measured: `npm run doctor:check -- experiments`). */
  kind: FindingKind;
  /** The top-level GAN-file field the broken setting lives in: the remedy offered is the finding's first that changes it. */
  field: string;
  /** The question the prediction answers. */
  question: string;
  /** Three outcomes to choose from; any answer is fine. */
  outcomes: [string, string, string];
}

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'd-much-faster',
    title: 'D learns 25× faster than G',
    kind: 'discriminator-wins',
    field: 'optimizer',
    question: 'D\'s learning rate is 25× G\'s. What will happen?',
    outcomes: [
      'D soon tells real from fake almost perfectly, and G stalls',
      'Both learn faster, and the digits look good sooner',
      'Nothing much: Adam evens out the learning rates',
    ],
  },
];

export function experimentById(id: unknown): Experiment | undefined {
  return EXPERIMENTS.find((e) => e.id === id);
}

/** The context key set while the live run has a finding of `kind`. */
export function findingKey(kind: FindingKind): string {
  return `ganscope.finding.${kind}`;
}

/** The context key holding the id of the experiment the live run is (empty for any other run). */
export const EXPERIMENT_KEY = 'ganscope.experiment';

/** The completion event of an experiment's walkthrough step: its own run produced its finding. */
export function completionEvent(experiment: Experiment): string {
  return `onContext:${EXPERIMENT_KEY} == '${experiment.id}' && ${findingKey(experiment.kind)}`;
}
