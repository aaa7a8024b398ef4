// A burst of refreshes becomes one, soon after the burst, and never waits for ever while calls keep coming.
import * as assert from 'node:assert/strict';
import { debounce } from '../../../src/extension/debounce';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('debounce', () => {
  it('calls once after a burst of calls', async () => {
    let calls = 0;
    const refresh = debounce(() => calls++, 30);
    for (let i = 0; i < 20; i++) refresh();
    await sleep(80);
    assert.equal(calls, 1);
  });

  it('calls during an endless burst, at the latest its longest wait after the first call', async () => {
    let calls = 0;
    const refresh = debounce(() => calls++, 40, 100);
    for (let i = 0; i < 15; i++) {
      refresh();
      await sleep(15);
    }
    assert.ok(calls >= 1, 'called while the calls kept coming');
    refresh.dispose();
  });

  it('calls nothing once disposed', async () => {
    let calls = 0;
    const refresh = debounce(() => calls++, 20);
    refresh();
    refresh.dispose();
    await sleep(50);
    assert.equal(calls, 0);
  });
});
