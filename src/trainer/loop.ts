// The training loop shared by the IPC trainer (main.ts) and the CLI (cli.ts): steps, sample grids, checkpoints.
import { DEFAULT_CHECKPOINT_EVERY, StepMetrics } from '../protocol/trainer';
import { TrainingSession } from './session';

export interface LoopHooks {
  onStep(metrics: StepMetrics): void;
  onSamples(samples: { step: number; path: string; png: Uint8Array }): void | Promise<void>;
  onCheckpoint?(dir: string, step: number): void;
  /** True once the user asked to stop; checked between steps. */
  stopRequested(): boolean;
  /** Resolves when training may go on (at once unless paused). */
  whilePaused(): Promise<void>;
}

/** Trains until the configured step count or a stop request, then writes a last grid and checkpoint. */
export async function runLoop(s: TrainingSession, hooks: LoopHooks): Promise<'requested' | 'completed'> {
  const { steps, sampleEvery } = s.config;
  const checkpointEvery = s.config.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  let lastCheckpoint = s.step;
  const checkpoint = async () => {
    lastCheckpoint = s.step;
    const dir = await s.writeCheckpoint(); // not inside `onCheckpoint?.(…)`: without a hook, that skips its arguments
    hooks.onCheckpoint?.(dir, s.step);
  };
  // A grid at the first step shows the untrained (or resumed) generator at once.
  let lastSampled = s.step;
  await hooks.onSamples(await s.writeSamples());

  while (!hooks.stopRequested() && (steps === 0 || s.step < steps)) {
    await hooks.whilePaused();
    if (hooks.stopRequested()) break;
    hooks.onStep(await s.trainOneStep());
    if (sampleEvery > 0 && s.step % sampleEvery === 0) {
      lastSampled = s.step;
      await hooks.onSamples(await s.writeSamples());
    }
    if (checkpointEvery > 0 && s.step % checkpointEvery === 0) await checkpoint();
    // Let pause/stop requests and signals in between steps.
    await new Promise(setImmediate);
  }
  if (lastSampled !== s.step) await hooks.onSamples(await s.writeSamples());
  if (lastCheckpoint !== s.step) await checkpoint();
  return hooks.stopRequested() ? 'requested' : 'completed';
}
