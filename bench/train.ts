// Times the trainer's real D+G step of a preset on every backend this machine has, beside the same model in PyTorch.
//
//   node --import tsx bench/train.ts [--steps 20] [--warmup 3] [--preset mnist-dcgan] [--backends wasm,cpu] [--no-peer] [--no-profile] [--no-probes]
//
// Prints a table (median ms per step), the wasm step's time per kernel beside the PyTorch step's time per op, the cost
// of probe snapshots at the default rate as a percentage of training time (both measured in the same process), and as
// its last line one JSON object for the default backend.
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_PROBE_EVERY } from '../src/protocol/probes';
import { BackendChoice } from '../src/protocol/trainer';
import { initBackend } from '../src/trainer/backend';
import { buildGan, Gan } from '../src/trainer/models/dcgan';
import { getPreset, ImageShape, imageShapeFor, Preset } from '../src/trainer/presets';
import { seededRandom } from '../src/trainer/random';
import { Prober } from '../src/trainer/probes/prober';
import { ProbeSource } from '../src/trainer/probes/snapshot';
import { DEFAULT_LOSS, makeOptimizers, trainStep } from '../src/trainer/train';
import { CHECK_EVERY, Doctor, MEASURE_EVERY, NEAREST_EVERY, REFERENCE_IMAGES, TEST_IMAGES } from '../src/trainer/doctor/doctor';
import { measure } from '../src/trainer/doctor/measure';
import { KernelTimer } from './kernelTimer';

const PYTHON = '/usr/bin/python3'; // Debian's python3-torch lives here; another python3 may come first on PATH
const PEER_PACKAGES = ['python3-torch', 'libopenblas0-pthread'];
/** The image the mnist presets train on. */
const MNIST_IMAGE = { side: 28, channels: 1 };

interface Options {
  steps: number;
  warmup: number;
  preset: string;
  backends?: BackendChoice[];
  peer: boolean;
  profile: boolean;
  probes: boolean;
}

/** One backend's result, measured in its own process (a process initialises one backend, once). */
interface BackendResult {
  backend: string;
  device: string;
  threads: number;
  ms_per_step: number;
  tensors_leaked_per_step: number;
  rss_mb: number;
  /** Median time of one probe snapshot, and what snapshots every DEFAULT_PROBE_EVERY steps add to training time (%). */
  ms_per_snapshot?: number;
  probe_overhead_pct?: number;
  /** Median times of the doctor's measurement, its nearest-neighbour search and a step's bookkeeping and checks; what it adds (%). */
  ms_per_measurement?: number;
  ms_per_nearest?: number;
  ms_per_check?: number;
  doctor_overhead_pct?: number;
  kernels?: { kernel: string; calls: number; selfMs: number }[];
  error?: string;
}

function parseArgs(argv: string[]): Options & { child?: BackendChoice } {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, fallback: number) => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
    return n;
  };
  return {
    steps: Math.max(1, int('--steps', 20)),
    warmup: int('--warmup', 3),
    preset: value('--preset') ?? 'mnist-dcgan',
    backends: value('--backends')?.split(',') as BackendChoice[] | undefined,
    peer: !argv.includes('--no-peer'),
    profile: !argv.includes('--no-profile'),
    probes: !argv.includes('--no-probes'),
    child: value('--child') as BackendChoice | undefined,
  };
}

/** In a child process: trains the preset on one backend and prints its BackendResult as JSON. */
async function runChild(choice: BackendChoice, o: Options): Promise<BackendResult> {
  const info = await initBackend(choice);
  const preset = getPreset(o.preset);
  const random = seededRandom(1);
  const gan = buildGan(preset, imageShapeFor(preset, MNIST_IMAGE.side, MNIST_IMAGE.channels), random);
  const opt = makeOptimizers(gan);
  const image = imageShapeFor(preset, MNIST_IMAGE.side, MNIST_IMAGE.channels);
  // Random images in [-1, 1]: the step's cost does not depend on the pixels, and MNIST loading is not timed here.
  const real = tf.randomUniform([preset.batchSize, image.size, image.size, image.channels], -1, 1, 'float32', 1) as tf.Tensor4D;
  const noise = () => tf.randomNormal([preset.batchSize, preset.latentDim], 0, 1, 'float32', Math.floor(random() * 2 ** 31)) as tf.Tensor2D;
  const step = async () => {
    const z = noise();
    try {
      await trainStep(gan, opt, real, z);
    } finally {
      z.dispose();
    }
  };
  for (let i = 0; i < o.warmup; i++) await step();
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < o.steps; i++) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  const ms = median(times);
  const leaked = (tf.memory().numTensors - tensorsBefore) / o.steps;
  const result: BackendResult = {
    backend: info.backend, device: info.device, threads: info.threads, ms_per_step: ms,
    tensors_leaked_per_step: leaked, rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  if (o.probes) {
    // Snapshots run between steps, so with one every N steps training takes (N·step + snapshot)/(N·step) as long.
    const prober = new Prober(await probeSource(preset, image, gan, real, random));
    await prober.snapshot(); // warm-up: first calls compile kernels
    const snapshotTimes: number[] = [];
    for (let i = 0; i < Math.min(o.steps, 5); i++) {
      const start = performance.now();
      await prober.snapshot();
      snapshotTimes.push(performance.now() - start);
    }
    prober.dispose();
    result.ms_per_snapshot = median(snapshotTimes);
    result.probe_overhead_pct = (100 * result.ms_per_snapshot) / (DEFAULT_PROBE_EVERY * ms);
  }
  if (o.probes) Object.assign(result, await doctorCost(preset, await probeSource(preset, image, gan, real, random), opt, ms));
  if (o.profile && info.backend === 'wasm') {
    // Timed apart from the steps above: wrapping every kernel costs a little.
    const timer = new KernelTimer('wasm');
    timer.enabled = true;
    const steps = Math.min(o.steps, 5);
    for (let i = 0; i < steps; i++) await step();
    result.kernels = timer.report().map((k) => ({ kernel: k.kernel, calls: k.calls / steps, selfMs: k.selfMs / steps }));
    timer.dispose();
  }
  return result;
}

/** What a snapshot reads of a run, over the benchmark's random images (a snapshot's cost does not depend on pixels). */
async function probeSource(preset: Preset, image: ImageShape, gan: Gan, real: tf.Tensor4D, random: () => number): Promise<ProbeSource> {
  const pixels = (await real.data()) as Float32Array; // not dataSync: WebGPU in Node reads back asynchronously only
  const size = image.size * image.size * image.channels;
  return {
    step: 0, preset, gan, image, config: { seed: 1 }, lossOptions: DEFAULT_LOSS,
    noise: tf.randomNormal([64, preset.latentDim], 0, 1, 'float32', Math.floor(random() * 2 ** 31)) as tf.Tensor2D,
    images: { count: preset.batchSize, batchSize: preset.batchSize, image: (i) => pixels.slice(i * size, (i + 1) * size) },
    preservingRandom: (probe) => probe(),
  };
}

/**
 * The doctor's cost next to the step's: its measurement every MEASURE_EVERY steps, the nearest-neighbour search every
 * NEAREST_EVERY, and every step's bookkeeping plus the detectors' checks every CHECK_EVERY (timed as if every step).
 */
async function doctorCost(preset: Preset, source: ProbeSource, opt: ReturnType<typeof makeOptimizers>, msPerStep: number): Promise<Partial<BackendResult>> {
  const pixels = source.image.size ** 2 * source.image.channels;
  const nearest = { reference: new Float32Array(REFERENCE_IMAGES * pixels).map(() => Math.random() * 2 - 1), test: new Float32Array(TEST_IMAGES * pixels), pixels };
  const timed = async (f: () => Promise<unknown>) => {
    await f(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await f();
      times.push(performance.now() - start);
    }
    return median(times);
  };
  const measurement = await timed(() => measure(source));
  const withNearest = await timed(() => measure(source, nearest));
  const doctorSource = { ...source, preset, config: { seed: 1, dataset: 'none' }, optimizerState: opt, lastGradSquares: { d: [], g: [] } };
  const doctor = new Doctor(doctorSource, () => undefined);
  const metrics = { step: 1, time: 0, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 0 };
  let step = 0;
  // Steps that are neither measured nor checked, then checks, on a history filled like a long run's.
  for (; step < 700; step++) await doctor.afterStep({ ...metrics, step: step * MEASURE_EVERY + 1 });
  const bookkeeping = await timed(() => doctor.afterStep({ ...metrics, step: ++step * MEASURE_EVERY + CHECK_EVERY }));
  const nearestOnly = withNearest - measurement;
  return {
    ms_per_measurement: measurement, ms_per_nearest: nearestOnly, ms_per_check: bookkeeping,
    doctor_overhead_pct: (100 * (measurement / MEASURE_EVERY + nearestOnly / NEAREST_EVERY + bookkeeping)) / msPerStep,
  };
}

/** Runs this script again as a child for one backend; its last stdout line is the result. */
function measureBackend(choice: BackendChoice, o: Options): Promise<BackendResult> {
  const args = [...process.execArgv, __filename, '--child', choice, '--steps', String(o.steps), '--warmup', String(o.warmup), '--preset', o.preset];
  if (!o.profile) args.push('--no-profile');
  if (!o.probes) args.push('--no-probes');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GANSCOPE_BACKEND: choice } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as BackendResult);
      } catch {
        const reason = `${err}\n${out}`.split('\n').find((l) => /Error|error:/.test(l)) ?? `exit code ${code}`;
        resolve({ backend: choice, device: '', threads: 0, ms_per_step: NaN, tensors_leaked_per_step: NaN, rss_mb: NaN, error: reason.trim().slice(0, 300) });
      }
    });
  });
}

/** The ladder's rungs, fastest first; cpu (pure JavaScript, ~1000× slower than wasm here) only when asked for. */
const DEFAULT_BACKENDS: BackendChoice[] = ['tensorflow', 'webgpu', 'wasm'];

interface PeerResult {
  peer: string;
  ms_per_step: number;
  threads: number;
  /** With the profile: each op's calls and self time in one step, slowest first. */
  ops?: { op: string; calls: number; selfMs: number }[];
}

/** Makes sure Debian's PyTorch and a threaded OpenBLAS are installed (as root: with apt); returns why not, if not. */
function ensurePeer(): string | undefined {
  const missing = PEER_PACKAGES.filter((p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
  if (missing.length === 0) return undefined;
  if (process.getuid?.() !== 0) {
    return `the PyTorch peer needs ${missing.join(' ')}: run "sudo apt-get install -y ${missing.join(' ')}" and bench again`;
  }
  console.error(`Installing the PyTorch peer: apt-get install ${missing.join(' ')} …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const attempt of [1, 2, 3]) {
    // Another apt may hold the lock for a moment: retry.
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env }) : update;
    if (install.status === 0) return undefined;
    if (attempt < 3) spawnSync('sleep', ['10']);
  }
  return `apt-get install ${missing.join(' ')} failed; install them and bench again`;
}

function measurePeer(o: Options): PeerResult | string {
  const why = ensurePeer();
  if (why) return why;
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const args = ['--steps', String(o.steps), '--warmup', String(o.warmup), '--threads', String(cores), ...(o.profile ? ['--profile'] : [])];
  const run = spawnSync(PYTHON, [path.join(__dirname, 'pytorchPeer.py'), ...args], {
    encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
  });
  const last = run.stdout?.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as PeerResult;
  } catch {
    return `the PyTorch peer failed: ${(run.stderr ?? '').trim().split('\n').pop() ?? `exit ${run.status}`}`;
  }
}

const fixed = (v: number, digits = 0) => (Number.isFinite(v) ? v.toFixed(digits) : '—');

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (o.child) {
    const result = await runChild(o.child, o);
    console.log(JSON.stringify(result));
    // The wasm worker threads would keep the process alive.
    process.exit(0);
  }
  if (o.preset !== 'mnist-dcgan' && o.peer) {
    console.error(`The PyTorch peer models mnist-dcgan only; no peer for ${o.preset}.`);
    o.peer = false;
  }
  console.log(`Benchmark: ${o.preset}, batch ${getPreset(o.preset).batchSize}, ${o.steps} steps after ${o.warmup} warm-up, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`);
  const results: BackendResult[] = [];
  for (const choice of o.backends ?? DEFAULT_BACKENDS) results.push(await measureBackend(choice, o));
  const peer = o.peer ? measurePeer(o) : 'skipped (--no-peer)';

  console.log('');
  console.log(`${'backend'.padEnd(12)}${'device'.padEnd(30)}${'threads'.padStart(8)}${'ms/step'.padStart(10)}${'leaked/step'.padStart(13)}${'rss MB'.padStart(8)}`);
  for (const r of results) {
    if (r.error) console.log(`${r.backend.padEnd(12)}unavailable: ${r.error}`);
    else console.log(`${r.backend.padEnd(12)}${r.device.slice(0, 29).padEnd(30)}${String(r.threads).padStart(8)}${fixed(r.ms_per_step).padStart(10)}${fixed(r.tensors_leaked_per_step, 1).padStart(13)}${String(r.rss_mb).padStart(8)}`);
  }
  if (typeof peer === 'string') console.log(`${'peer'.padEnd(12)}${peer}`);
  else console.log(`${'peer'.padEnd(12)}${peer.peer.padEnd(30)}${String(peer.threads).padStart(8)}${fixed(peer.ms_per_step).padStart(10)}`);

  for (const r of results.filter((r) => r.probe_overhead_pct !== undefined)) {
    if (r.doctor_overhead_pct !== undefined) {
      console.log(`\n${r.backend}: the doctor's measurement takes ${fixed(r.ms_per_measurement!)} ms every ${MEASURE_EVERY} steps, its nearest-neighbour search ${fixed(r.ms_per_nearest!)} ms every ${NEAREST_EVERY}, its checks ${fixed(r.ms_per_check!, 1)} ms: with the doctor, training takes ${fixed(r.doctor_overhead_pct!, 2)} % longer than without`);
    }
    console.log(`\n${r.backend}: a probe snapshot takes ${fixed(r.ms_per_snapshot!)} ms; one every ${DEFAULT_PROBE_EVERY} steps adds ${fixed(r.probe_overhead_pct!, 2)} % to training time`);
  }

  const wasm = results.find((r) => r.kernels);
  if (wasm?.kernels) printProfile('wasm: time per kernel in one step (self time, nested kernels apart', wasm.kernels.map((k) => ({ name: k.kernel, ...k })));
  if (typeof peer !== 'string' && peer.ops) printProfile('pytorch: time per op in one step (torch.profiler, self time', peer.ops.map((k) => ({ name: k.op, ...k })));

  // The default backend: the first the ladder would pick.
  const best = results.find((r) => !r.error);
  const peerMs = typeof peer === 'string' ? null : peer.ms_per_step;
  console.log(JSON.stringify({
    preset: o.preset,
    batch: getPreset(o.preset).batchSize,
    backend: best?.backend ?? null,
    ms_per_step: best ? round(best.ms_per_step) : null,
    peer: typeof peer === 'string' ? null : peer.peer,
    peer_ms_per_step: peerMs === null ? null : round(peerMs),
    ratio: best && peerMs !== null ? round(peerMs / best.ms_per_step, 3) : null,
    tensors_leaked_per_step: best?.tensors_leaked_per_step ?? null,
    probe_every: DEFAULT_PROBE_EVERY,
    probe_overhead_pct: best?.probe_overhead_pct === undefined ? null : round(best.probe_overhead_pct, 2),
    doctor_overhead_pct: best?.doctor_overhead_pct === undefined ? null : round(best.doctor_overhead_pct, 2),
    rss_mb: best?.rss_mb ?? null,
  }));
}

function printProfile(title: string, rows: { name: string; calls: number; selfMs: number }[]): void {
  console.log(`\n${title}; ${fixed(rows.reduce((s, k) => s + k.selfMs, 0))} ms in all)`);
  for (const k of rows.filter((k) => k.selfMs >= 0.5)) console.log(`  ${k.name.padEnd(32)}${fixed(k.calls, 0).padStart(6)} calls${fixed(k.selfMs, 1).padStart(9)} ms`);
}

/** The median: on a shared machine, robust to the steps another process slowed down (the peer reports the same). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
