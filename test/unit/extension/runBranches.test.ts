import * as assert from 'node:assert/strict';
import { RunRecord } from '../../../src/protocol/runDir';
import { branchesOf, topLevelRuns } from '../../../src/extension/runBranches';
import { RunSummary } from '../../../src/extension/runStore';

const run = (id: string, parent?: string): RunSummary => ({
  id, dir: `/runs/${id}`, record: { id, ...(parent && { parent: { run: parent, step: 100 } }) } as RunRecord,
});

describe('Runs tree: branches under their parents', () => {
  const runs = [run('b2', 'a'), run('b1', 'a'), run('a'), run('c', 'b1')];

  it('lists at the top only runs without a parent among the runs', () => {
    assert.deepEqual(topLevelRuns(runs).map((r) => r.id), ['a']);
  });

  it('lists a run\'s branches under it, in the listing\'s order', () => {
    assert.deepEqual(branchesOf(runs, 'a').map((r) => r.id), ['b2', 'b1']);
    assert.deepEqual(branchesOf(runs, 'b1').map((r) => r.id), ['c']);
  });

  it('keeps a branch at the top when its parent is not listed', () => {
    assert.deepEqual(topLevelRuns([run('b', 'deleted')]).map((r) => r.id), ['b']);
  });
});
