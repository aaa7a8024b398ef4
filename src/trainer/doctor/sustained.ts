// What the measurement-based detectors share: a condition that holds in each of the last few measurements.
import { History, Measurement } from './history';

/** Measurements in a row that must show a problem: at MEASURE_EVERY 50, a stretch of 150 steps. */
export const SUSTAINED = 3;
/** No measurement-based finding before this step: an untrained G draws near-identical blobs, which is not a failure. */
export const MIN_STEP = 300;
/** Nor from measurements before this step. */
const FIRST_MEASUREMENT = 150;

/**
 * The last `count` of `among` (default: every measurement) when `holds` is true of each of them and the run is past
 * MIN_STEP; else undefined.
 */
export function sustained(history: History, holds: (m: Measurement) => boolean, count = SUSTAINED, among = history.measurements): Measurement[] | undefined {
  const last = among.slice(-count);
  if (last.length < count || last[0].step < FIRST_MEASUREMENT || history.lastStep < MIN_STEP) return undefined;
  return last.every(holds) ? last : undefined;
}
