// Fault injection for `npm run faults`: GANSCOPE_FAULT_POINT=<point>:<n> kills the trainer at the nth pass of a point.
/** Where a kill can land: inside checkpoint writes, sample and graph writes, and JSON-lines appends. */
export type FaultPoint = 'checkpoint.weights' | 'checkpoint.rename' | 'checkpoint.prune' | 'sample' | 'graph' | 'metrics' | 'probe' | 'finding';

const armed = /^([a-z.]+):(\d+)$/.exec(process.env.GANSCOPE_FAULT_POINT ?? '');
let passes = 0;

/** SIGKILLs this process at the armed pass of `point`, after `partial` (e.g. half a line written); otherwise nothing. */
export function faultPoint(point: FaultPoint, partial?: () => void): void {
  if (!armed || armed[1] !== point || ++passes !== Number(armed[2])) return;
  partial?.();
  process.kill(process.pid, 'SIGKILL');
}
