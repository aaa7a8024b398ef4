// The training loop shared by the IPC trainer (main.ts) and the CLI (cli.ts): steps, sample grids, checkpoints, probes.
import { Finding } from '../protocol/findings';
import { DEFAULT_PROBE_EVERY, ModelGraph, ProbeSnapshot } from '../protocol/probes';
import { DEFAULT_CHECKPOINT_EVERY, ScoreRecord, StepMetrics, StepUpdate, StepView } from '../protocol/trainer';
import { NonFiniteUpdate } from './adam';
import { Doctor } from './doctor/doctor';
import { GraphSource } from './probes/graph';
import { Prober } from './probes/prober';
import { scorerFor } from './scores/scorer';
import { TrainingSession } from './session';
import { stepView } from './stepMode';

export interface LoopHooks {
  onStep(metrics: StepMetrics): void;
  onSamples(samples: { step: number; path: string; png: Uint8Array }): void | Promise<void>;
  onCheckpoint?(dir: string, step: number): void;
  /** The networks' layers, once written to graph.json: at the start and whenever the model changes shape. */
  onGraph?(graph: ModelGraph): void;
  /** A snapshot every `probeEvery` steps, once appended to probes.jsonl. */
  onSnapshot?(snapshot: ProbeSnapshot): void;
  /** The generator's scores every `scoreEvery` steps, once appended to metrics.jsonl. */
  onScores?(record: ScoreRecord): void;
  /** A finding of the doctor, once appended to findings.jsonl; `opened`: the first time it is reported. */
  onFinding?(finding: Finding, opened: boolean): void;
  /**
   * A step whose update was not applied (non-finite values): resolves when the loop should end, without a last grid or
   * checkpoint, so the newest checkpoint stays the last good one. Without it the loop ends at once.
   */
  onHalt?(finding: Finding): Promise<void>;
  /** Something the user should know that does not stop training (e.g. why there are no scores). */
  onNote?(message: string): void;
  /** Awaited before the first step and after each: where queued probe requests are answered, never during a step. */
  betweenSteps?(): Promise<void>;
  /** True once the user asked to stop; checked between steps. */
  stopRequested(): boolean;
  /** Resolves when training may go on (at once unless paused), or with the one update step mode asked for while paused. */
  whilePaused(): Promise<StepUpdate | void>;
  /** A step-mode step is done and its metrics line and grid are written: the grid and D's verdicts before and after it. */
  onStepped?(update: StepUpdate, before: StepView, after: StepView): void | Promise<void>;
}

/**
 * Trains until the configured step count or a stop request, then writes a last grid and checkpoint; or until a step
 * cannot be applied ('halted'), leaving the newest checkpoint as it is.
 */
export async function runLoop(s: TrainingSession, hooks: LoopHooks, prober: Prober): Promise<'requested' | 'completed' | 'halted'> {
  const { steps, sampleEvery } = s.config;
  const checkpointEvery = s.config.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  const probeEvery = s.config.probeEvery ?? DEFAULT_PROBE_EVERY;
  let lastCheckpoint = s.step;
  const checkpoint = async () => {
    lastCheckpoint = s.step;
    const dir = await s.writeCheckpoint(); // not inside `onCheckpoint?.(…)`: without a hook, that skips its arguments
    hooks.onCheckpoint?.(dir, s.step);
  };
  const graph = graphWriter(s, hooks, prober);
  const scorer = scorerFor(s, (message) => (hooks.onNote ?? console.warn)(message));
  const scored = (record: ScoreRecord | undefined) => {
    if (!record) return;
    s.writer.appendScores(record);
    doctor.observeScores(record);
    hooks.onScores?.(record);
  };
  const snapshot = async () => {
    const snap = await prober.snapshot();
    s.writer.appendProbe(snap);
    hooks.onSnapshot?.(snap);
  };
  const doctor = new Doctor(s, (finding, opened) => {
    s.writer.appendFinding(finding);
    hooks.onFinding?.(finding, opened);
  });
  let lastSampled = s.step;
  const sample = async () => {
    lastSampled = s.step;
    const written = await s.writeSamples();
    await hooks.onSamples(written);
    return written.png;
  };
  graph();
  // A grid at the first step shows the untrained (or resumed) generator at once.
  await sample();
  await hooks.betweenSteps?.();

  while (!hooks.stopRequested() && (steps === 0 || s.step < steps)) {
    const single = (await hooks.whilePaused()) || undefined;
    if (hooks.stopRequested()) break;
    const before = single && (await stepView(s, s.step));
    let metrics;
    try {
      metrics = await s.trainOneStep(single);
    } catch (e) {
      if (!(e instanceof NonFiniteUpdate)) throw e;
      await hooks.onHalt?.(doctor.nonFinite(e));
      doctor.finish();
      return 'halted';
    }
    hooks.onStep(metrics);
    await doctor.afterStep(metrics);
    // Scoring advances by a chunk of samples a step, so it never holds training up for long.
    scored(await s.withSampleWeights(async () => scorer?.afterStep(metrics, s.gan.generator)));
    graph();
    // Every step-mode step gets its grid, so the gallery's timeline holds what it changed.
    const grid = single || (sampleEvery > 0 && s.step % sampleEvery === 0) ? await sample() : undefined;
    if (probeEvery > 0 && s.step % probeEvery === 0) await snapshot();
    if (checkpointEvery > 0 && s.step % checkpointEvery === 0) await checkpoint();
    if (single && before) await hooks.onStepped?.(single, before, await stepView(s, before.step, grid));
    await hooks.betweenSteps?.();
    // Let pause/stop requests and signals in between steps.
    await new Promise(setImmediate);
  }
  doctor.finish();
  if (lastSampled !== s.step) await sample();
  if (lastCheckpoint !== s.step) await checkpoint();
  // A run that completes mid-score (or at a scoring step) gets that score; a stopped one does not wait for it.
  if (!hooks.stopRequested()) scored(await scorer?.finish());
  return hooks.stopRequested() ? 'requested' : 'completed';
}

/** Writes graph.json at the start, and again when a growing model bumps its graphVersion (checked each step: one comparison). */
function graphWriter(s: TrainingSession, hooks: LoopHooks, prober: Prober): () => void {
  const shape: GraphSource = s;
  let graphVersion: number | undefined;
  return () => {
    if (shape.graphVersion === graphVersion) return;
    graphVersion = shape.graphVersion;
    const g = prober.graph();
    s.writer.writeGraph(g);
    hooks.onGraph?.(g);
  };
}
