// Messages between the extension host and the dashboard webview.
import { arrayOf, Validator, nonNegInt, num, numOrNull, object, oneOf, optional, str, union } from './check';

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
  message?: string;
  /** Why nothing can train here: the workspace is in Restricted Mode. */
  restricted?: string;
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
  message: optional(str),
  restricted: optional(str),
});

export type ToWebview = { type: 'state'; state: DashboardState };

/** `manageTrust`: open VS Code's Workspace Trust editor (the way out of Restricted Mode). */
export const DASHBOARD_ACTIONS = ['start', 'pause', 'resume', 'stop', 'manageTrust'] as const;
export type DashboardAction = (typeof DASHBOARD_ACTIONS)[number];

export type FromWebview = { type: 'ready' } | { type: 'action'; action: DashboardAction };

export const validateToWebview = union<ToWebview>({ state: { state: dashboardStateProblem } });
export const validateFromWebview = union<FromWebview>({
  ready: {},
  action: { action: oneOf(...DASHBOARD_ACTIONS) },
});


