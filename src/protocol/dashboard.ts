// Messages between the extension host and the dashboard webview.
import { arrayOf, Validator, nonNegInt, num, numOrNull, object, oneOf, optional, str, union } from './check';
import { Finding, findingProblem } from './findings';
import { STEP_UPDATES, StepUpdate } from './trainer';

export const RUN_STATUSES = ['idle', 'starting', 'running', 'paused', 'stopped', 'crashed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface DashboardState {
  status: RunStatus;
  /** e.g. "wasm (2 threads)". */
  backend?: string;
  runId?: string;
  preset?: string;
  step: number;
  dLoss: number | null;
  gLoss: number | null;
  dReal: number | null;
  dFake: number | null;
  imagesPerSec: number | null;
  /** The latest fixed-noise grid as a data: URI. */
  samples?: { step: number; uri: string };
  /** Recent losses for the sparkline, oldest first. */
  history: { step: number; dLoss: number; gLoss: number }[];
  /** Recent D(x) and D(G(z)) for the dashboard's chart of the two players, oldest first. */
  outputs?: { step: number; dReal: number; dFake: number }[];
  /** A semi-supervised run's latest error on the test digits, 0–1. */
  testError?: { step: number; value: number };
  /** A progressive run's current side and fade-in α of its newest block. */
  growth?: { resolution: number; alpha: number };
  /** The doctor's view of the run: absent until a run has started. */
  health?: DashboardHealth;
  message?: string;
  /** Why nothing can train here: the workspace is in Restricted Mode. */
  restricted?: string;
  /** Step mode: the update asked for and not yet done. */
  stepping?: StepUpdate;
  /** Step mode: the last step's grid and D's verdicts before and after it, while the run stays paused. */
  stepped?: Stepped;
}

/** One step-mode step: which network(s) it updated, and the grid and D's verdicts before and after it. */
export interface Stepped {
  update: StepUpdate;
  before: StepShot;
  after: StepShot;
}

/** The fixed-noise grid (a data: URI) and D's mean verdicts at one step. */
export interface StepShot {
  step: number;
  uri: string;
  dReal: number;
  dFake: number;
}

const stepShotProblem: Validator = object({ step: nonNegInt, uri: str, dReal: num, dFake: num });
export const steppedProblem: Validator = object({ update: oneOf(...STEP_UPDATES), before: stepShotProblem, after: stepShotProblem });

/** The Health section: the worst current finding, or none when all is clear. */
export interface DashboardHealth {
  worst?: Finding;
  /** Current findings besides the worst. */
  others: number;
  /** The metric that shows the worst finding best (its evidence holds only numbers), over recent steps, oldest first. */
  trend?: { label: string; values: number[] };
}

const dashboardStateProblem: Validator = object({
  status: oneOf(...RUN_STATUSES),
  backend: optional(str),
  runId: optional(str),
  preset: optional(str),
  step: nonNegInt,
  dLoss: numOrNull, gLoss: numOrNull, dReal: numOrNull, dFake: numOrNull, imagesPerSec: numOrNull,
  samples: optional(object({ step: nonNegInt, uri: str })),
  history: arrayOf(object({ step: nonNegInt, dLoss: num, gLoss: num })),
  outputs: optional(arrayOf(object({ step: nonNegInt, dReal: num, dFake: num }))),
  testError: optional(object({ step: nonNegInt, value: num })),
  growth: optional(object({ resolution: nonNegInt, alpha: num })),
  health: optional(object({ worst: optional(findingProblem), others: nonNegInt, trend: optional(object({ label: str, values: arrayOf(num) })) })),
  message: optional(str),
  restricted: optional(str),
  stepping: optional(oneOf(...STEP_UPDATES)),
  stepped: optional(steppedProblem),
});

export type ToWebview = { type: 'state'; state: DashboardState };

/** The training buttons; `manageTrust` opens VS Code's Workspace Trust editor (the way out of Restricted Mode); `diagnose`
 * is the Health section's link that opens the Diagnosis panel; the step buttons run the step-mode commands of the same name. */
export const DASHBOARD_ACTIONS = ['start', 'pause', 'resume', 'stop', 'manageTrust', 'diagnose', 'stepDiscriminator', 'stepGenerator', 'stepBoth'] as const;
export type DashboardAction = (typeof DASHBOARD_ACTIONS)[number];


export type FromWebview = { type: 'ready' } | { type: 'action'; action: DashboardAction };

export const validateToWebview = union<ToWebview>({ state: { state: dashboardStateProblem } });
export const validateFromWebview = union<FromWebview>({
  ready: {},
  action: { action: oneOf(...DASHBOARD_ACTIONS) },
});


