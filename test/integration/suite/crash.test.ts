// A trainer that dies mid-run is reported as a crash, keeps what it wrote, and can be continued from its checkpoint.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ganscope, isAlive, waitForState, waitUntil } from './helpers';

const config = () => vscode.workspace.getConfiguration('ganscope');

describe('A trainer that crashes', () => {
  before(() => config().update('trainer.checkpointEvery', 5, vscode.ConfigurationTarget.Global));
  after(async () => {
    await config().update('trainer.checkpointEvery', undefined, vscode.ConfigurationTarget.Global);
    const api = await ganscope();
    if (api.trainerPid() !== undefined) await vscode.commands.executeCommand('ganscope.stopTraining');
  });

  it('is reported as crashed with the signal that killed it, and the run folder keeps its metrics', async () => {
    const api = await ganscope();
    await vscode.commands.executeCommand('ganscope.startTraining');
    const running = await waitForState(api, 'step 12 or more', (s) => s.status === 'running' && s.step >= 12);
    const pid = api.trainerPid()!;
    process.kill(pid, 'SIGKILL');
    const crashed = await waitForState(api, 'status crashed', (s) => s.status === 'crashed', 15_000);
    assert.match(crashed.message ?? '', /exited unexpectedly \(signal SIGKILL\)/);
    await waitUntil(`trainer pid ${pid} to be gone`, () => !isAlive(pid));
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const runDir = path.join(workspace, '.ganscope', 'runs', running.runId!);
    const lines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean);
    assert.ok(lines.length >= 10, `metrics.jsonl has ${lines.length} lines`);
    assert.ok(fs.readdirSync(path.join(runDir, 'checkpoints')).some((d) => d.startsWith('step-')), 'a checkpoint was written');
  });

  it('continues the crashed run from its last checkpoint', async () => {
    const api = await ganscope();
    const crashedRun = api.state().runId!;
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const runDir = path.join(workspace, '.ganscope', 'runs', crashedRun);
    await vscode.commands.executeCommand('ganscope.continueRun', { kind: 'run', run: { id: crashedRun, dir: runDir } });
    const resumed = await waitForState(api, 'the same run running again', (s) => s.status === 'running' && s.runId === crashedRun);
    assert.ok(resumed.step >= 5, `resumed at step ${resumed.step}, from a checkpoint`);
    await vscode.commands.executeCommand('ganscope.stopTraining');
    await waitForState(api, 'status stopped', (s) => s.status === 'stopped', 15_000);
  });
});
