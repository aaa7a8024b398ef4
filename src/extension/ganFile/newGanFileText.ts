// The text of a new `.gan.json` that extends a preset, with the fields people change most spelled out.
import { GanDefinition } from '../../ganFile/types';

/** The preset's own values of the knobs a GAN debugger turns first, so the user sees them and what they are. */
export function newGanFileText(preset: string, definition: GanDefinition): string {
  const { generator: g, discriminator: d } = definition.optimizer;
  const adam = (a: typeof g) => `{ "type": "adam", "learningRate": ${a.learningRate}, "beta1": ${a.beta1}, "beta2": ${a.beta2} }`;
  return `{
  // Fields left out come from the preset. Hover a field for what it does.
  "extends": "${preset}",
  "description": ${JSON.stringify(`My GAN, from ${preset}`)},
  // Saving while this file trains applies these at the next step: the optimizers, discriminatorSteps, labelSmoothing,
  // instanceNoise, loss and generatorEma. Layers, latentDim, batchSize and the dataset need a new run.
  "loss": "${definition.loss}",
  "optimizer": {
    "generator": ${adam(g)},
    "discriminator": ${adam(d)}
  },
  "discriminatorSteps": ${definition.discriminatorSteps},
  "labelSmoothing": ${definition.labelSmoothing},
  "batchSize": ${definition.batchSize},
  "latentDim": ${definition.latentDim}
}
`;
}

/** `my-gan.gan.json` from what the user typed (`my gan`, `my-gan.gan.json`, `my-gan.json`). */
export function ganFileName(typed: string): string {
  const base = typed.trim().replace(/\.gan\.json$|\.json$/, '').replace(/\s+/g, '-');
  return `${base}.gan.json`;
}

/** What is wrong with a typed file name, or undefined. */
export function ganFileNameProblem(typed: string): string | undefined {
  const base = typed.trim().replace(/\.gan\.json$|\.json$/, '');
  if (!base) return 'Type a name, e.g. my-gan';
  if (/[\\/:*?"<>|]/.test(base)) return 'A file name cannot hold \\ / : * ? " < > |';
  return undefined;
}
