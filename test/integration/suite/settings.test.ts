// A wrong setting is reported by name, and fixing it is enough to train again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ganscope, sleep, waitForState } from './helpers';

const config = () => vscode.workspace.getConfiguration('ganscope');

describe('An invalid setting', () => {
  afterEach(async () => {
    await config().update('trainer.preset', 'mnist-tiny', vscode.ConfigurationTarget.Global);
    const api = await ganscope();
    if (api.trainerPid() !== undefined) await vscode.commands.executeCommand('ganscope.stopTraining');
  });

  it('refuses an unknown preset with a message naming the setting', async () => {
    const api = await ganscope();
    await config().update('trainer.preset', 'nope', vscode.ConfigurationTarget.Global);
    assert.equal(config().get('trainer.preset'), 'nope');
    // Not awaited: the command waits on the error notification, which nobody dismisses here.
    void vscode.commands.executeCommand('ganscope.startTraining');
    const state = await waitForState(api, 'a message about the preset', (s) => !!s.message, 15_000);
    assert.match(state.message!, /ganscope\.trainer\.preset/);
    assert.match(state.message!, /"nope"/);
    await sleep(1_000);
    assert.notEqual(api.state().status, 'crashed');
    assert.equal(api.trainerPid(), undefined, 'no trainer was started');
  });

  it('trains again once the setting is fixed', async () => {
    const api = await ganscope();
    await config().update('trainer.preset', 'mnist-tiny', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ganscope.startTraining');
    await waitForState(api, 'status running', (s) => s.status === 'running' && s.message === undefined);
    await vscode.commands.executeCommand('ganscope.stopTraining');
    await waitForState(api, 'status stopped', (s) => s.status === 'stopped', 15_000);
  });
});
