// Training mnist-tiny through the commands: running, samples, pause, resume, stop.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ganscope, isAlive, sleep, waitForState, waitUntil } from './helpers';

describe('Training mnist-tiny from the commands', () => {
  after(async () => {
    // Leave no trainer behind for the next suite, even when a test failed half-way.
    const api = await ganscope();
    if (api.trainerPid() !== undefined) await vscode.commands.executeCommand('ganscope.stopTraining');
  });

  it('reaches running with the step rising', async () => {
    const api = await ganscope();
    await vscode.commands.executeCommand('ganscope.startTraining');
    const first = await waitForState(api, 'status running with step > 0', (s) => s.status === 'running' && s.step > 0);
    assert.equal(first.preset, 'mnist-tiny', 'the preset from the user settings is used');
    await waitForState(api, `step to rise past ${first.step}`, (s) => s.step > first.step);
    const pid = api.trainerPid();
    assert.ok(pid !== undefined && isAlive(pid), 'a live trainer process');
  });

  it('reports losses and D outputs as numbers', async () => {
    const api = await ganscope();
    const state = await waitForState(api, 'losses', (s) => s.dLoss !== null && s.gLoss !== null);
    for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) {
      assert.ok(Number.isFinite(state[key]), `${key} is a finite number, got ${state[key]}`);
    }
    assert.ok(state.dReal! >= 0 && state.dReal! <= 1 && state.dFake! >= 0 && state.dFake! <= 1, 'D(x) and D(G(z)) are probabilities');
  });

  it('publishes a sample grid as a PNG data URI', async () => {
    const api = await ganscope();
    const state = await waitForState(api, 'a sample grid', (s) => !!s.samples);
    assert.match(state.samples!.uri, /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    const png = Buffer.from(state.samples!.uri.split(',')[1], 'base64');
    assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')], 'the data decodes to a PNG');
  });

  it('freezes the step while paused', async () => {
    const api = await ganscope();
    await vscode.commands.executeCommand('ganscope.pauseTraining');
    await waitForState(api, 'status paused', (s) => s.status === 'paused', 15_000);
    // A step already in flight when the pause arrived may still land.
    await sleep(500);
    const paused = api.state().step;
    await sleep(3_000);
    assert.equal(api.state().step, paused);
    assert.equal(api.state().status, 'paused');
  });

  it('continues from the paused step on resume', async () => {
    const api = await ganscope();
    const paused = api.state().step;
    await vscode.commands.executeCommand('ganscope.resumeTraining');
    await waitForState(api, `running past step ${paused}`, (s) => s.status === 'running' && s.step > paused, 30_000);
  });

  it('kills the trainer process on stop', async () => {
    const api = await ganscope();
    const pid = api.trainerPid();
    assert.ok(pid !== undefined && isAlive(pid), 'a live trainer process before stop');
    await vscode.commands.executeCommand('ganscope.stopTraining');
    await waitForState(api, 'status stopped', (s) => s.status === 'stopped', 15_000);
    await waitUntil(`trainer pid ${pid} to exit`, () => !isAlive(pid));
    assert.throws(() => process.kill(pid, 0));
    assert.equal(api.trainerPid(), undefined);
  });
});
