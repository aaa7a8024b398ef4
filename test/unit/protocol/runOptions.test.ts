// One parser per run option, shared by the settings reader and ganscope-train: defaults, the preset's choice, refusals.
import * as assert from 'node:assert/strict';
import { flagValue, lossOf, OptionError, parseOption, RUN_OPTIONS } from '../../../src/protocol/runOptions';

describe('protocol/runOptions', () => {
  it('gives an unset option its default', () => {
    assert.equal(parseOption(RUN_OPTIONS.seed, undefined, 'seed'), 42);
  });

  it('allows every default it gives', () => {
    for (const [name, option] of Object.entries(RUN_OPTIONS)) {
      if (option.default !== undefined) assert.equal(option.problem(option.default, name), undefined);
    }
  });

  it('leaves scoreEvery and growSteps to the preset when unset or null', () => {
    assert.deepEqual([undefined, null].map((v) => parseOption(RUN_OPTIONS.scoreEvery, v, 'scoreEvery')), [undefined, undefined]);
    assert.equal(parseOption(RUN_OPTIONS.growSteps, null, 'growSteps'), undefined);
  });

  it('takes 0 as "never" for scoreEvery, not as the preset\'s', () => {
    assert.equal(parseOption(RUN_OPTIONS.scoreEvery, 0, 'scoreEvery'), 0);
  });

  it('refuses null where the default is a value', () => {
    assert.throws(() => parseOption(RUN_OPTIONS.steps, null, 'ganscope.trainer.steps'), /ganscope\.trainer\.steps must be a non-negative integer, not null/);
  });

  it('names the setting or flag, the allowed values and the value it refuses', () => {
    assert.throws(() => parseOption(RUN_OPTIONS.preset, 'huge', '--preset'), (err: Error) => err instanceof OptionError
      && err.message === '--preset must be one of mnist-dcgan, mnist-tiny, talk-dcgan-64, mnist-ssgan-100, mnist-progressive, or a path to a .gan.json file, not "huge"');
  });

  it('refuses a dataset spec with its syntax', () => {
    assert.throws(() => parseOption(RUN_OPTIONS.dataset, 'svhn:/x', '--dataset'), /--dataset: Dataset "svhn:\/x": unknown kind "svhn"\. Use one of:\nmnist /);
  });

  it('refuses a growSteps of 0', () => {
    assert.throws(() => parseOption(RUN_OPTIONS.growSteps, 0, '--grow-steps'), /--grow-steps must be at least 1/);
  });

  it('reads a numeric flag\'s text as a number, and leaves other text for the check to refuse', () => {
    assert.deepEqual(['20', '0.1', '.1', 'ten', '', '1e3'].map((t) => flagValue(RUN_OPTIONS.labelSmoothing, t)), [20, 0.1, 0.1, 'ten', '', '1e3']);
    assert.equal(flagValue(RUN_OPTIONS.preset, '42'), '42');
  });

  it('sends no loss for the preset\'s own', () => {
    assert.deepEqual([lossOf('preset'), lossOf('minimax')], [undefined, 'minimax']);
  });
});
