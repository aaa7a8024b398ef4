// `ganscope-train`: trains a run from a terminal, without VS Code, writing the run directory the extension reads.
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { flagValue, GAN_LOSSES, isGanFilePath, lossOf, OptionError, parseOption, PRESET_NAMES, RUN_OPTIONS, RunOption } from '../protocol/runOptions';
import { BackendChoice, BACKENDS, RunConfig, StepMetrics } from '../protocol/trainer';
import { initBackend } from './backend';
import { downloadDataset, DOWNLOADABLE } from './data/download';
import { runLoop } from './loop';
import { checkGanFile } from './ganCheck';
import { getPreset, loadGanFile, Preset } from './presets';
import { Prober } from './probes/prober';
import { DEFAULT_SCORE_EVERY } from './scores/scorer';
import { TrainingSession } from './session';

const O = RUN_OPTIONS;

const USAGE = `Usage:
  ganscope-train [options]                          train a GAN, writing a run folder under --out
  ganscope-train --resume <run folder> [options]    continue a run from its last checkpoint
  ganscope-train --branch-from <run folder> [options]  a new run that starts from that run's newest checkpoint
  ganscope-train download <${Object.keys(DOWNLOADABLE).join('|')}> [--to <folder>]   fetch a dataset, checksums verified
  ganscope-train check <file.gan.json>              print its layers' shapes and parameters, or its problems (exit 2)

Options:
  --preset <name>           ${PRESET_NAMES.join(', ')} (default ${O.preset.default})
  --gan <file.gan.json>     train this GAN definition instead of a preset (its seed when --seed is not given)
  --dataset <spec>          mnist, mnist:<folder>, fashion-mnist:<folder>, idx:<file>, cifar10:<folder>,
                            folder:<folder> (default: the preset's, mnist)
  --steps <n>               stop after n steps in all (0: until Ctrl-C; default ${O.steps.default})
  --out <folder>            where run folders go (default ${O.runsFolder.default})
  --resume <run folder>     continue that run in place; its own preset, dataset, seed and loss are used
  --branch-from <run folder>  start a new run (e.g. with --gan and a changed file) from that run's newest checkpoint
  --backend <name>          ${BACKENDS.join(', ')} (default ${O.backend.default})
  --seed <n>                random seed of a new run (default ${O.seed.default})
  --sample-every <n>        write a sample grid every n steps (default ${O.sampleEvery.default})
  --checkpoint-every <n>    write a checkpoint every n steps, 0: only at the end (default ${O.checkpointEvery.default})
  --probe-every <n>         append a probe snapshot (D(x), D(G(z)), norms, BN statistics) to probes.jsonl
                            every n steps, 0: never (default ${O.probeEvery.default})
  --score-every <n>         score the generator (Inception Score, Fréchet distance, SWD, class histogram) every
                            n steps into metrics.jsonl, 0: never (default ${DEFAULT_SCORE_EVERY} for 28×28 one-channel data, else 0)
  --loss <name>             generator loss: ${GAN_LOSSES.join(', ')}, or ${O.loss.default} (the default):
                            the preset's own, feature-matching for mnist-ssgan-100, else non-saturating
  --grow-steps <n>          progressive presets: steps of each fade-in and each stable phase (default the preset's)
  --label-smoothing <x>     one-sided: D's target for real images is 1 − x (default ${O.labelSmoothing.default})
  --progress-every <n>      when stderr is not a terminal, a progress line every n steps (default ${O.progressEvery.default})
  -h, --help                show this help

Ctrl-C stops after the current step and writes a checkpoint; press it twice to quit at once.`;

class UsageError extends Error {}

/** Signals closer together than this are one Ctrl-C delivered twice, not a second press. */
const SAME_SIGNAL_MS = 500;

/** The options --resume takes from the run it continues. */
const FIXED_BY_RESUME = [...[O.preset, O.dataset, O.seed, O.loss, O.labelSmoothing, O.growSteps, O.runsFolder].map((o) => o.flag), 'gan'] as const;

/** Every run option's flag; each takes one value. */
const FLAGS = Object.values(RUN_OPTIONS).flatMap((o) => ('flag' in o ? [o.flag] : []));

interface Command {
  backend: BackendChoice;
  config: RunConfig;
  progressEvery: number;
}

export function parseCommand(argv: string[]): Command | { download: string; to: string } | { check: string } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(FLAGS.map((f) => [f, { type: 'string' } as const])),
        resume: { type: 'string' }, 'branch-from': { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' },
        gan: { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { positionals } = parsed;
  if ('help' in parsed.values) return 'help';
  const v = parsed.values as Record<string, string | undefined>; // every option left takes a string
  if (positionals[0] === 'download') {
    const name = positionals[1];
    if (!name || !(name in DOWNLOADABLE)) throw new UsageError(`download needs a dataset: ${Object.keys(DOWNLOADABLE).join(' or ')}`);
    if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
    return { download: name, to: path.resolve(v.to ?? path.join('datasets', name)) };
  }
  // `.gan.json` files: check one, or train one (its name stands for the preset).
  if (positionals[0] === 'check') {
    if (positionals.length !== 2) throw new UsageError('check needs one .gan.json file');
    return { check: path.resolve(positionals[1]) };
  }
  if (v.gan !== undefined && v.preset !== undefined) throw new UsageError('--gan and --preset both name the GAN: give one');
  // `--preset x.gan.json` is `--gan x.gan.json`, as the preset setting may name a file.
  const ganPath = v.gan ?? (v.preset !== undefined && isGanFilePath(v.preset) ? v.preset : undefined);
  const gan = ganPath === undefined ? undefined : ganFileOrUsage(ganPath);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (v.to !== undefined) throw new UsageError('--to belongs to the download command');
  if (v.resume !== undefined) {
    const fixed = FIXED_BY_RESUME.filter((f) => v[f] !== undefined);
    if (fixed.length) throw new UsageError(`--resume continues a run with its own settings and folder: drop --${fixed.join(', --')}`);
  }
  if (v.resume !== undefined && v['branch-from'] !== undefined) throw new UsageError('--resume continues a run, --branch-from starts a new one from it: give one');
  const given = (o: RunOption<unknown> & { flag: string }) => v[o.flag];
  const flag = <T>(o: RunOption<T> & { flag: string }): T => {
    const text = given(o);
    try {
      return parseOption(o, text === undefined ? undefined : flagValue(o, text), `--${o.flag}`);
    } catch (e) {
      throw e instanceof OptionError ? new UsageError(e.message) : e;
    }
  };
  const backend = flag(O.backend);
  const preset = gan?.definition.name ?? flag(O.preset);
  return {
    backend,
    progressEvery: Math.max(1, flag(O.progressEvery)),
    config: {
      preset,
      dataset: given(O.dataset) === undefined ? (gan?.definition ?? getPreset(preset)).dataset : flag(O.dataset),
      steps: flag(O.steps),
      seed: given(O.seed) === undefined && gan?.definition.seed !== undefined ? gan.definition.seed : flag(O.seed),
      ...(gan && { gan: gan.file }),
      runsDir: path.resolve(flag(O.runsFolder)),
      sampleEvery: flag(O.sampleEvery),
      checkpointEvery: flag(O.checkpointEvery),
      probeEvery: flag(O.probeEvery),
      scoreEvery: flag(O.scoreEvery),
      resume: v.resume,
      ...(v['branch-from'] !== undefined && { branchFrom: path.resolve(v['branch-from']) }),
      growSteps: flag(O.growSteps),
      loss: lossOf(flag(O.loss)),
      labelSmoothing: flag(O.labelSmoothing),
    },
  };
}

/** A `--gan` file resolved, or a usage error with its problems. */
function ganFileOrUsage(file: string): { file: string; definition: Preset } {
  try {
    return { file: path.resolve(file), definition: loadGanFile(path.resolve(file)) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
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
  err.write(`${command.config.resume ? 'resuming' : command.config.branchFrom ? 'branch' : 'run'}: ${session.writer.dir} (preset ${session.preset.name}, `
    + `dataset ${session.config.dataset || session.preset.dataset}, ${session.image.size}×${session.image.size}×${session.image.channels}, from step ${session.step})\n`);
  for (const note of session.notes) err.write(`${note}\n`);

  let stopAskedAt: number | undefined; // when the first Ctrl-C came
  const onSignal = () => {
    if (stopAskedAt !== undefined) {
      // One Ctrl-C can arrive twice within milliseconds: from the terminal, and forwarded by `npm run` or `timeout`.
      if (performance.now() - stopAskedAt < SAME_SIGNAL_MS) return;
      process.exit(130); // a second Ctrl-C: the last checkpoint stays as it is
    }
    stopAskedAt = performance.now();
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
    stopRequested: () => stopAskedAt !== undefined,
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
  if ('check' in command) {
    const { code, report } = checkGanFile(command.check);
    (code === 0 ? process.stdout : process.stderr).write(`${report}\n`);
    return code;
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
