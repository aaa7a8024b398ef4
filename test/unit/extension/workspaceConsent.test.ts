// A workspace's own files cannot start work or point GANscope outside it unasked: startOnOpen asks once, and a path
// outside the workspace is shown before its first use.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALLOW, configPaths, ConsentMemory, isOutside, NOT_HERE, START, WorkspaceConsent } from '../../../src/extension/workspaceConsent';
import { RunConfig } from '../../../src/protocol/trainer';

/** workspaceState as a map, and a user who answers `answer` and whose questions are kept. */
function consent(answer: string | undefined) {
  const state = new Map<string, unknown>();
  const memory: ConsentMemory = { get: <T>(k: string) => state.get(k) as T | undefined, update: async (k, v) => void state.set(k, v) };
  const asked: string[] = [];
  return { asked, consent: new WorkspaceConsent(memory, async (message) => (asked.push(message), answer)) };
}

describe('paths outside the workspace', () => {
  let root: string;
  let workspace: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-consent-'));
    workspace = path.join(root, 'workspace');
    fs.mkdirSync(path.join(workspace, 'data'), { recursive: true });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('counts a path in a workspace folder, existing or not, as inside', () => {
    assert.equal(isOutside(path.join(workspace, 'data'), [workspace]), false);
    assert.equal(isOutside(path.join(workspace, '.ganscope', 'runs'), [workspace]), false);
  });

  it('counts a path that climbs out with .. as outside', () => {
    assert.equal(isOutside(path.join(workspace, '..', 'elsewhere'), [workspace]), true);
  });

  it('counts a link inside the workspace that leads out as outside', () => {
    fs.mkdirSync(path.join(root, 'secrets'));
    fs.symlinkSync(path.join(root, 'secrets'), path.join(workspace, 'link'));
    assert.equal(isOutside(path.join(workspace, 'link', 'x'), [workspace]), true);
  });

  it('finds the runs folder, dataset, GAN file and resumed run a configuration names, with ~ expanded', () => {
    const config = { runsDir: '/r', dataset: 'folder:~/faces', gan: '/g.gan.json', resume: '/r/1' } as RunConfig;
    assert.deepEqual(configPaths(config, 'settings').map((p) => p.path), ['/r', path.join(os.homedir(), 'faces'), '/g.gan.json', '/r/1']);
  });

  it('shows a path outside the workspace before its first use, naming where it came from', async () => {
    const { consent: c, asked } = consent(ALLOW);
    assert.equal(await c.allowPaths([{ path: '/mnt/big/runs', from: 'ganscope.runsFolder' }], [workspace]), true);
    assert.equal(asked.length, 1);
    assert.match(asked[0], /^ganscope\.runsFolder points outside this workspace, to \/mnt\/big\/runs/);
  });

  it('remembers an allowed path for the workspace and does not ask again', async () => {
    const { consent: c, asked } = consent(ALLOW);
    await c.allowPaths([{ path: '/mnt/big/runs', from: 'a setting' }], [workspace]);
    await c.allowPaths([{ path: '/mnt/big/runs', from: 'a setting' }], [workspace]);
    assert.equal(asked.length, 1);
  });

  it('refuses the run when the user cancels, and asks again next time', async () => {
    const { consent: c, asked } = consent(undefined);
    assert.equal(await c.allowPaths([{ path: '/etc', from: 'run.json (dataset)' }], [workspace]), false);
    assert.equal(await c.allowPaths([{ path: '/etc', from: 'run.json (dataset)' }], [workspace]), false);
    assert.equal(asked.length, 2);
  });

  it('lists a runs folder outside the workspace (the Runs tree) only once it was allowed, without asking by itself', async () => {
    const { asked, consent: c } = consent(ALLOW);
    const runs = path.join(root, 'runs');
    assert.equal(c.isAllowed(runs, [workspace]), false);
    assert.equal(c.isAllowed(path.join(workspace, '.ganscope', 'runs'), [workspace]), true);
    assert.equal(asked.length, 0);
    assert.equal(await c.allowPaths([{ path: runs, from: 'The setting ganscope.runsFolder' }], [workspace]), true);
    assert.equal(c.isAllowed(runs, [workspace]), true);
  });

  it('asks nothing about paths inside the workspace', async () => {
    const { consent: c, asked } = consent(undefined);
    assert.equal(await c.allowPaths([{ path: path.join(workspace, 'data'), from: 'a setting' }], [workspace]), true);
    assert.deepEqual(asked, []);
  });
});

describe('startOnOpen', () => {
  it('asks before the first run, and keeps a yes', async () => {
    const { consent: c, asked } = consent(START);
    assert.equal(await c.startOnOpen(), true);
    assert.equal(await c.startOnOpen(), true);
    assert.equal(asked.length, 1);
    assert.match(asked[0], /startOnOpen starts a training run whenever it opens/);
  });

  it('keeps a no for the workspace', async () => {
    const { consent: c, asked } = consent(NOT_HERE);
    assert.equal(await c.startOnOpen(), false);
    assert.equal(await c.startOnOpen(), false);
    assert.equal(asked.length, 1);
  });

  it('starts nothing when the question is dismissed, and asks again next time', async () => {
    const { consent: c, asked } = consent(undefined);
    assert.equal(await c.startOnOpen(), false);
    assert.equal(await c.startOnOpen(), false);
    assert.equal(asked.length, 2);
  });
});
