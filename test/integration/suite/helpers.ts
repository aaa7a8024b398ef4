// Shared steps for the integration tests: get GANscope's API and wait for its dashboard state.
import * as vscode from 'vscode';
import type { GanscopeApi } from '../../../src/extension/extension';
import type { DashboardState } from '../../../src/protocol/dashboard';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function ganscope(): Promise<GanscopeApi> {
  const extension = vscode.extensions.getExtension<GanscopeApi>('ganscope.ganscope');
  if (!extension) throw new Error('ganscope.ganscope is not installed in this extension host.');
  return extension.activate();
}

/** A run in one of these has ended: waiting longer for anything but them is pointless. */
const ENDED: readonly string[] = ['stopped', 'crashed'];

/** Resolves with the first state (current or coming) that satisfies the predicate; rejects at once if the run ends. */
export function waitForState(
  api: GanscopeApi,
  what: string,
  predicate: (state: DashboardState) => boolean,
  timeoutMs = 120_000,
): Promise<DashboardState> {
  return new Promise((resolve, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      subscription.dispose();
      settle();
    };
    const check = (state: DashboardState) => {
      if (predicate(state)) finish(() => resolve(state));
      else if (ENDED.includes(state.status)) finish(() => reject(new Error(`The run ended while waiting for ${what}: ${describe(state)}`)));
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}; last state: ${describe(api.state())}`));
    }, timeoutMs);
    const subscription = api.onDidChangeState(check);
    check(api.state());
  });
}

function describe(state: DashboardState): string {
  const { samples, history, ...rest } = state;
  return JSON.stringify({ ...rest, samples: samples && `step ${samples.step}`, history: `${history.length} points` });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}.`);
    await sleep(100);
  }
}
