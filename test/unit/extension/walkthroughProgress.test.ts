import * as assert from 'node:assert/strict';
import { initialState } from '../../../src/extension/liveState';
import { LearnerAction, LearnerFacts, probeAction, progressKey, stepsDone, WalkthroughProgress } from '../../../src/extension/walkthroughProgress';
import { DashboardState } from '../../../src/protocol/dashboard';

function facts(change: Partial<LearnerFacts> & { did?: LearnerAction[] } = {}): LearnerFacts {
  return { actions: new Set(change.did ?? []), paused: false, resumed: false, live: { status: 'running', step: 0 }, ...change };
}

const state = (status: DashboardState['status'], step = 0): DashboardState => ({ ...initialState(), status, step });

describe('walkthrough progress', () => {
  it('checks nothing for a run that trains on its own, however far it gets', () => {
    assert.deepEqual(stepsDone(facts({ live: { status: 'running', step: 5000 } })), []);
  });

  it('checks 1.2 once the learner pressed Start Training and a run trains', () => {
    assert.deepEqual(stepsDone(facts({ did: ['started'], live: { status: 'idle', step: 0 } })), []);
    assert.deepEqual(stepsDone(facts({ did: ['started'] })), ['networks']);
  });

  it('checks 1.3 only when the learner watches D(x) and D(G(z)) on a run past step 100', () => {
    assert.deepEqual(stepsDone(facts({ did: ['watchedBalance'], live: { status: 'running', step: 99 } })), []);
    assert.deepEqual(stepsDone(facts({ did: ['watchedBalance'], live: { status: 'running', step: 100 } })), ['idea']);
  });

  it('checks 1.7 on an interpolation and 3.1 on a latent arithmetic, each on its own', () => {
    assert.deepEqual(stepsDone(facts({ did: ['interpolated'] })), ['latent-space']);
    assert.deepEqual(stepsDone(facts({ did: ['arithmetic'] })), ['pose']);
  });

  it('tells a latent arithmetic from an interpolation by its subtracted vector, and D\'s filters from other probes', () => {
    const cell = (index: number) => ({ kind: 'cell' as const, index });
    assert.equal(probeAction({ kind: 'generate', latents: [[{ weight: 0.5, z: cell(0) }, { weight: 0.5, z: cell(1) }]] }), 'interpolated');
    assert.equal(probeAction({ kind: 'generate', latents: [[{ weight: 1, z: cell(0) }, { weight: -1, z: cell(1) }, { weight: 1, z: cell(2) }]] }), 'arithmetic');
    assert.equal(probeAction({ kind: 'filters', layer: 'D.conv1' }), 'filters');
    assert.equal(probeAction({ kind: 'latents' }), undefined);
  });

  it('sets 1.4 when the run pauses and 1.5 when it resumes after that pause, each key once', () => {
    const set: string[] = [];
    const progress = new WalkthroughProgress((key) => set.push(key));
    progress.observe(state('running', 10));
    assert.deepEqual(set, []);
    progress.observe(state('paused', 12));
    progress.observe(state('paused', 12));
    progress.observe(state('running', 13));
    progress.observe(state('running', 14));
    assert.deepEqual(set, [progressKey('gan-part-1'), progressKey('gan-part-2')]);
  });

  it('does not count a run that starts as a resumption', () => {
    const set: string[] = [];
    const progress = new WalkthroughProgress((key) => set.push(key));
    progress.observe(state('starting'));
    progress.observe(state('running', 1));
    assert.deepEqual(set, []);
  });
});
