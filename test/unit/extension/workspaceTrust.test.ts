// Restricted Mode: runs and panels can be viewed; the commands that train or install say why not and offer to manage trust.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gateCommand, MANAGE_TRUST, MANAGE_TRUST_COMMAND, restrictedReason, TRUSTED_ONLY, TrustDeps } from '../../../src/extension/workspaceTrust';

/** VS Code as the gate sees it: trusted or not, a user who picks `choice`, the messages and commands kept. */
function vscode(trusted: boolean, choice?: string) {
  const warned: { message: string; actions: string[] }[] = [];
  const executed: string[] = [];
  const deps: TrustDeps = {
    isTrusted: () => trusted,
    warn: async (message, ...actions) => (warned.push({ message, actions }), choice),
    execute: async (command) => void executed.push(command),
  };
  return { deps, warned, executed };
}

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('workspace trust', () => {
  it('runs a training command in a trusted workspace', () => {
    const { deps, warned } = vscode(true);
    assert.equal(gateCommand(deps, 'ganscope.startTraining', () => 'started')(), 'started');
    assert.deepEqual(warned, []);
  });

  for (const id of Object.keys(TRUSTED_ONLY)) {
    it(`refuses ${id} in Restricted Mode, saying why`, () => {
      const { deps, warned } = vscode(false);
      let ran = false;
      gateCommand(deps, id, () => (ran = true))();
      assert.equal(ran, false);
      assert.match(warned[0].message, /in Restricted Mode: this workspace is not trusted/);
      assert.deepEqual(warned[0].actions, [MANAGE_TRUST]);
    });
  }

  it('opens the Workspace Trust editor when the user picks Manage Workspace Trust', async () => {
    const { deps, executed } = vscode(false, MANAGE_TRUST);
    gateCommand(deps, 'ganscope.installNativeBackend', () => undefined)();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(executed, [MANAGE_TRUST_COMMAND]);
  });

  it('lets the panels and the Runs tree work in Restricted Mode', () => {
    const { deps, warned } = vscode(false);
    for (const id of ['ganscope.openMetrics', 'ganscope.openGraph', 'ganscope.openRun', 'ganscope.refreshRuns', 'ganscope.showLog']) {
      assert.equal(gateCommand(deps, id, () => id)(), id);
    }
    assert.deepEqual(warned, []);
  });

  it('names what cannot happen and what still can', () => {
    assert.match(restrictedReason('start training'), /cannot start training in Restricted Mode.*Runs and panels can still be viewed; trust the workspace to start training/);
  });

  it('declares limited support for untrusted workspaces, none for virtual ones', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(pkg.capabilities.untrustedWorkspaces.description);
    assert.equal(pkg.capabilities.virtualWorkspaces, false);
  });

  it('ignores a workspace\'s own values of the settings that start work or point at paths, in Restricted Mode', () => {
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const name of ['ganscope.runsFolder', 'ganscope.trainer.dataset', 'ganscope.trainer.startOnOpen', 'ganscope.trainer.preset', 'ganscope.trainer.backend']) {
      assert.ok(restricted.includes(name), name);
    }
    for (const name of restricted) assert.ok(name in pkg.contributes.configuration.properties, `${name} is a declared setting`);
  });

  it('refuses in Restricted Mode every command package.json declares that trains or installs', () => {
    const declared = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const id of Object.keys(TRUSTED_ONLY)) assert.ok(declared.has(id), id);
  });
});
