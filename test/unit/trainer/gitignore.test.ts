import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GITIGNORE_TEXT } from '../../../src/trainer/runDir/gitignore';
import { RunWriter } from '../../../src/trainer/runDir/writer';
import { tempDir } from './helpers';

const record = (runsDir: string) => ({
  schema: 1,
  createdAt: new Date().toISOString(),
  config: { preset: 'mnist-tiny', dataset: 'mnist', steps: 2, seed: 1, runsDir, sampleEvery: 1 },
  backend: 'wasm', device: 'CPU (wasm SIMD)', tfjsVersion: '4.22.0', batchSize: 32,
  model: { latentDim: 100, imageSize: 28, channels: 1 },
});

function createRun(runsDir: string): void {
  RunWriter.create(runsDir, 'r', record(runsDir)).close();
}

describe('trainer/runDir: .ganscope/.gitignore', () => {
  it('is written with "*" and a comment line when the first run is created in .ganscope/runs', () => {
    const workspace = tempDir('ignore');
    createRun(path.join(workspace, '.ganscope', 'runs'));
    const text = fs.readFileSync(path.join(workspace, '.ganscope', '.gitignore'), 'utf8');
    assert.equal(text, GITIGNORE_TEXT);
    assert.deepEqual(text.trimEnd().split('\n').map((l) => l.startsWith('#') ? '#' : l), ['#', '*']);
  });

  it('is left alone when a later run finds it edited, or deleted', () => {
    const workspace = tempDir('ignore');
    const runsDir = path.join(workspace, '.ganscope', 'runs');
    createRun(runsDir);
    fs.writeFileSync(path.join(workspace, '.ganscope', '.gitignore'), 'runs/old\n');
    createRun(runsDir);
    assert.equal(fs.readFileSync(path.join(workspace, '.ganscope', '.gitignore'), 'utf8'), 'runs/old\n');
    fs.rmSync(path.join(workspace, '.ganscope', '.gitignore'));
    createRun(runsDir);
    assert.equal(fs.existsSync(path.join(workspace, '.ganscope', '.gitignore')), false);
  });

  it('is not written for a runs folder outside any .ganscope folder', () => {
    const workspace = tempDir('ignore');
    createRun(path.join(workspace, 'my-runs'));
    assert.deepEqual(fs.readdirSync(workspace), ['my-runs']);
    assert.equal(fs.existsSync(path.join(workspace, 'my-runs', '.gitignore')), false);
  });
});
