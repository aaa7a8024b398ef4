// Which walkthrough steps the learner has done: a step is checked once the learner did its action and what it promised
// is on screen, never by something that happened on its own (an auto-started run passing a step count, another step's
// button). The extension sets `ganscope.walkthrough.<step>` when a step's condition holds; the step completes on it.
import { DashboardState } from '../protocol/dashboard';
import { ProbeQuery } from '../protocol/probes';

/** What the learner did that a step asks for, each noted when the extension saw it happen. */
export type LearnerAction =
  /** pressed Start Training (from a step, the dashboard or the palette) */
  | 'started'
  /** pressed "Watch D(x) and D(G(z))": the dashboard's chart of both is in view */
  | 'watchedBalance'
  /** a gallery interpolation came back and is drawn */
  | 'interpolated'
  /** a gallery latent arithmetic came back and is drawn */
  | 'arithmetic'
  /** the activations panel drew D's learned filters */
  | 'filters'
  /** the Metrics panel drew at least one score */
  | 'scoresShown'
  /** a run folder was opened through Open Run Folder… and its graph shown */
  | 'runOpened';

export interface LearnerFacts {
  actions: ReadonlySet<LearnerAction>;
  /** A run was paused, and one was resumed after a pause, while the learner watched (only the learner pauses). */
  paused: boolean;
  resumed: boolean;
  live: Pick<DashboardState, 'status' | 'step'>;
}

/** The steps whose condition the extension decides, with it; the others complete on a view or on keys set elsewhere. */
const CONDITIONS: Record<string, (f: LearnerFacts) => boolean> = {
  networks: (f) => f.actions.has('started') && (f.live.status === 'running' || f.live.status === 'paused'),
  idea: (f) => f.actions.has('watchedBalance') && f.live.step >= 100,
  'gan-part-1': (f) => f.paused,
  'gan-part-2': (f) => f.resumed,
  'latent-space': (f) => f.actions.has('interpolated'),
  convolutions: (f) => f.actions.has('filters'),
  pose: (f) => f.actions.has('arithmetic'),
  scores: (f) => f.actions.has('scoresShown'),
  future: (f) => f.actions.has('runOpened'),
};

export const PROGRESS_STEPS = Object.keys(CONDITIONS);

export function progressKey(step: string): string {
  return `ganscope.walkthrough.${step}`;
}

/** The steps whose condition holds now. */
export function stepsDone(facts: LearnerFacts): string[] {
  return PROGRESS_STEPS.filter((step) => CONDITIONS[step](facts));
}

/** What an answered probe shows the learner that a step asks for: D's filters, an interpolation or a latent arithmetic. */
export function probeAction(query: ProbeQuery): LearnerAction | undefined {
  if (query.kind === 'filters') return 'filters';
  if (query.kind !== 'generate') return undefined;
  // Arithmetic subtracts a latent vector; an interpolation only blends two with weights that sum to 1.
  return query.latents.some((sum) => sum.some((term) => term.weight < 0)) ? 'arithmetic' : 'interpolated';
}

/** Collects the facts as they happen and sets each step's key, once, when its condition first holds. */
export class WalkthroughProgress {
  private readonly actions = new Set<LearnerAction>();
  private paused = false;
  private resumed = false;
  private live: LearnerFacts['live'] = { status: 'idle', step: 0 };
  private readonly done = new Set<string>();

  constructor(private readonly setContext: (key: string, value: boolean) => void) {}

  note(action: LearnerAction): void {
    this.actions.add(action);
    this.update();
  }

  observe(state: DashboardState): void {
    if (state.status === 'paused') this.paused = true;
    if (this.paused && this.live.status === 'paused' && state.status === 'running') this.resumed = true;
    this.live = { status: state.status, step: state.step };
    this.update();
  }

  private update(): void {
    for (const step of stepsDone({ actions: this.actions, paused: this.paused, resumed: this.resumed, live: this.live })) {
      if (this.done.has(step)) continue;
      this.done.add(step);
      this.setContext(progressKey(step), true);
    }
  }
}
