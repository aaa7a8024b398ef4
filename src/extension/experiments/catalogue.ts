// The "Break it, then fix it" experiments: each a shipped GAN file that breaks one thing, the finding it produces, and
// three outcomes the learner chooses between before it runs.
import { FindingKind, Remedy } from '../../protocol/findings';

export interface Experiment {
  /** The walkthrough step's id, the command's argument, and the GAN file's name in media/experiments/. */
  id: string;
  /** What is broken, as the notification names it. */
  title: string;
  /** The finding the run produces (measured: `npm run doctor:check -- experiments`). */
  kind: FindingKind;
  /** The top-level GAN-file field the broken setting lives in: the remedy offered is the finding's first that changes it. */
  field: string;
  /** The fix of the broken setting, when none of the finding's remedies changes `field`. */
  fix?: Remedy;
  /** The question the prediction answers. */
  question: string;
  /** Three outcomes to choose from; any answer is fine. */
  outcomes: [string, string, string];
}

/** mnist-tiny's generator, which the experiments that change G start from. */
const TINY_G = [
  { type: 'project', channels: 16 }, { type: 'batchNorm' }, { type: 'relu' },
  { type: 'conv2dTranspose', filters: 8, kernel: 4, stride: 2 }, { type: 'batchNorm' }, { type: 'relu' },
  { type: 'conv2dTranspose', filters: 'image', kernel: 4, stride: 2 }, { type: 'tanh' },
];

export const EXPERIMENTS: readonly Experiment[] = [
  {
    id: 'd-much-faster',
    title: 'D learns 25× faster than G',
    kind: 'discriminator-wins',
    field: 'optimizer',
    question: 'D\'s learning rate is 25× G\'s. What will happen?',
    outcomes: [
      'Both learn faster, and digits appear sooner',
      'D soon tells real from fake almost perfectly, and G stalls',
      'Nothing much: Adam evens out the learning rates',
    ],
  },
  {
    id: 'minimax',
    title: 'The minimax loss',
    kind: 'discriminator-wins',
    field: 'loss',
    question: 'G minimises log(1 − D(G(z))), the game as first written, and D\'s rate is 5× G\'s. What will happen to G?',
    outcomes: [
      'The same as with the usual loss: it is the same game',
      'G learns faster, since its loss is steeper',
      'Once D rejects G\'s images, G\'s gradient shrinks and it stops improving',
    ],
  },
  {
    id: 'checkerboard',
    title: '3×3 transposed convolutions with stride 2',
    kind: 'checkerboard',
    field: 'generator',
    question: 'G\'s transposed convolutions have 3×3 kernels with stride 2. What will happen?',
    outcomes: [
      'Sharper digits: a smaller kernel draws finer strokes',
      'Nothing visible: the kernel size hardly matters',
      'A grid pattern stamped over every image',
    ],
  },
  {
    id: 'no-batchnorm-in-g',
    title: 'No batch norm in G',
    kind: 'mode-collapse',
    field: 'generator',
    fix: { title: 'Batch norm before each ReLU in G (DCGAN)', change: { generator: TINY_G } },
    question: 'G has no batch norm. What will happen?',
    outcomes: [
      'Slower training, but the same digits in the end',
      'G\'s samples lose their variety: many noise vectors give one image',
      'The losses blow up to infinity',
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
