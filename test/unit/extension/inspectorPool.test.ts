// At most two inspectors run at once: opening a third closes the one used least recently.
import * as assert from 'node:assert/strict';
import { InspectorPool, MAX_INSPECTORS } from '../../../src/extension/panels/inspectorPool';

function pool() {
  const started: string[] = [];
  const stopped: string[] = [];
  const inspectors = new InspectorPool<string>(async (dir) => (started.push(dir), dir), (dir, _i, why) => stopped.push(`${dir} ${why}`));
  return { inspectors, started, stopped };
}

describe('the inspector pool', () => {
  it('caps the inspectors at two', () => assert.equal(MAX_INSPECTORS, 2));

  it('closes the oldest inspector when a third run is inspected', async () => {
    const { inspectors, stopped } = pool();
    await inspectors.get('a');
    await inspectors.get('b');
    await inspectors.get('c');
    assert.deepEqual(stopped, ['a evicted']);
    assert.deepEqual(inspectors.runDirs, ['b', 'c']);
  });

  it('counts a use: the inspector used least recently is the one closed', async () => {
    const { inspectors, stopped } = pool();
    await inspectors.get('a');
    await inspectors.get('b');
    await inspectors.get('a');
    await inspectors.get('c');
    assert.deepEqual(stopped, ['b evicted']);
  });

  it('reuses a running inspector rather than starting another', async () => {
    const { inspectors, started } = pool();
    await inspectors.get('a');
    await inspectors.get('a');
    assert.deepEqual(started, ['a']);
  });

  it('forgets an inspector that failed to start, so the next probe tries again', async () => {
    let attempts = 0;
    const inspectors = new InspectorPool<string>(async () => {
      if (++attempts === 1) throw new Error('no checkpoint');
      return 'ok';
    }, () => undefined);
    await assert.rejects(inspectors.get('a'), /no checkpoint/);
    await new Promise((r) => setImmediate(r));
    assert.equal(await inspectors.get('a'), 'ok');
  });

  it('stops an inspector whose last panel closed', async () => {
    const { inspectors, stopped } = pool();
    await inspectors.get('a');
    inspectors.close('a');
    assert.deepEqual(stopped, ['a closed']);
    assert.deepEqual(inspectors.runDirs, []);
  });
});
