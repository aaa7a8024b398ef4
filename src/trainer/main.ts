// The trainer child process: answers TrainerRequests over Node IPC with TrainerEvents while it trains one run, or
// while it holds a past run's checkpoint for inspection; probes are answered in both.
import * as os from 'node:os';
import { ProbeQuery } from '../protocol/probes';
import { RunConfig, StepUpdate, TrainerEvent, validateTrainerRequest, Written } from '../protocol/trainer';
import { backendChoiceFromEnv, BackendInfo, initBackend } from './backend';
import { runLoop } from './loop';
import { loadGanFile } from './presets';
import { Prober } from './probes/prober';
import { TrainingSession } from './session';

// Below the editor's own processes: training takes the CPU they leave, so the workbench, its webviews and the extension
// host stay responsive on a laptop's few cores. Set before the backend starts its threads, which inherit it.
try {
  os.setPriority(os.constants.priority.PRIORITY_BELOW_NORMAL);
} catch {
  // Not permitted here: the trainer runs at the normal priority.
}

let backend: Promise<BackendInfo> | undefined;
/** The run being trained or inspected. */
let session: TrainingSession | undefined;
let prober: Prober | undefined;
/** True once `session` holds a past run to inspect: it is never trained. */
let inspecting = false;
let paused = false;
/** True once a step could not be applied (non-finite values): the run stays paused until stopped. */
let halted = false;
let stopRequested = false;
/** Resolves the wait of a paused training loop. */
let wake: (() => void) | undefined;
/** The step-mode step asked for and not yet answered: at most one at a time. */
let pendingStep: { id: number; update: StepUpdate } | undefined;

/** Resolves once the message is handed to the IPC channel, so exiting after it does not lose it. */
function send(event: TrainerEvent): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(event, undefined, {}, () => resolve());
  });
}

const log = (message: string) => void send({ type: 'log', message });
/** The host reads what was written from the run folder: the event only says that it is there. */
const wrote = (record: Written, step: number) => void send({ type: 'wrote', record, step });

/** Flushes and closes the run's files, then exits. */
function exit(code: number): never {
  try {
    prober?.dispose();
    session?.close();
  } finally {
    process.exit(code);
  }
}

async function fail(e: unknown): Promise<never> {
  const message = e instanceof Error ? e.stack ?? e.message : String(e);
  await send({ type: 'error', message: `Trainer failed: ${message}`, fatal: true });
  return exit(1);
}

function onMessage(raw: unknown): void {
  const checked = validateTrainerRequest(raw);
  if (!checked.ok) return log(`Ignored an invalid request: ${checked.error}`);
  const request = checked.value;
  switch (request.type) {
    case 'start':
      if (inspecting) return log('Ignored start: this trainer is inspecting a run; start training in a new trainer');
      if (session) return log('Ignored start: a run is already in progress');
      void train(request.config).catch(fail);
      return;
    case 'inspect':
      if (session) return log(`Ignored inspect: this trainer already holds ${session.run.dir}`);
      void inspect(request.runDir).catch(fail);
      return;
    case 'probe':
      probes.push({ id: request.id, query: request.query });
      // Training answers probes between steps, a paused loop is woken to answer them; otherwise they are answered now.
      if (inspecting || !session) void answerProbes();
      else wake?.();
      return;
    case 'pause':
      if (!session || inspecting || paused) return log('Ignored pause: not training');
      paused = true;
      void send({ type: 'paused', step: session.step });
      return;
    case 'resume':
      if (!session || inspecting || !paused) return log('Ignored resume: not paused');
      if (halted) return log('Ignored resume: this run hit non-finite values (see its finding); stop it and continue from its last checkpoint with a changed setting');
      paused = false;
      wake?.();
      void send({ type: 'resumed', step: session.step });
      return;
    case 'step': {
      const problem = stepProblem();
      if (problem) return void send({ type: 'stepError', id: request.id, message: problem });
      pendingStep = { id: request.id, update: request.update };
      wake?.();
      return;
    }
    case 'applyGanFile':
      if (!session || inspecting) return log('Ignored applyGanFile: not training');
      pendingGanFile = request.file;
      return;
    case 'stop':
      stopRequested = true;
      wake?.();
      // Without a run in training there is nothing to finish: leave now.
      if (!session || inspecting) void send({ type: 'stopped', step: session?.step ?? 0, reason: 'requested' }).then(() => exit(0));
      return;
  }
}

/** Why a step-mode step cannot be taken now, if it cannot. */
function stepProblem(): string | undefined {
  if (!session || inspecting) return 'Cannot step: no run is training. Start one, pause it, then step';
  if (halted) return 'Cannot step: this run hit non-finite values (see its finding); stop it and continue from its last checkpoint with a changed setting';
  if (!paused) return 'Cannot step while the run trains: pause it first, then step one update at a time';
  if (pendingStep) return `Cannot step: the ${pendingStep.update} step asked for before is still running`;
  return session.stepModeProblem;
}

/** A saved `.gan.json` whose between-step fields the running run takes before its next step. */
let pendingGanFile: string | undefined;

/** Applies a saved `.gan.json` between steps: its live fields take effect, structural changes are only reported. */
function applyPendingGanFile(): void {
  const file = pendingGanFile;
  pendingGanFile = undefined;
  if (!file || !session) return;
  try {
    const { changed, structural } = session.applyDefinition(loadGanFile(file));
    if (Object.keys(changed).length) log(`Applied from ${file} at step ${session.step}: ${JSON.stringify(changed)}`);
    if (structural.length) log(`Not applied to the running run (start a new run for them): ${structural.join(', ')} changed in ${file}`);
  } catch (e) {
    log(`Not applied: ${(e as Error).message}`);
  }
}

/** Probe requests not answered yet, oldest first. */
const probes: { id: number; query: ProbeQuery }[] = [];
/** The answering in progress, so two callers never run probes at once. */
let answering: Promise<void> | undefined;

/** Answers every queued probe, one at a time; called only where no training step is running. */
function answerProbes(): Promise<void> {
  answering ??= (async () => {
    for (let next = probes.shift(); next; next = probes.shift()) {
      const { id, query } = next;
      if (!prober) {
        await send({ type: 'probeError', id, message: 'No run to probe yet: start training or inspect a run first' });
        continue;
      }
      try {
        const p = prober;
        // G's weight average, when on, is what the panels show, as in the sample grids.
        await send({ type: 'probeResult', id, result: await (session ? session.withSampleWeights(() => p.answer(query)) : p.answer(query)) });
      } catch (e) {
        await send({ type: 'probeError', id, message: (e as Error).message });
      }
    }
  })().finally(() => (answering = undefined));
  return answering;
}

async function inspect(runDir: string): Promise<void> {
  const info = await backend!;
  try {
    session = TrainingSession.inspect(runDir, info);
  } catch (e) {
    await send({ type: 'error', message: `Cannot inspect ${runDir}: ${(e as Error).message}`, fatal: false });
    return;
  }
  inspecting = true;
  prober = new Prober(session);
  for (const note of session.notes) log(note);
  await send({ type: 'inspecting', runId: session.run.id, runDir: session.run.dir, preset: session.preset.name, step: session.step });
  await answerProbes();
}

async function train(config: RunConfig): Promise<void> {
  const info = await backend!;
  try {
    session = TrainingSession.open(config, info);
  } catch (e) {
    // A bad preset, dataset or data file: the user can fix it and start again.
    await send({ type: 'error', message: (e as Error).message, fatal: false });
    return;
  }
  const s = session;
  prober = new Prober(s);
  await send({ type: 'started', runId: s.run.id, runDir: s.run.dir, preset: s.preset.name, batchSize: s.preset.batchSize, step: s.step });
  for (const note of s.notes) log(note);
  const reason = await runLoop(s, {
    onStep: (metrics) => wrote('step', metrics.step),
    onSamples: (samples) => wrote('sample', samples.step),
    onGraph: (graph) => wrote('graph', graph.step),
    onSnapshot: (snapshot) => wrote('probe', snapshot.step),
    onScores: (record) => wrote('scores', record.step),
    onFinding: (finding) => wrote('finding', finding.lastStep),
    onStepped: async (update, before, after) => {
      const id = pendingStep!.id;
      pendingStep = undefined;
      await send({ type: 'stepped', id, update, before, after });
    },
    onHalt: async () => {
      // Paused, not ended: the host shows the finding and its remedies; the newest checkpoint is the last good one.
      halted = true;
      paused = true;
      if (pendingStep) await send({ type: 'stepError', id: pendingStep.id, message: 'The update was not applied: it gave non-finite values (see the finding)' });
      pendingStep = undefined;
      await send({ type: 'paused', step: s.step });
      while (!stopRequested) {
        await answerProbes();
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    onNote: log,
    betweenSteps: answerProbes,
    stopRequested: () => stopRequested,
    whilePaused: async () => {
      // Woken by resume, stop, a step to take, or a probe to answer.
      for (await answerProbes(); paused && !stopRequested && !pendingStep; await answerProbes()) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      // Just before the next step, paused or not: a saved .gan.json's live fields.
      applyPendingGanFile();
      return pendingStep?.update;
    },
  }, prober);
  // The loop's last grid and checkpoint are written; what was asked meanwhile is answered before leaving.
  await answerProbes();
  await send({ type: 'stopped', step: s.step, reason: reason === 'completed' ? 'completed' : 'requested' });
  exit(0);
}

/**
 * tfjs-backend-wasm's Emscripten glue adds uncaughtException/unhandledRejection listeners that rethrow,
 * which would kill the process before our fatal error event is sent. Keep only ours.
 */
function keepOnlyOwnErrorListeners(): void {
  for (const event of ['uncaughtException', 'unhandledRejection']) {
    for (const l of process.listeners(event as 'uncaughtException')) if (l !== fail) process.removeListener(event, l);
  }
}

async function main(): Promise<void> {
  if (!process.send) {
    console.error('The GANscope trainer talks over an IPC channel: start it with child_process.fork.');
    process.exit(1);
  }
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // Nobody is left to report to.
  process.on('disconnect', () => exit(0));
  process.on('message', onMessage);
  backend = initBackend(backendChoiceFromEnv());
  const info = await backend;
  keepOnlyOwnErrorListeners();
  await send({ type: 'ready', ...info });
}

void main().catch(fail);
