// A table of bad inputs, each refused with an error that names its cause: data files, settings and flags, GAN files,
// run.json and checkpoints, IPC and webview messages, links and locks. None may crash (a TypeError or RangeError).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { validateFromPanel } from '../../../src/protocol/panels';
import { RUN_FILE } from '../../../src/protocol/runDir';
import { parseOption, RUN_OPTIONS } from '../../../src/protocol/runOptions';
import { validateTrainerRequest } from '../../../src/protocol/trainer';
import { readRunSync } from '../../../src/runFolder/reader';
import { parseCommand } from '../../../src/trainer/cli';
import { parseCifarBatch } from '../../../src/trainer/data/cifar10';
import { loadDataset } from '../../../src/trainer/data/dataset';
import { loadIdxImages, parseIdxImages } from '../../../src/trainer/data/mnist';
import { loadGanFile } from '../../../src/trainer/presets';
import { readCheckpoint } from '../../../src/trainer/runDir/checkpoint';
import { RunWriter } from '../../../src/trainer/runDir/writer';
import { REPO, tempDir } from './helpers';
import { createRun } from './runFolders';

const BAD_GAN = path.join(REPO, 'test/fixtures/gan/bad');

/** IDX images: magic 2051, then count, rows and cols, big-endian, then the pixels. */
function idx(count: number, rows: number, cols: number, pixels = count * rows * cols): Buffer {
  const header = Buffer.alloc(16);
  [2051, count, rows, cols].forEach((n, i) => header.writeUInt32BE(n, 4 * i));
  return Buffer.concat([header, Buffer.alloc(pixels)]);
}

function fileWith(name: string, content: string | Uint8Array): string {
  const file = path.join(tempDir('bad'), name);
  fs.writeFileSync(file, content);
  return file;
}

/** A run folder whose run.json holds `text`. */
function runJson(text: string): string {
  return path.dirname(fileWith(RUN_FILE, text));
}

/** A checkpoint folder with this manifest and `bytes` of weights. */
function checkpoint(manifest: object, bytes = 0): string {
  const dir = tempDir('checkpoint');
  fs.writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify(manifest));
  fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(bytes));
  return dir;
}

const manifest = (extra: object) => ({
  format: 'ganscope-checkpoint', version: 1, step: 1, createdAt: 'now', bytes: 8,
  state: { random: 1, samplerRandom: 1, samplerCursor: 0, adamStepD: 1, adamStepG: 1 },
  weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [2], dtype: 'float32' }] }], ...extra,
});

const setting = (key: keyof typeof RUN_OPTIONS, value: unknown) => () => parseOption(RUN_OPTIONS[key] as never, value, `ganscope.${RUN_OPTIONS[key].setting ?? key}`);
const request = (message: unknown) => () => validateTrainerRequest(message);
const fromPanel = (message: unknown) => () => validateFromPanel(message);
const startConfig = { preset: 'mnist-tiny', dataset: 'mnist', steps: 1, seed: 1, runsDir: 'runs', sampleEvery: 1 };

/** [what is wrong, how it is given, what the error must say] */
const ROWS: [string, () => unknown, RegExp][] = [
  // data files
  ['an IDX file with another magic number', () => parseIdxImages(Buffer.alloc(16), 'x.idx'), /x\.idx: magic number at byte 0 is 0, expected 2051; not an IDX/],
  ['an IDX file cut inside its header', () => parseIdxImages(idx(1, 28, 28).subarray(0, 3), 'x.idx'), /x\.idx: 3 bytes is shorter than the 16-byte IDX header/],
  ['an IDX file cut inside its pixels', () => parseIdxImages(idx(2, 28, 28, 100), 'x.idx'), /x\.idx: truncated at byte 116; its header promises/],
  ['IDX images of 0×0 pixels', () => parseIdxImages(idx(1, 0, 0), 'x.idx'), /image size 0×0 at byte 8 is empty/],
  ['an IDX file with bytes after its images', () => parseIdxImages(idx(1, 2, 2, 10), 'x.idx'), /6 unexpected bytes after byte 20/],
  ['a .gz IDX file that is not gzip', () => loadIdxImages(fileWith('x-images-idx3-ubyte.gz', 'not gzip')), /x-images-idx3-ubyte\.gz: not a valid gzip file/],
  ['a gzip IDX file holding text', () => loadIdxImages(fileWith('t.idx.gz', gzipSync('hello world, not images'))), /magic number at byte 0 is \d+, expected 2051/],
  ['an empty CIFAR-10 batch', () => parseCifarBatch(new Uint8Array(0), 'data_batch_1.bin'), /data_batch_1\.bin: empty; a CIFAR-10 batch holds records of 3073 bytes/],
  ['a CIFAR-10 record labelled 42', () => parseCifarBatch(new Uint8Array(3073).fill(42, 0, 1), 'b.bin'), /label 42 at byte 0 \(record 0\) is not a CIFAR-10 class 0–9/],
  ['an image folder that is a file', () => loadDataset(`folder:${fileWith('a.png', 'x')}`), /a\.png is a file; an image folder dataset needs a folder/],
  ['a dataset path with .. to no file', () => loadDataset(`idx:${tempDir('dots')}/a/../../missing.idx`), /Cannot read .*missing\.idx/],
  // settings and flags
  ['a dataset of an unknown kind', setting('dataset', 'imagenet:/data'), /Dataset "imagenet:\/data": unknown kind "imagenet"\. Use one of/],
  ['a negative step count', setting('steps', -1), /ganscope\.trainer\.steps must be a non-negative integer, not -1/],
  ['NaN steps', setting('steps', NaN), /ganscope\.trainer\.steps must be a non-negative integer, not NaN/],
  ['a seed past the largest exact integer', setting('seed', 1e300), /ganscope\.trainer\.seed must be a non-negative integer, not 1e\+300/],
  ['an infinite sample interval', setting('sampleEvery', Infinity), /sampleEvery must be a non-negative integer, not Infinity/],
  ['label smoothing of 1', setting('labelSmoothing', 1), /labelSmoothing must be a number from 0 up to \(not including\) 1, not 1/],
  ['an unknown backend', setting('backend', 'cuda'), /trainer\.backend must be one of auto, tensorflow, webgpu, wasm, cpu, not "cuda"/],
  ['a preset with a shell command in it', setting('preset', 'mnist-tiny; rm -rf ~'), /must be one of mnist-dcgan.*, or a path to a \.gan\.json file, not "mnist-tiny; rm -rf ~"/],
  ['a runs folder that is a number', setting('runsFolder', 42), /ganscope\.runsFolder must be a string, not 42/],
  ['grow steps of 0', setting('growSteps', 0), /growSteps must be at least 1 and a whole number, not 0/],
  ['--steps=-5 on the command line', () => parseCommand(['--steps=-5']), /--steps must be a non-negative integer, not "-5"/],
  ['--steps -5, read as a flag', () => parseCommand(['--steps', '-5']), /Option '--steps' argument is ambiguous.*use '--steps=-XYZ'/s],
  ['--resume with a preset', () => parseCommand(['--resume', 'r', '--preset', 'mnist-tiny']), /--resume continues a run with its own settings and folder: drop --preset/],
  // GAN files
  ['a GAN file with NaN in it', () => loadGanFile(path.join(BAD_GAN, 'nan-rate.gan.json')), /nan-rate\.gan\.json: syntax error at line 1, column 47: .*NaN, Infinity and unquoted words are not JSON/],
  ['a GAN file with a huge latent', () => loadGanFile(path.join(BAD_GAN, 'huge-latent.gan.json')), /latentDim must be at least 1 and at most 4096, not 1000000/],
  ['a GAN file that extends itself in a cycle', () => loadGanFile(path.join(BAD_GAN, 'cycle-a.gan.json')), /extends makes a cycle: cycle-a\.gan\.json → cycle-b\.gan\.json → cycle-a\.gan\.json/],
  ['a GAN file with 847M parameters', () => loadGanFile(path.join(BAD_GAN, 'huge-parameters.gan.json')), /generator has 847,381,888 parameters; at most 200,000,000/],
  ['an empty GAN file', () => loadGanFile(path.join(BAD_GAN, 'empty.gan.json')), /empty\.gan\.json: syntax error at line 1, column 1: a value is missing/],
  // run.json and checkpoints
  ['a run.json that is not JSON', () => readRunSync(runJson('{"id": "r",')), /run\.json cannot be read \(.*\); is it a GANscope run folder\?/],
  ['a run folder with no run.json', () => readRunSync(tempDir('norun')), /run\.json cannot be read \(ENOENT.*\); is it a GANscope run folder\?/],
  ['a run.json nested 200,000 deep', () => readRunSync(runJson('['.repeat(200_000) + ']'.repeat(200_000))), /run\.json is not a valid run record \(run\.json must be an object\)/],
  ['a run.json with an infinite batch size', () => readRunSync(runJson('{"schema":1,"id":"r","batchSize":1e999}')), /run\.json is not a valid run record \(run\.json\.\w+ must be/],
  ['a run.json that sets __proto__', () => readRunSync(runJson('{"__proto__":{"schema":1}}')), /run\.json is not a valid run record \(run\.json\.schema must be a non-negative integer\)/],
  ['a checkpoint with a negative tensor shape', () => readCheckpoint(checkpoint(manifest({ weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [-2], dtype: 'float32' }] }] }), 8)), /checkpoint\.json: checkpoint\.weightsManifest\[0\]\.weights\[0\]\.shape\[0\] must be a non-negative integer/],
  ['a checkpoint whose tensor runs past its weights', () => readCheckpoint(checkpoint(manifest({ bytes: 8, weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'w', shape: [1e6, 1e6], dtype: 'float32' }] }] }), 8)), /weights\.bin: tensor "w" would end at byte 4000000000000, past the end \(8\)/],
  ['a checkpoint of another format', () => readCheckpoint(checkpoint(manifest({ format: 'pickle' }), 8)), /checkpoint\.format must be one of ganscope-checkpoint/],
  // trainer IPC messages
  ['an IPC message that is null', request(null), /unknown message type undefined/],
  ['an IPC message of an unknown type', request({ type: 'eval', code: 'process.exit()' }), /unknown message type "eval"/],
  ['a start without a config', request({ type: 'start' }), /start\.config must be an object/],
  ['a start with NaN steps', request({ type: 'start', config: { ...startConfig, steps: NaN } }), /start\.config\.steps must be a non-negative integer/],
  ['a probe with a negative id', request({ type: 'probe', id: -1, query: {} }), /probe\.id must be a non-negative integer/],
  ['an inspect of a number', request({ type: 'inspect', runDir: 5 }), /inspect\.runDir must be a string/],
  // webview messages
  ['an export of an executable', fromPanel({ type: 'export', format: 'exe', suggestedName: 'x', data: new Uint8Array(1) }), /export\.format must be one of png, gif/],
  ['an export whose bytes are a string', fromPanel({ type: 'export', format: 'png', suggestedName: 'x', data: 'AAAA' }), /export\.data must be a Uint8Array/],
  ['a sample at step Infinity', fromPanel({ type: 'sample', step: Infinity }), /sample\.step must be a non-negative integer/],
  ['a layer to open that is an object', fromPanel({ type: 'openLayer', layer: { toString: 1 } }), /openLayer\.layer must be a string/],
  // links and locks
  ['a run whose metrics.jsonl is a link', () => {
    const w = createRun('linked');
    w.close();
    fs.renameSync(path.join(w.dir, 'metrics.jsonl'), path.join(w.dir, 'real.jsonl'));
    fs.symlinkSync(path.join(w.dir, 'real.jsonl'), path.join(w.dir, 'metrics.jsonl'));
    return RunWriter.resume(w.dir, 0);
  }, /metrics\.jsonl is a symbolic link: .*Replace the link/],
  ['a second writer of a run', () => {
    const w = createRun('held');
    try {
      return RunWriter.resume(w.dir, 0);
    } finally {
      w.close();
    }
  }, /is being trained by another trainer: pid \d+ on .* \(since .*\)\. Stop that trainer first/],
];

/** The error `run` gives: thrown, or returned as a validator's `{ ok: false, error }`. */
function errorOf(run: () => unknown): Error | undefined {
  try {
    const result = run() as { ok?: boolean; error?: string } | undefined;
    return result?.ok === false ? new Error(result.error) : undefined;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

describe('bad inputs: each refused with an error naming its cause', () => {
  it(`has at least 30 rows (${ROWS.length})`, () => assert.ok(ROWS.length >= 30));

  for (const [what, run, says] of ROWS) {
    it(what, () => {
      const error = errorOf(run);
      assert.ok(error, 'accepted');
      assert.ok(!(error instanceof TypeError || error instanceof RangeError), `crashed: ${error.stack}`);
      assert.match(error.message, says);
    });
  }
});
