// GANscope activates in a real extension host and contributes its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ganscope } from './helpers';

const commands = [
  'ganscope.startTraining',
  'ganscope.pauseTraining',
  'ganscope.resumeTraining',
  'ganscope.stopTraining',
  'ganscope.showLog',
];

describe('Activation', () => {
  it('returns the test API from activate()', async () => {
    const api = await ganscope();
    assert.equal(typeof api.state, 'function');
    assert.equal(typeof api.trainerPid, 'function');
    assert.equal(typeof api.onDidChangeState, 'function');
  });

  it('starts idle with no trainer process', async () => {
    const api = await ganscope();
    assert.equal(api.state().status, 'idle');
    assert.equal(api.trainerPid(), undefined);
  });

  it('registers every GANscope command', async () => {
    await ganscope();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(commands.filter((c) => !registered.has(c)), [], 'commands missing from the registry');
  });
});
