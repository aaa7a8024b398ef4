// Restricted Mode: in an untrusted workspace runs and panels can be viewed, but nothing trains or installs.
export const MANAGE_TRUST = 'Manage Workspace Trust';
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** The commands that start work (a CPU-heavy run, an npm install), and what each would do, for the message. */
export const TRUSTED_ONLY: Readonly<Record<string, string>> = {
  'ganscope.startTraining': 'start training',
  'ganscope.trainGanFile': 'train a GAN file',
  'ganscope.continueRun': 'continue a run',
  'ganscope.installNativeBackend': 'install a native backend',
  'ganscope.startExperiment': 'start an experiment',
};

/** What the trust check needs from VS Code: a test passes its own. */
export interface TrustDeps {
  isTrusted(): boolean;
  warn(message: string, ...actions: string[]): PromiseLike<string | undefined>;
  execute(command: string): PromiseLike<unknown>;
}

/** Why `what` cannot happen here, and how to allow it. */
export function restrictedReason(what = 'train or install'): string {
  return `GANscope cannot ${what} in Restricted Mode: this workspace is not trusted, and its settings or run folders could ` +
    `make the trainer read any file or run for hours. Runs and panels can still be viewed; trust the workspace to ${what}.`;
}

/** True when the workspace is trusted; else says why `what` cannot happen, offering to manage trust, and returns false. */
export function checkTrusted(deps: TrustDeps, what: string): boolean {
  if (deps.isTrusted()) return true;
  void Promise.resolve(deps.warn(restrictedReason(what), MANAGE_TRUST)).then((choice) => {
    if (choice === MANAGE_TRUST) return deps.execute(MANAGE_TRUST_COMMAND);
  });
  return false;
}

/** `handler` for command `id`, refusing in Restricted Mode when the command starts work. */
export function gateCommand<A extends unknown[], R>(deps: TrustDeps, id: string, handler: (...args: A) => R): (...args: A) => R | undefined {
  const what = TRUSTED_ONLY[id];
  if (!what) return handler;
  return (...args: A) => (checkTrusted(deps, what) ? handler(...args) : undefined);
}
