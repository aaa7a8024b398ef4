import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINTS_DIR, RUN_FILE, runRecordProblem, SAMPLES_DIR } from '../../../src/protocol/runDir';
import { listCheckpoints } from '../../../src/trainer/runDir/checkpoint';
import { MNIST_DIR, REPO, tempDir, WASM_DIR } from './helpers';
import { readMetrics } from './runFolders';

const CLI = path.join(REPO, 'src/trainer/cli.ts');
const env = { ...process.env, GANSCOPE_DATA_DIR: MNIST_DIR, GANSCOPE_WASM_DIR: WASM_DIR };

/** Runs ganscope-train from sources to completion. */
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function steps(runDir: string): number[] {
  const parsed = readMetrics(runDir);
  assert.equal(parsed.invalid, 0);
  return parsed.steps.map((r) => r.step);
}

describe('ganscope-train (the CLI)', function () {
  this.timeout(180_000);

  it('prints its usage with --help and exits 0', () => {
    const r = cli('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage:\n {2}ganscope-train \[options\][\s\S]*--preset <name> +mnist-dcgan, mnist-tiny, talk-dcgan-64/);
  });

  for (const [args, message] of [
    [['--nope'], /Unknown option '--nope'/],
    [['--steps', 'ten'], /--steps must be a non-negative integer, not "ten"/],
    [['--backend', 'tpu'], /--backend must be one of auto, tensorflow, webgpu, wasm, cpu, not "tpu"/],
    [['--preset', 'huge'], /--preset must be one of mnist-dcgan, mnist-tiny, .*, not "huge"/],
    [['--dataset', 'svhn:/x'], /Dataset "svhn:\/x": unknown kind "svhn"/],
    [['--resume', '/r', '--preset', 'mnist-tiny'], /--resume continues a run with its own settings and folder: drop --preset/],
    [['--resume', '/r', '--branch-from', '/p'], /--resume continues a run, --branch-from starts a new one from it: give one/],
    [['--label-smoothing', '1.5'], /--label-smoothing must be a number from 0 up to \(not including\) 1, not 1\.5/],
    [['download', 'imagenet'], /download needs a dataset: fashion-mnist or cifar10/],
  ] as [string[], RegExp][]) {
    it(`rejects ${args.join(' ')} with a usage error and exit code 2`, () => {
      const r = cli(...args);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Usage:/);
    });
  }

  it('writes a complete run directory for --preset mnist-tiny --steps 30 --out DIR', () => {
    const out = tempDir('cli');
    const r = cli('--preset', 'mnist-tiny', '--steps', '30', '--out', out, '--backend', 'wasm', '--progress-every', '10');
    assert.equal(r.code, 0, r.stderr);
    const runDir = r.stdout.trim();
    assert.equal(path.dirname(runDir), out);
    assert.equal(runRecordProblem(JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILE), 'utf8')), 'run.json'), undefined);
    assert.deepEqual(steps(runDir), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.deepEqual(fs.readdirSync(path.join(runDir, SAMPLES_DIR)).sort(), ['step-000000.png', 'step-000020.png', 'step-000030.png']);
    assert.deepEqual(listCheckpoints(path.join(runDir, CHECKPOINTS_DIR)).map((d) => path.basename(d)), ['step-000030']);
    // Not a terminal: one progress line every 10 steps, with losses, images/s and ETA.
    const progress = r.stderr.split('\n').filter((l) => / step \d+\/30 /.test(l));
    assert.equal(progress.length, 3);
    assert.match(progress[0], /step 10\/30 {2}D \d+\.\d{3} {2}G \d+\.\d{3} {2}D\(x\) 0\.\d\d {2}D\(G\(z\)\) 0\.\d\d {2}\d+ img\/s ETA \d+s/);
  });

  it('takes one Ctrl-C delivered twice at once (by the terminal and by npm or timeout) as one: it still writes its checkpoint', async () => {
    const out = tempDir('cli-sigint');
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--preset', 'mnist-tiny', '--steps', '100000', '--checkpoint-every', '0', '--out', out, '--backend', 'wasm'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const runDir = () => (fs.existsSync(out) && fs.readdirSync(out).length ? path.join(out, fs.readdirSync(out)[0]) : '');
    while (!runDir() || !fs.existsSync(path.join(runDir(), 'metrics.jsonl')) || steps(runDir()).length < 5) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    assert.equal(await exited, 0, 'a second signal 100 ms after the first is the same Ctrl-C, not a second press');
    const last = steps(runDir()).at(-1)!;
    assert.deepEqual(listCheckpoints(path.join(runDir(), CHECKPOINTS_DIR)).map((d) => path.basename(d)), [`step-${String(last).padStart(6, '0')}`]);
  });

  it('continues a run killed mid-training from its last checkpoint with --resume', async () => {
    const out = tempDir('cli-kill');
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--preset', 'mnist-tiny', '--steps', '1000', '--checkpoint-every', '10', '--out', out, '--backend', 'wasm'], { env, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const checkpoints = () => {
      const runs = fs.existsSync(out) ? fs.readdirSync(out) : [];
      return runs.length ? listCheckpoints(path.join(out, runs[0], CHECKPOINTS_DIR)) : [];
    };
    while (checkpoints().length < 2) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await exited;
    const runDir = path.join(out, fs.readdirSync(out)[0]);
    const last = Number(path.basename(checkpoints().at(-1)!).slice('step-'.length));
    const trained = steps(runDir).at(-1)!;
    assert.ok(trained >= last, `killed at step ${trained}, after the checkpoint at ${last}`);

    const r = cli('--resume', runDir, '--steps', String(last + 15), '--backend', 'wasm');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`Resumed .* from its checkpoint at step ${last}`));
    assert.equal(r.stdout.trim(), runDir, 'the same run directory');
    assert.deepEqual(steps(runDir), Array.from({ length: last + 15 }, (_, i) => i + 1), 'steps continue with no gap, duplicate or broken line');
    assert.deepEqual(fs.readdirSync(out), [path.basename(runDir)], 'no new run');
  });
});
