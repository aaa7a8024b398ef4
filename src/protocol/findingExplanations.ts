// What each kind of finding means, in plain words, and the walkthrough step that teaches what it is about: shared by the host and the webviews that show findings.
import { FindingKind } from './findings';

export interface Explanation {
  /** A short name for headings and markers. */
  title: string;
  /** Two or three plain sentences: what happens in the GAN and why it matters. */
  text: string;
  /** The id of the walkthrough step (package.json contributes.walkthroughs) that explains the idea behind it. */
  step: string;
}

export const EXPLANATIONS: Record<FindingKind, Explanation> = {
  'non-finite': {
    title: 'Not a number',
    text: 'A loss or a gradient became NaN or infinite. An update with such values would ruin every weight, so it was not applied and training stopped; the newest checkpoint holds the last good weights.',
    step: 'networks',
  },
  'discriminator-wins': {
    title: 'The discriminator wins',
    text: 'D tells real images from generated ones almost perfectly. G learns from how D is wrong, so when D is never wrong G\'s gradient fades and its images stop improving. The minimax loss makes this worse: it saturates exactly when D wins.',
    step: 'idea',
  },
  'mode-collapse': {
    title: 'Mode collapse',
    text: 'G\'s samples have lost their variety: many noise vectors give nearly the same image. G has found a few images that fool D and stopped covering the rest of the data.',
    step: 'scores',
  },
  oscillation: {
    title: 'Oscillation',
    text: 'The two losses swing up and down with a growing amplitude instead of settling. The players keep overshooting each other, usually because the learning rates are too high for the game to find its balance.',
    step: 'gan-part-2',
  },
  'vanishing-gradient': {
    title: 'Vanishing gradient',
    text: 'A layer\'s gradient has fallen by orders of magnitude below its own recent range, so that layer has all but stopped learning.',
    step: 'batch-norm',
  },
  'exploding-gradient': {
    title: 'Exploding gradient',
    text: 'A layer\'s gradient has grown by orders of magnitude above its own recent range. Updates that large throw the weights far from where they were, and training becomes erratic or diverges.',
    step: 'networks',
  },
  'dead-units': {
    title: 'Dead units',
    text: 'A large share of a generator layer\'s units never activate: a ReLU that outputs 0 for every input passes no gradient back and cannot recover, so G works with fewer features than it has.',
    step: 'architecture',
  },
  'batchnorm-drift': {
    title: 'Batch-norm drift',
    text: 'Batch norm\'s running statistics disagree with the statistics of the batches it sees, so samples drawn in inference mode differ from those drawn in training mode.',
    step: 'batch-norm',
  },
  checkerboard: {
    title: 'Checkerboard artefacts',
    text: 'G\'s images carry a periodic high-frequency grid the real images lack. Transposed convolutions whose kernel is not divisible by their stride cover some output pixels more often than others.',
    step: 'convolutions',
  },
  memorisation: {
    title: 'Memorisation',
    text: 'G\'s samples are closer to their nearest training image than held-out test images are: G is reproducing its training data rather than learning to generate new images.',
    step: 'scores',
  },
};

/** The step metric (a metrics.jsonl field) that shows a kind best on a sparkline, when its evidence holds only scalars. */
export const RELATED_METRIC: Record<FindingKind, 'dReal' | 'dFake' | 'dLoss' | 'gLoss'> = {
  'non-finite': 'dLoss',
  'discriminator-wins': 'dFake',
  'mode-collapse': 'gLoss',
  oscillation: 'dLoss',
  'vanishing-gradient': 'gLoss',
  'exploding-gradient': 'dLoss',
  'dead-units': 'gLoss',
  'batchnorm-drift': 'gLoss',
  checkerboard: 'gLoss',
  memorisation: 'gLoss',
};

/** How the related metric is named on a chart. */
export const METRIC_LABELS = { dReal: 'D(x)', dFake: 'D(G(z))', dLoss: 'D loss', gLoss: 'G loss' } as const;
