import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GRAPH_FILE, modelGraphProblem, PROBES_FILE, probeSnapshotProblem } from '../../../../src/protocol/probes';
import { readGraph } from '../../../../src/runFolder/reader';
import { REPO, tempDir } from '../helpers';
import { TrainerProcess as Trainer, TRAINER_ENV as env } from '../trainerProcess';

describe('trainer/main: probes over IPC', function () {
  this.timeout(120_000);
  let trainer: Trainer;
  afterEach(() => trainer?.kill());

  it('says it wrote the graph at the start and a snapshot every probeEvery steps, and answers probes while running and paused', async () => {
    trainer = new Trainer();
    await trainer.next('ready');
    const runsDir = tempDir('ipc-probes');
    trainer.send({ type: 'start', config: { preset: 'mnist-tiny', dataset: 'mnist', steps: 0, seed: 1, runsDir, sampleEvery: 0, probeEvery: 2 } });
    await trainer.wrote('graph');
    const graph = await readGraph((await trainer.next('started')).runDir);
    assert.equal(graph.generator.layers[0].name, 'G.dense1');
    await trainer.wrote('step');
    trainer.send({ type: 'probe', id: 7, query: { kind: 'generatorActivations', z: { kind: 'cell', index: 0 } } });
    const running = await trainer.reply(7);
    assert.equal(running.type, 'probeResult', JSON.stringify(running));
    assert.equal(running.type === 'probeResult' && running.result.kind, 'activations');
    const snapshot = await trainer.wrote('probe');
    assert.equal(snapshot.step, 2);

    trainer.send({ type: 'pause' });
    await trainer.next('paused');
    trainer.send({ type: 'probe', id: 8, query: { kind: 'snapshot' } });
    const whilePaused = await trainer.reply(8);
    const lastStep = () => Math.max(...trainer.written('step'));
    assert.ok(whilePaused.type === 'probeResult' && whilePaused.result.kind === 'snapshot');
    assert.equal(whilePaused.result.snapshot.step, lastStep(), 'a probe answered while paused sees the last step');
    trainer.send({ type: 'probe', id: 9, query: { kind: 'filters', layer: 'G.nope' } });
    const error = await trainer.reply(9);
    assert.ok(error.type === 'probeError' && /No layer named "G.nope"/.test(error.message));
    assert.equal(lastStep(), whilePaused.result.snapshot.step, 'answering probes does not resume training');
    trainer.send({ type: 'stop' });
    const stopped = await trainer.next('stopped');
    assert.equal(await trainer.exited, 0);

    const runDir = (await trainer.next('started')).runDir;
    assert.equal(modelGraphProblem(JSON.parse(fs.readFileSync(path.join(runDir, GRAPH_FILE), 'utf8')), 'graph.json'), undefined);
    const lines = fs.readFileSync(path.join(runDir, PROBES_FILE), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.step), Array.from({ length: Math.floor(stopped.step / 2) }, (_, i) => 2 * (i + 1)));
  });

  it('inspects a past run at its latest checkpoint and answers probes on it, writing nothing', async () => {
    const out = tempDir('ipc-inspect');
    const trained = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/trainer/cli.ts'), '--preset', 'mnist-tiny', '--steps', '4', '--out', out, '--backend', 'wasm'], { env, encoding: 'utf8' });
    assert.equal(trained.status, 0, trained.stderr);
    const runDir = trained.stdout.trim();
    const files = () => fs.readdirSync(runDir, { recursive: true }).sort().map((f) => [f, fs.statSync(path.join(runDir, f as string)).mtimeMs]);
    const before = files();

    trainer = new Trainer();
    await trainer.next('ready');
    trainer.send({ type: 'inspect', runDir });
    const inspecting = await trainer.next('inspecting');
    assert.deepEqual([inspecting.runDir, inspecting.preset, inspecting.step], [runDir, 'mnist-tiny', 4]);
    trainer.send({ type: 'probe', id: 1, query: { kind: 'discriminatorActivations', image: 'real', index: 5 } });
    trainer.send({ type: 'probe', id: 2, query: { kind: 'latents' } });
    const [first, second] = [await trainer.reply(1), await trainer.reply(2)];
    assert.ok(first.type === 'probeResult' && first.result.kind === 'activations' && first.result.score! > 0);
    assert.ok(second.type === 'probeResult' && second.result.kind === 'latents');
    trainer.send({ type: 'stop' });
    assert.equal(await trainer.exited, 0);
    assert.deepEqual(files(), before, 'inspecting leaves the run folder untouched');
  });

  it('says why it cannot inspect a folder that is not a run', async () => {
    trainer = new Trainer();
    await trainer.next('ready');
    const empty = tempDir('not-a-run');
    trainer.send({ type: 'inspect', runDir: empty });
    const error = await trainer.next('error');
    assert.equal(error.fatal, false);
    assert.match(error.message, /Cannot inspect .*run\.json cannot be read/);
    trainer.send({ type: 'probe', id: 3, query: { kind: 'latents' } });
    const reply = await trainer.reply(3);
    assert.ok(reply.type === 'probeError' && /No run to probe yet/.test(reply.message));
  });
});

describe('ganscope-train: probes in the run folder', function () {
  this.timeout(120_000);

  it('writes graph.json and a probes.jsonl line every --probe-every steps', () => {
    const out = tempDir('cli-probes');
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/trainer/cli.ts'), '--preset', 'mnist-tiny', '--steps', '6', '--probe-every', '3', '--out', out, '--backend', 'wasm'], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const runDir = r.stdout.trim();
    const graph = JSON.parse(fs.readFileSync(path.join(runDir, GRAPH_FILE), 'utf8'));
    assert.equal(modelGraphProblem(graph, 'graph.json'), undefined);
    assert.deepEqual([graph.preset, graph.discriminator.inputShape], ['mnist-tiny', [28, 28, 1]]);
    const lines = fs.readFileSync(path.join(runDir, PROBES_FILE), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.step), [3, 6]);
    for (const l of lines) assert.equal(probeSnapshotProblem(l, 'line'), undefined);
  });
});
