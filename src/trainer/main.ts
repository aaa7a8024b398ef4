// The trainer child process: answers TrainerRequests over Node IPC with TrainerEvents while it trains one run.
import { RunConfig, TrainerEvent, validateTrainerRequest } from '../protocol/trainer';
import { backendChoiceFromEnv, BackendInfo, initBackend } from './backend';
import { runLoop } from './loop';
import { TrainingSession } from './session';

let backend: Promise<BackendInfo> | undefined;
let session: TrainingSession | undefined;
let paused = false;
let stopRequested = false;
/** Resolves the wait of a paused training loop. */
let wake: (() => void) | undefined;

/** Resolves once the message is handed to the IPC channel, so exiting after it does not lose it. */
function send(event: TrainerEvent): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected) return resolve();
    process.send!(event, undefined, {}, () => resolve());
  });
}

const log = (message: string) => void send({ type: 'log', message });

/** Flushes and closes the run's files, then exits. */
function exit(code: number): never {
  try {
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
      if (session) return log('Ignored start: a run is already in progress');
      void train(request.config).catch(fail);
      return;
    case 'pause':
      if (!session || paused) return log('Ignored pause: not training');
      paused = true;
      void send({ type: 'paused', step: session.step });
      return;
    case 'resume':
      if (!session || !paused) return log('Ignored resume: not paused');
      paused = false;
      wake?.();
      void send({ type: 'resumed', step: session.step });
      return;
    case 'stop':
      stopRequested = true;
      wake?.();
      // Without a run there is nothing to finish: leave now.
      if (!session) void send({ type: 'stopped', step: 0, reason: 'requested' }).then(() => exit(0));
      return;
  }
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
  await send({ type: 'started', runId: s.writer.id, runDir: s.writer.dir, preset: s.preset.name, batchSize: s.preset.batchSize, step: s.step });
  for (const note of s.notes) log(note);
  const reason = await runLoop(s, {
    onStep: (metrics) => void send({ type: 'step', metrics }),
    onSamples: (samples) => void send({ type: 'samples', ...samples }),
    stopRequested: () => stopRequested,
    whilePaused: async () => {
      while (paused && !stopRequested) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
  });
  await send({ type: 'stopped', step: s.step, reason });
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
