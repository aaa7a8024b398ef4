// `ganscope-train`: trains a run from a terminal, without VS Code, writing the run directory the extension reads.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDatasetSpec } from '../protocol/dataset';
import { DEFAULT_PROBE_EVERY } from '../protocol/probes';
import { BackendChoice, BACKENDS, DEFAULT_CHECKPOINT_EVERY, GAN_LOSSES, GanLoss, RunConfig, StepMetrics } from '../protocol/trainer';
import { initBackend } from './backend';
import { downloadDataset, DOWNLOADABLE } from './data/download';
import { runLoop } from './loop';
import { getPreset, PRESETS } from './presets';
import { Prober } from './probes/prober';
import { DEFAULT_SCORE_EVERY } from './scores/scorer';
import { TrainingSession } from './session';

const USAGE = `Usage:
  ganscope-train [options]                          train a GAN, writing a run folder under --out
  ganscope-train --resume <run folder> [options]    continue a run from its last checkpoint
  ganscope-train download <${Object.keys(DOWNLOADABLE).join('|')}> [--to <folder>]   fetch a dataset, checksums verified

Options:
  --preset <name>           ${Object.keys(PRESETS).join(', ')} (default mnist-dcgan)
  --dataset <spec>          mnist, mnist:<folder>, fashion-mnist:<folder>, idx:<file>, cifar10:<folder>,
                            folder:<folder> (default: the preset's, mnist)
  --steps <n>               stop after n steps in all (0: until Ctrl-C; default 0)
  --out <folder>            where run folders go (default .ganscope/runs)
  --resume <run folder>     continue that run in place; its own preset, dataset, seed and loss are used
  --backend <name>          ${BACKENDS.join(', ')} (default auto)
  --seed <n>                random seed of a new run (default 42)
  --sample-every <n>        write a sample grid every n steps (default 20)
  --checkpoint-every <n>    write a checkpoint every n steps, 0: only at the end (default ${DEFAULT_CHECKPOINT_EVERY})
  --probe-every <n>         append a probe snapshot (D(x), D(G(z)), norms, BN statistics) to probes.jsonl
                            every n steps, 0: never (default ${DEFAULT_PROBE_EVERY})
  --score-every <n>         score the generator (Inception Score, Fréchet distance, SWD, class histogram) every
                            n steps into metrics.jsonl, 0: never (default ${DEFAULT_SCORE_EVERY} for 28×28 one-channel data, else 0)
  --loss <name>             generator loss: ${GAN_LOSSES.join(', ')} (default: the preset's;
                            feature-matching for mnist-ssgan-100, else non-saturating)
  --grow-steps <n>          progressive presets: steps of each fade-in and each stable phase (default the preset's)
  --label-smoothing <x>     one-sided: D's target for real images is 1 − x (default 0)
  --progress-every <n>      when stderr is not a terminal, a progress line every n steps (default 10)
  -h, --help                show this help

Ctrl-C stops after the current step and writes a checkpoint; press it twice to quit at once.`;

class UsageError extends Error {}

function nonNegInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${flag} must be a non-negative integer, not "${value}"`);
  return Number(value);
}

interface Command {
  backend: BackendChoice;
  config: RunConfig;
  progressEvery: number;
}

export function parseCommand(argv: string[]): Command | { download: string; to: string } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        preset: { type: 'string' }, dataset: { type: 'string' }, steps: { type: 'string' }, out: { type: 'string' },
        resume: { type: 'string' }, backend: { type: 'string' }, seed: { type: 'string' }, 'sample-every': { type: 'string' },
        'checkpoint-every': { type: 'string' }, 'probe-every': { type: 'string' }, 'score-every': { type: 'string' }, loss: { type: 'string' }, 'label-smoothing': { type: 'string' },
        'grow-steps': { type: 'string' }, 'progress-every': { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) return 'help';
  if (positionals[0] === 'download') {
    const name = positionals[1];
    if (!name || !(name in DOWNLOADABLE)) throw new UsageError(`download needs a dataset: ${Object.keys(DOWNLOADABLE).join(' or ')}`);
    if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
    return { download: name, to: path.resolve(v.to ?? path.join('datasets', name)) };
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (v.to !== undefined) throw new UsageError('--to belongs to the download command');

  const backend = v.backend ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) throw new UsageError(`--backend must be one of ${BACKENDS.join(', ')}, not "${backend}"`);
  if (v.resume !== undefined) {
    const fixed = ['preset', 'dataset', 'seed', 'loss', 'label-smoothing', 'grow-steps', 'out'].filter((f) => v[f as keyof typeof v] !== undefined);
    if (fixed.length) throw new UsageError(`--resume continues a run with its own settings and folder: drop --${fixed.join(', --')}`);
  }
  const preset = v.preset ?? 'mnist-dcgan';
  try {
    getPreset(preset);
    if (v.dataset !== undefined) parseDatasetSpec(v.dataset);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (v.loss !== undefined && !(GAN_LOSSES as readonly string[]).includes(v.loss)) throw new UsageError(`--loss must be one of ${GAN_LOSSES.join(', ')}, not "${v.loss}"`);
  let labelSmoothing: number | undefined;
  if (v['label-smoothing'] !== undefined) {
    labelSmoothing = Number(v['label-smoothing']);
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new UsageError(`--label-smoothing must be a number from 0 up to 1 (e.g. 0.1), not "${v['label-smoothing']}"`);
  }
  const growSteps = v['grow-steps'] === undefined ? undefined : nonNegInt('grow-steps', v['grow-steps'], 0);
  if (growSteps === 0) throw new UsageError('--grow-steps must be at least 1');
  return {
    backend: backend as BackendChoice,
    progressEvery: Math.max(1, nonNegInt('progress-every', v['progress-every'], 10)),
    config: {
      preset,
      dataset: v.dataset ?? getPreset(preset).defaultDataset,
      steps: nonNegInt('steps', v.steps, 0),
      seed: nonNegInt('seed', v.seed, 42),
      runsDir: path.resolve(v.out ?? path.join('.ganscope', 'runs')),
      sampleEvery: nonNegInt('sample-every', v['sample-every'], 20),
      checkpointEvery: nonNegInt('checkpoint-every', v['checkpoint-every'], DEFAULT_CHECKPOINT_EVERY),
      probeEvery: nonNegInt('probe-every', v['probe-every'], DEFAULT_PROBE_EVERY),
      ...(v['score-every'] !== undefined && { scoreEvery: nonNegInt('score-every', v['score-every'], 0) }),
      ...(v.resume !== undefined && { resume: v.resume }),
      ...(growSteps !== undefined && { growSteps }),
      ...(v.loss !== undefined && { loss: v.loss as GanLoss }),
      ...(labelSmoothing !== undefined && { labelSmoothing }),
    },
  };
}

/** One line of progress: step, losses, D(x), D(G(z)), images/s and the time left. */
export function progressLine(m: StepMetrics, steps: number, stepsPerSec: number): string {
  const of = steps > 0 ? `/${steps}` : '';
  const bar = steps > 0 ? `${'█'.repeat(Math.round((20 * m.step) / steps)).padEnd(20, '·')} ` : '';
  const eta = steps > 0 && stepsPerSec > 0 ? ` ETA ${formatDuration((steps - m.step) / stepsPerSec)}` : '';
  return `${bar}step ${m.step}${of}  D ${m.dLoss.toFixed(3)}  G ${m.gLoss.toFixed(3)}  D(x) ${m.dReal.toFixed(2)}  D(G(z)) ${m.dFake.toFixed(2)}  ${m.imagesPerSec.toFixed(0)} img/s${eta}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

async function train(command: Command): Promise<number> {
  const err = process.stderr;
  const info = await initBackend(command.backend);
  err.write(`backend: ${info.backend} — ${info.device}${info.threads ? `, ${info.threads} thread(s)` : ''}\n`);
  const session = TrainingSession.open(command.config, info);
  const { steps } = session.config;
  err.write(`${command.config.resume ? 'resuming' : 'run'}: ${session.writer.dir} (preset ${session.preset.name}, `
    + `dataset ${session.config.dataset || session.preset.defaultDataset}, ${session.image.size}×${session.image.size}×${session.image.channels}, from step ${session.step})\n`);
  for (const note of session.notes) err.write(`${note}\n`);

  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130); // a second Ctrl-C: the last checkpoint stays as it is
    stop = true;
    err.write('\nstopping after this step (writing a checkpoint); Ctrl-C again to quit at once\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const tty = err.isTTY === true;
  let rate = 0; // steps per second, smoothed
  let last = performance.now();
  let line = '';
  const prober = new Prober(session);
  const reason = await runLoop(session, {
    onStep: (m) => {
      const now = performance.now();
      const instant = 1000 / Math.max(1, now - last);
      last = now;
      rate = rate === 0 ? instant : 0.9 * rate + 0.1 * instant;
      line = progressLine(m, steps, rate);
      if (tty) err.write(`\r\x1b[K${line}`);
      else if (m.step % command.progressEvery === 0 || m.step === steps) err.write(`${line}\n`);
    },
    onSamples: () => undefined,
    onScores: (r) => {
      const shown = Object.entries(r.scores).map(([name, value]) => `${name} ${Number(value.toPrecision(4))}`).join(', ');
      err.write(`${tty ? '\n' : ''}scores at step ${r.step}: ${shown}\n`);
    },
    onNote: (message) => err.write(`${tty ? '\n' : ''}${message}\n`),
    onFinding: (f, opened) => {
      if (opened) err.write(`${tty ? '\n' : ''}${f.severity} at step ${f.step}: ${f.kind}: ${f.summary}\n`);
    },
    onCheckpoint: (dir) => {
      if (!tty) err.write(`checkpoint: ${dir}\n`);
    },
    stopRequested: () => stop,
    whilePaused: async () => undefined,
  }, prober);
  prober.dispose();
  if (tty && line) err.write('\n');
  if (reason === 'halted') {
    err.write(`halted before step ${session.step + 1}: the update was not applied; the newest checkpoint in ${session.writer.dir} is the last good one\n`);
  } else {
    err.write(`${reason === 'completed' ? 'done' : 'stopped'} at step ${session.step}; resume with: ganscope-train --resume ${session.writer.dir}\n`);
  }
  session.close();
  process.stdout.write(`${session.writer.dir}\n`);
  return reason === 'halted' ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  // stdout carries only the result (the run folder, a dataset spec) for scripts; libraries' messages go to stderr.
  console.log = console.error;
  let command: ReturnType<typeof parseCommand>;
  try {
    command = parseCommand(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`ganscope-train: ${e.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if ('download' in command) {
      const spec = await downloadDataset(command.download, command.to, { log: (m) => process.stderr.write(`${m}\n`) });
      process.stderr.write(`done: train on it with --dataset ${spec}\n`);
      process.stdout.write(`${spec}\n`);
      return 0;
    }
    return await train(command);
  } catch (e) {
    process.stderr.write(`\nganscope-train: ${(e as Error).message}\n`);
    return 1;
  }
}

// wasm worker threads keep the process alive: exit explicitly.
if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
