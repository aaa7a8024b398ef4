// The inspection panels in a real extension host: their commands, a run opened by folder, and a host that stays responsive.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ganscope, sleep, waitForState, waitUntil } from './helpers';

const panelCommands = ['ganscope.openGraph', 'ganscope.openActivations', 'ganscope.openBatchNorm', 'ganscope.openGallery', 'ganscope.openMetrics', 'ganscope.openRun', 'ganscope.showDashboard'];

/** Editor tabs that show a GANscope panel of this kind. */
function panelTabs(kind: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(`ganscope.${kind}`));
}

describe('Inspection panels', () => {
  after(async () => {
    const api = await ganscope();
    if (api.trainerPid() !== undefined) await vscode.commands.executeCommand('ganscope.stopTraining');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers a command for every panel', async () => {
    await ganscope();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(panelCommands.filter((c) => !registered.has(c)), []);
  });

  it('keeps the extension host responsive while training with panels open (event-loop delay p99 under 200 ms)', async () => {
    const api = await ganscope();
    await vscode.commands.executeCommand('ganscope.startTraining', 'mnist-tiny');
    await waitForState(api, 'step 5 or more', (s) => s.status === 'running' && s.step >= 5);
    await vscode.commands.executeCommand('ganscope.openMetrics');
    await vscode.commands.executeCommand('ganscope.openGraph');
    api.eventLoopDelay(true);
    await sleep(8_000);
    const delay = api.eventLoopDelay();
    console.log(`      event-loop delay over 8 s of training: p50 ${delay.p50.toFixed(1)} ms, p99 ${delay.p99.toFixed(1)} ms, max ${delay.max.toFixed(1)} ms`);
    assert.ok(delay.samples > 0, 'the delay was sampled');
    assert.ok(delay.p99 < 200, `event-loop delay p99 ${delay.p99.toFixed(1)} ms (max ${delay.max.toFixed(1)} ms)`);
    assert.equal(panelTabs('graph').length, 1, 'one graph panel');
  });

  it('reveals the open panel instead of opening a second one on the same run', async () => {
    await vscode.commands.executeCommand('ganscope.openGraph');
    assert.equal(panelTabs('graph').length, 1);
  });

  it('opens a run folder given by path, after its trainer stopped', async () => {
    const api = await ganscope();
    const runId = api.state().runId!;
    await vscode.commands.executeCommand('ganscope.stopTraining');
    await waitForState(api, 'status stopped', (s) => s.status === 'stopped', 15_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const runDir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.ganscope', 'runs', runId);
    await vscode.commands.executeCommand('ganscope.openRun', runDir);
    await waitUntil('a graph panel on the run', () => panelTabs('graph').some((t) => t.label.includes(runId)));
  });
});
