// Questions a workspace's own files raise, asked before the first use and answered once: starting a run when the
// workspace opens, and reading or writing a path outside it that a setting or a run.json names.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDatasetSpec } from '../protocol/dataset';
import { RunConfig } from '../protocol/trainer';

/** workspaceState, or a test's map. */
export interface ConsentMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Shows a modal question; resolves to the choice, or undefined when dismissed. */
export type Ask = (message: string, ...choices: string[]) => PromiseLike<string | undefined>;

/** A path a run would use, and where it came from (for the question). */
export interface NamedPath {
  path: string;
  from: string;
}

const START_ON_OPEN_KEY = 'ganscope.consent.startOnOpen';
const ALLOWED_PATHS_KEY = 'ganscope.consent.allowedPaths';
export const START = 'Start Training';
export const NOT_HERE = 'Not in This Workspace';
export const ALLOW = 'Allow';

/** `p` with symbolic links followed as far as it exists, so a link inside the workspace that leads out counts as out. */
function realPath(p: string): string {
  const resolved = path.resolve(p);
  try {
    return fs.realpathSync.native(resolved);
  } catch {
    const parent = path.dirname(resolved);
    return parent === resolved ? resolved : path.join(realPath(parent), path.basename(resolved));
  }
}

/** Whether `p` lies inside none of `folders` (each a workspace folder or another place GANscope owns). */
export function isOutside(p: string, folders: readonly string[]): boolean {
  const target = realPath(p);
  return !folders.some((folder) => {
    const relative = path.relative(realPath(folder), target);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
  });
}

/** The file system paths a run configuration names: its runs folder, its dataset, its `.gan.json`, the run it resumes. */
export function configPaths(config: RunConfig, from: string): NamedPath[] {
  const paths: NamedPath[] = [{ path: config.runsDir, from: `${from} (runs folder)` }];
  const dataset = datasetPath(config.dataset);
  if (dataset) paths.push({ path: dataset, from: `${from} (dataset)` });
  if (config.gan) paths.push({ path: config.gan, from: `${from} (GAN file)` });
  if (config.resume) paths.push({ path: config.resume, from: 'the run to continue' });
  return paths;
}

/** The dataset's file or folder, with `~` expanded; undefined for the embedded MNIST or a spec that does not parse. */
function datasetPath(spec: string): string | undefined {
  try {
    const p = parseDatasetSpec(spec).path;
    return p?.startsWith('~') ? path.join(os.homedir(), p.slice(1)) : p;
  } catch {
    return undefined;
  }
}

export class WorkspaceConsent {
  constructor(private readonly memory: ConsentMemory, private readonly ask: Ask) {}

  /** Whether `ganscope.trainer.startOnOpen` may start a run: asked once per workspace, the answer kept. */
  async startOnOpen(): Promise<boolean> {
    const remembered = this.memory.get<boolean>(START_ON_OPEN_KEY);
    if (remembered !== undefined) return remembered;
    const choice = await this.ask(
      'This workspace\'s setting ganscope.trainer.startOnOpen starts a training run whenever it opens; training keeps the CPU busy until it is stopped. Start training now and whenever this workspace opens?',
      START, NOT_HERE);
    if (choice === undefined) return false;
    await this.memory.update(START_ON_OPEN_KEY, choice === START);
    return choice === START;
  }

  /** Whether `p` may be used without asking: it lies inside `folders`, or the user allowed it in this workspace. */
  isAllowed(p: string, folders: readonly string[]): boolean {
    return !isOutside(p, folders) || (this.memory.get<string[]>(ALLOWED_PATHS_KEY) ?? []).includes(realPath(p));
  }

  /**
   * Whether the run may use `paths`: each one outside `folders` is shown before its first use and must be allowed;
   * an allowed path is remembered for this workspace, a refused one asked again next time.
   */
  async allowPaths(paths: readonly NamedPath[], folders: readonly string[]): Promise<boolean> {
    for (const { path: p, from } of paths) {
      if (this.isAllowed(p, folders)) continue;
      const allowed = this.memory.get<string[]>(ALLOWED_PATHS_KEY) ?? [];
      const real = realPath(p);
      const shown = real === path.resolve(p) ? p : `${p} (a link to ${real})`;
      const choice = await this.ask(`${from} points outside this workspace, to ${shown}. GANscope will read and write there. Allow it for this workspace?`, ALLOW);
      if (choice !== ALLOW) return false;
      await this.memory.update(ALLOWED_PATHS_KEY, [...allowed, real]);
    }
    return true;
  }
}
