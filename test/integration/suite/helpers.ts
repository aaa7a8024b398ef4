// Shared steps for the integration tests: get GANscope's API and wait for its dashboard state.
import * as vscode from 'vscode';
import type { GanscopeApi } from '../../../src/extension/extension';
import type { DashboardState } from '../../../src/protocol/webview';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function ganscope(): Promise<GanscopeApi> {
  const extension = vscode.extensions.getExtension<GanscopeApi>('ganscope.ganscope');
  if (!extension) throw new Error('ganscope.ganscope is not installed in this extension host.');
  return extension.activate();
}

/** Resolves with the first state (current or coming) that satisfies the predicate. */
export function waitForState(
  api: GanscopeApi,
  what: string,
  predicate: (state: DashboardState) => boolean,
  timeoutMs = 120_000,
): Promise<DashboardState> {
  return new Promise((resolve, reject) => {
    const done = (state: DashboardState) => {
      clearTimeout(timer);
      subscription.dispose();
      resolve(state);
    };
    const timer = setTimeout(() => {
      subscription.dispose();
      const { samples, history, ...last } = api.state();
      reject(new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}; last state: ${JSON.stringify({ ...last, samples: samples?.uri.slice(0, 30), history: history.length })}`));
    }, timeoutMs);
    const subscription = api.onDidChangeState((state) => predicate(state) && done(state));
    const now = api.state();
    if (predicate(now)) done(now);
  });
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
