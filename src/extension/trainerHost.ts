// Owns the trainer child process: forks it, waits until it is ready, relays requests and events,
// and makes sure it never outlives a run or the extension.
import { ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { ProbeQuery, ProbeResult } from '../protocol/probes';
import { BackendChoice, RunConfig, StepUpdate, TrainerEvent, TrainerRequest, validateTrainerEvent } from '../protocol/trainer';
import { onLines } from './lines';

export type ReadyEvent = Extract<TrainerEvent, { type: 'ready' }>;
export type InspectingEvent = Extract<TrainerEvent, { type: 'inspecting' }>;

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the host asked the trainer to stop (or the run completed), false for a crash. */
  expected: boolean;
  /** The last lines the trainer wrote to stderr, for the crash report. */
  stderrTail: string[];
}

export interface TrainerHostOptions {
  trainerPath: string;
  backend: BackendChoice;
  /** Extra environment for the child, e.g. where native backends were installed. */
  env?: NodeJS.ProcessEnv;
  /** Node options for the child, e.g. a TypeScript loader when tests run the sources. */
  execArgv?: string[];
  readyTimeoutMs?: number;
  /** How long a stop may take before the child is killed. */
  stopTimeoutMs?: number;
  /** How long a probe may take before its promise rejects. */
  probeTimeoutMs?: number;
}

interface PendingProbe {
  resolve: (result: ProbeResult) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const STDERR_LINES = 40;

export class TrainerHost {
  private child: ChildProcess | undefined;
  private stopping = false;
  private stderrTail: string[] = [];
  private readonly events = new EventEmitter();
  private nextProbeId = 1;
  private nextStepId = 1;
  private readonly pending = new Map<number, PendingProbe>();

  constructor(private readonly options: TrainerHostOptions) {}

  get pid(): number | undefined {
    return this.child?.exitCode === null && this.child.signalCode === null ? this.child.pid : undefined;
  }

  get running(): boolean {
    return this.pid !== undefined;
  }

  onEvent(listener: (event: TrainerEvent) => void): () => void {
    return this.listen('event', listener);
  }

  onExit(listener: (exit: TrainerExit) => void): () => void {
    return this.listen('exit', listener);
  }

  /** Lines of the child's stdout and stderr, and messages that failed validation. */
  onLog(listener: (line: string) => void): () => void {
    return this.listen('log', listener);
  }

  /** Forks the trainer, waits for `ready`, then asks it to start the run. */
  async start(config: RunConfig): Promise<ReadyEvent> {
    const ready = await this.fork();
    this.send({ type: 'start', config });
    return ready;
  }

  /** Forks a trainer that loads a past run's latest checkpoint and trains nothing, so probes can be answered on it. */
  async inspect(runDir: string): Promise<InspectingEvent> {
    await this.fork();
    const inspecting = new Promise<InspectingEvent>((resolve, reject) => {
      const off = this.onEvent((event) => {
        if (event.type === 'inspecting') resolve(event);
        else if (event.type === 'error') reject(new Error(event.message));
        else return;
        off();
        offExit();
      });
      const offExit = this.onExit((exit) => {
        off();
        reject(new Error(`The inspector exited (code ${exit.code}) before it loaded ${runDir}.`));
      });
    });
    this.send({ type: 'inspect', runDir });
    return inspecting;
  }

  /** Asks the trainer one probe; rejects with the trainer's message, on timeout, or when it exits first. */
  probe(query: ProbeQuery): Promise<ProbeResult> {
    const id = this.nextProbeId++;
    const timeoutMs = this.options.probeTimeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`The trainer did not answer the ${query.kind} probe within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.send({ type: 'probe', id, query });
      } catch (err) {
        this.settleProbe(id, undefined, (err as Error).message);
      }
    });
  }

  private async fork(): Promise<ReadyEvent> {
    if (this.child) throw new Error('A trainer is already running. Stop it before starting another run.');
    this.stopping = false;
    this.stderrTail = [];
    const child = fork(this.options.trainerPath, [], {
      serialization: 'advanced', // typed arrays (probe results) cross without JSON
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...this.options.env, GANSCOPE_BACKEND: this.options.backend },
      execArgv: this.options.execArgv ?? [],
    });
    this.child = child;
    onLines(child.stdout, (line) => this.log(line));
    onLines(child.stderr, (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_LINES) this.stderrTail.shift();
      this.log(line);
    });
    child.on('message', (raw) => this.receive(raw));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      for (const id of [...this.pending.keys()]) this.settleProbe(id, undefined, 'The trainer exited before it answered.');
      const stopped = this.stopping || code === 0;
      this.events.emit('exit', { code, signal, expected: stopped, stderrTail: [...this.stderrTail] } satisfies TrainerExit);
    });

    return this.waitForReady(child);
  }

  /** The run's `.gan.json` was saved: the trainer applies its live fields at the next step. */
  applyGanFile(file: string): void {
    this.send({ type: 'applyGanFile', file });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  resume(): void {
    this.send({ type: 'resume' });
  }

  /** Step mode: asks a paused trainer for one update; it answers with a `stepped` or `stepError` event. */
  step(update: StepUpdate): void {
    this.send({ type: 'step', id: this.nextStepId++, update });
  }

  /** Asks the trainer to finish its step, write its files and exit; kills it if it does not. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.send({ type: 'stop' } satisfies TrainerRequest);
    const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** Kills the trainer at once; for extension shutdown. */
  dispose(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
    this.child = undefined;
    for (const id of [...this.pending.keys()]) this.settleProbe(id, undefined, 'The trainer was shut down.');
    this.events.removeAllListeners();
  }

  private send(request: TrainerRequest): void {
    if (!this.child?.connected) throw new Error('The trainer is not running.');
    this.child.send(request);
  }

  private receive(raw: unknown): void {
    const result = validateTrainerEvent(raw);
    if (!result.ok) {
      this.log(`Dropped an invalid message from the trainer: ${result.error}`);
      return;
    }
    const event = result.value;
    if (event.type === 'probeResult') this.settleProbe(event.id, event.result);
    else if (event.type === 'probeError') this.settleProbe(event.id, undefined, event.message);
    this.events.emit('event', event);
  }

  private settleProbe(id: number, result: ProbeResult | undefined, error?: string): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    if (result) pending.resolve(result);
    else pending.reject(new Error(error));
  }

  private waitForReady(child: ChildProcess): Promise<ReadyEvent> {
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        offEvent();
        child.off('exit', onExit);
      };
      const offEvent = this.onEvent((event) => {
        if (event.type === 'ready') {
          cleanup();
          resolve(event);
        } else if (event.type === 'error') {
          cleanup();
          reject(new Error(event.message));
        }
      });
      const onExit = (code: number | null) => {
        cleanup();
        const cause = this.likelyCause();
        reject(new Error(`The trainer exited with code ${code} before it was ready.${cause ? ` ${cause}` : ''}`));
      };
      child.once('exit', onExit);
      const timer = setTimeout(() => {
        cleanup();
        child.kill('SIGKILL');
        reject(new Error(`The trainer did not become ready within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
    });
  }

  /** The stderr line that most likely says why the trainer died: the last error line, else the last line. */
  private likelyCause(): string | undefined {
    const lines = this.stderrTail.map((l) => l.trim()).filter((l) => l && !/^Node\.js v\d/.test(l));
    return lines.findLast((l) => /^\w*Error\b|error:/i.test(l)) ?? lines.at(-1);
  }

  private log(line: string): void {
    this.events.emit('log', line);
  }

  private listen<T>(name: string, listener: (value: T) => void): () => void {
    this.events.on(name, listener);
    return () => this.events.off(name, listener);
  }
}
