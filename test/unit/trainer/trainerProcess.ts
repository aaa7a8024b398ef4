// The trainer as the extension forks it (here from sources via tsx), every event validated as the extension validates it.
import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import { TrainerEvent, validateTrainerEvent, Written } from '../../../src/protocol/trainer';
import { MNIST_DIR, REPO, WASM_DIR } from './helpers';

export const TRAINER_ENV = { ...process.env, GANSCOPE_DATA_DIR: MNIST_DIR, GANSCOPE_WASM_DIR: WASM_DIR, GANSCOPE_BACKEND: 'wasm' };

type Wrote = Extract<TrainerEvent, { type: 'wrote' }>;
type Reply = Extract<TrainerEvent, { type: 'probeResult' | 'probeError' }>;

export class TrainerProcess {
  readonly events: TrainerEvent[] = [];
  readonly exited: Promise<number | null>;
  readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor() {
    this.child = fork(path.join(REPO, 'src/trainer/main.ts'), [], {
      execArgv: ['--import', 'tsx'], serialization: 'advanced', env: TRAINER_ENV, stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    this.child.on('message', (m) => {
      const checked = validateTrainerEvent(m);
      if (!checked.ok) throw new Error(`trainer sent an invalid event: ${checked.error}`);
      this.events.push(checked.value);
      this.waiters.forEach((w) => w());
    });
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  send(message: unknown): void {
    this.child.send(message as object);
  }

  /** The first event from the `from`th on that matches `test`, now or when it comes. */
  when<T extends TrainerEvent>(test: (e: TrainerEvent) => e is T, from = 0): Promise<T> {
    return new Promise((resolve) => {
      const check = () => {
        const found = this.events.slice(from).find(test);
        if (found) resolve(found);
        else this.waiters.push(check);
      };
      check();
    });
  }

  /** The first event of `type` from the `from`th event on. */
  next<K extends TrainerEvent['type']>(type: K, from = 0): Promise<Extract<TrainerEvent, { type: K }>> {
    return this.when((e): e is Extract<TrainerEvent, { type: K }> => e.type === type, from);
  }

  /** The first "wrote" event for `record` from the `from`th event on. */
  wrote(record: Written, from = 0): Promise<Wrote> {
    return this.when((e): e is Wrote => e.type === 'wrote' && e.record === record, from);
  }

  /** The steps of the "wrote" events for `record` so far. */
  written(record: Written): number[] {
    return this.events.flatMap((e) => (e.type === 'wrote' && e.record === record ? [e.step] : []));
  }

  reply(id: number): Promise<Reply> {
    return this.when((e): e is Reply => (e.type === 'probeResult' || e.type === 'probeError') && e.id === id);
  }

  disconnect(): void {
    this.child.disconnect();
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}
