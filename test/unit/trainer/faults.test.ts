// A slice of `npm run faults`: the command-line trainer killed inside a checkpoint write, a metrics append and a sample
// write, resumed after each; the full run (24 kills and more) is `npm run faults`.
import * as assert from 'node:assert/strict';
import { injectFaults } from '../../../scripts/faults';

describe('fault injection (3 kills)', function () {
  // Four trainer starts, each loading tfjs and MNIST.
  this.timeout(600_000);

  it('survives SIGKILL inside checkpoint, metrics and sample writes: checkpoints load, JSON lines parse, steps continue, nothing is left', async () => {
    const report = await injectFaults(3);
    assert.deepEqual(report.failures, []);
    assert.deepEqual([report.injected, report.survived], [3, 3]);
    assert.ok(report.steps > 0);
  });
});
