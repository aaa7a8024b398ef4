// The recorded runs shipped with the extension, so a walkthrough step can show results at once beside a run still young.
import * as path from 'node:path';

/** Where the recorded runs lie, relative to the extension's root: one run folder each, named for its preset. */
export const REFERENCE_RUNS_DIR = path.join('media', 'reference-runs');

/** The recorded runs by name, with what the learner is told about each when picking one. */
export const REFERENCE_RUNS: Record<string, string> = {
  'mnist-ssgan-100': 'mnist-ssgan-100: 487 steps, 15 minutes on a shared 2-core CPU; test accuracy, a score at step 400, four grids',
};

export function isReferenceRun(name: unknown): name is string {
  return typeof name === 'string' && Object.hasOwn(REFERENCE_RUNS, name);
}

/** The folder of the recorded run `name` inside the extension at `extensionPath`. */
export function referenceRunDir(extensionPath: string, name: string): string {
  return path.join(extensionPath, REFERENCE_RUNS_DIR, name);
}
