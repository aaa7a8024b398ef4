// How a `.gan.json` becomes a run: the preset setting's file, the run config a file trains with, the refusal of a bad file.
import * as path from 'node:path';
import { isGanFilePath } from '../../protocol/runOptions';
import { RunConfig } from '../../protocol/trainer';
import { nameOfFile } from '../../ganFile/presets';
import { Resolved } from '../../ganFile/resolve';
import { formatPath, GanDefinition, GanProblem } from '../../ganFile/types';

/** A problem as one line of a notification: `generator[6]: conv2dTranspose makes 56×56; …`. */
export function problemLine(problem: GanProblem): string {
  const where = problem.path.length && !problem.message.startsWith(formatPath(problem.path)) ? `${formatPath(problem.path)}: ` : '';
  return `${where}${problem.message}`;
}

/** The preset setting's value: a built-in preset's name, or a `.gan.json` relative to the workspace folder (or absolute). */
export function presetOrGanFile(written: string, workspace: string | undefined): { preset: string; gan?: string } {
  if (!isGanFilePath(written)) return { preset: written };
  const file = path.resolve(workspace ?? '', written.trim());
  return { preset: nameOfFile(file), gan: file };
}

/** Which run settings the user set, rather than left at their defaults: those win over the file's own. */
export interface ExplicitSettings {
  dataset: boolean;
  seed: boolean;
}

/**
 * `config` (whose `gan` is `file`) made to train the resolved file: named for it, on its dataset and seed unless the
 * settings name others; or, for a file with errors, a message naming the first one.
 */
export function ganRunConfig(config: RunConfig, resolved: Resolved, explicit: ExplicitSettings): { config: RunConfig; definition: GanDefinition } | string {
  const file = config.gan ?? '';
  const errors = resolved.problems.filter((p) => p.severity === 'error');
  if (!resolved.definition || errors.length) {
    const first = errors[0];
    const count = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return `${path.basename(file)} cannot train: ${first ? problemLine(first) : 'it has errors'}${count}. See Problems.`;
  }
  const definition = resolved.definition;
  return {
    definition,
    config: {
      ...config,
      preset: definition.name,
      ...(!explicit.dataset && { dataset: definition.dataset }),
      ...(!explicit.seed && definition.seed !== undefined && { seed: definition.seed }),
    },
  };
}
