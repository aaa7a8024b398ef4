// Coalesces a burst of calls into one call after a quiet interval: a trainer that writes many files a second
// refreshes the Runs tree once, not once per file.

export interface Debounced {
  (): void;
  dispose(): void;
}

/** `fn` called once `ms` after the last of a burst of calls, or `ms` after the burst's first when calls never stop for `maxMs`. */
export function debounce(fn: () => void, ms: number, maxMs = 4 * ms): Debounced {
  let timer: NodeJS.Timeout | undefined;
  let first: number | undefined;
  const fire = () => {
    timer = undefined;
    first = undefined;
    fn();
  };
  const call = () => {
    const now = Date.now();
    first ??= now;
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(ms, first + maxMs - now)));
  };
  return Object.assign(call, {
    dispose: () => {
      clearTimeout(timer);
      timer = undefined;
    },
  });
}
