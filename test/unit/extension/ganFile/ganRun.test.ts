import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ganRunConfig, presetOrGanFile } from '../../../../src/extension/ganFile/ganRun';
import { resolveGanText } from '../../../../src/ganFile/resolve';
import { OptionError, parseOption, RUN_OPTIONS } from '../../../../src/protocol/runOptions';
import { RunConfig } from '../../../../src/protocol/trainer';
import { presetsDir } from '../../../../src/trainer/assets';
import { diskHost } from '../../../../src/trainer/presets';

const CONFIG: RunConfig = { preset: 'mnist-dcgan', gan: '/w/faces.gan.json', dataset: 'mnist', steps: 0, seed: 42, runsDir: '/w/runs', sampleEvery: 20 };
const resolve = (text: string) => resolveGanText(text, '/w/faces.gan.json', { ...diskHost(), presetsDir: presetsDir() });
const NONE_SET = { dataset: false, seed: false };

describe('extension/ganFile/ganRun', () => {
  it('lets the preset setting name a built-in preset', () => {
    assert.equal(parseOption(RUN_OPTIONS.preset, 'mnist-tiny', 'ganscope.trainer.preset'), 'mnist-tiny');
    assert.deepEqual(presetOrGanFile('mnist-tiny', '/w'), { preset: 'mnist-tiny' });
  });

  it('lets the preset setting name a .gan.json relative to the workspace folder', () => {
    assert.equal(parseOption(RUN_OPTIONS.preset, 'gans/faces.gan.json', 'ganscope.trainer.preset'), 'gans/faces.gan.json');
    assert.deepEqual(presetOrGanFile('gans/faces.gan.json', '/w'), { preset: 'faces', gan: path.resolve('/w/gans/faces.gan.json') });
  });

  it('refuses a preset setting that is neither, naming the choices', () => {
    assert.throws(() => parseOption(RUN_OPTIONS.preset, 'faces.json', 'ganscope.trainer.preset'), (e: Error) => e instanceof OptionError && /mnist-dcgan.*\.gan\.json/.test(e.message));
  });

  it('names the run for the file and trains on the file\'s dataset and seed', () => {
    const run = ganRunConfig(CONFIG, resolve('{ "extends": "mnist-tiny", "seed": 7, "dataset": "fashion-mnist:/data/f" }'), NONE_SET);
    assert.ok(typeof run !== 'string');
    assert.equal(run.config.preset, 'faces');
    assert.equal(run.config.seed, 7);
    assert.equal(run.config.dataset, 'fashion-mnist:/data/f');
  });

  it('keeps a dataset and seed the user set over the file\'s', () => {
    const run = ganRunConfig(CONFIG, resolve('{ "extends": "mnist-tiny", "seed": 7 }'), { dataset: true, seed: true });
    assert.ok(typeof run !== 'string');
    assert.equal(run.config.seed, 42);
    assert.equal(run.config.dataset, 'mnist');
  });

  it('refuses a file with errors, naming the first and pointing to Problems', () => {
    const refusal = ganRunConfig(CONFIG, resolve('{ "extends": "mnist-tiny", "batchSize": -1 }'), NONE_SET);
    assert.equal(typeof refusal, 'string');
    assert.match(refusal as string, /^faces\.gan\.json cannot train: batchSize.*See Problems\.$/);
  });
});
