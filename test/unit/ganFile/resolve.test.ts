import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { liveChanges } from '../../../src/ganFile/liveChanges';
import { GanFileHost, resolveGanText } from '../../../src/ganFile/resolve';
import { inferShapes } from '../../../src/ganFile/shapes';
import { formatPath, GanDefinition } from '../../../src/ganFile/types';
import { presetsDir } from '../../../src/trainer/assets';
import { diskHost } from '../../../src/trainer/presets';

/** Files in memory beside the real presets. */
function host(files: Record<string, string>): GanFileHost {
  const disk = diskHost();
  return { presetsDir: presetsDir(), readFile: (f) => files[f] ?? disk.readFile(f) };
}
const resolve = (text: string, files: Record<string, string> = {}) => resolveGanText(text, '/w/my.gan.json', host(files));
const definition = (text: string, files: Record<string, string> = {}): GanDefinition => {
  const r = resolve(text, files);
  assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), []);
  return r.definition!;
};

describe('ganFile/resolve', () => {
  it('takes what a file leaves out from the preset it extends, named after the file, with no extends left', () => {
    const d = definition('{ "extends": "mnist-dcgan", "batchSize": 32 }');
    assert.equal(d.name, 'my');
    assert.equal(d.batchSize, 32);
    assert.equal(d.latentDim, 100);
    assert.equal(d.generator.length, 8);
    assert.ok(!('extends' in d));
  });

  it('merges objects field by field: one network\'s learning rate changes, the rest stay the preset\'s', () => {
    const d = definition('{ "extends": "mnist-dcgan", "optimizer": { "discriminator": { "learningRate": 0.0001 } } }');
    assert.deepEqual(d.optimizer.discriminator, { type: 'adam', learningRate: 0.0001, beta1: 0.5, beta2: 0.999 });
    assert.deepEqual(d.optimizer.generator, { type: 'adam', learningRate: 0.0005, beta1: 0.5, beta2: 0.999 });
  });

  it('replaces lists whole and removes a section set to null', () => {
    const d = definition('{ "extends": "mnist-ssgan-100", "semiSupervised": null, "loss": "hinge", "discriminator": [{ "type": "flatten" }, { "type": "dense", "units": 1 }] }');
    assert.equal(d.semiSupervised, undefined);
    assert.equal(d.discriminator.length, 2);
  });

  it('follows a relative extends through a chain of files, nearest file winning', () => {
    const files = { '/w/base.gan.json': '{ "extends": "mnist-tiny", "latentDim": 64, "labelSmoothing": 0.1 }' };
    const d = definition('{ "extends": "./base.gan.json", "labelSmoothing": 0.2 }', files);
    assert.deepEqual([d.latentDim, d.labelSmoothing, d.batchSize], [64, 0.2, 32]);
  });

  it('reads comments and trailing commas', () => {
    assert.equal(definition('{ // mine\n "extends": "mnist-tiny", /* small */ "seed": 7, }').seed, 7);
  });

  it('fills the defaults: non-saturating, DCGAN init, one D step, no smoothing, noise or averaging', () => {
    const d = definition(JSON.stringify({ latentDim: 8, batchSize: 4, generator: [{ type: 'project', channels: 'image' }, { type: 'tanh' }], discriminator: [{ type: 'flatten' }, { type: 'dense', units: 1 }] }));
    assert.deepEqual([d.loss, d.init, d.discriminatorSteps, d.labelSmoothing, d.instanceNoise, d.generatorEma, d.dataset], ['non-saturating', 'dcgan', 1, 0, { stddev: 0, annealSteps: 0 }, 0, 'mnist']);
  });

  it('reports a problem in a field taken from the file extended at this file\'s extends', () => {
    const r = resolve('{ "extends": "mnist-dcgan", "imageSize": 30 }');
    const first = r.problems[0];
    assert.deepEqual([path.basename(first.file!), formatPath(first.path)], ['my.gan.json', 'extends']);
    assert.match(first.message, /image side 30 is not a multiple of 4.*\(generator\[0\] comes from mnist-dcgan\.gan\.json\)/);
  });

  it('warns, without failing, when G does not end in tanh', () => {
    const r = resolve('{ "extends": "mnist-tiny", "generator": [{ "type": "project", "channels": "image" }] }');
    assert.ok(r.definition);
    assert.deepEqual(r.problems.map((p) => [p.severity, formatPath(p.path)]), [['warning', 'generator[0]']]);
  });
});

describe('ganFile/shapes', () => {
  const tiny = definition('{ "extends": "mnist-tiny" }');

  it('gives each layer of mnist-tiny its output shape and parameter count', () => {
    const s = inferShapes(tiny, { size: 28, channels: 1 });
    assert.deepEqual(s.generator.layers.map((l) => l.outputShape), [[7, 7, 16], [7, 7, 16], [7, 7, 16], [14, 14, 8], [14, 14, 8], [14, 14, 8], [28, 28, 1], [28, 28, 1]]);
    assert.deepEqual(s.generator.layers.map((l) => l.params), [100 * 784 + 784, 32, 0, 4 * 4 * 16 * 8, 16, 0, 4 * 4 * 8, 0]);
    assert.deepEqual(s.discriminator.layers.at(-1)!.outputShape, [1]);
    assert.deepEqual(s.problems, []);
  });

  it('follows padding: valid, numeric (PyTorch\'s) and same', () => {
    const d = definition(JSON.stringify({
      extends: 'mnist-tiny',
      discriminator: [
        { type: 'conv2d', filters: 4, kernel: 4, stride: 2, padding: 1 }, // 28 → 14
        { type: 'conv2d', filters: 4, kernel: 3, stride: 1, padding: 'valid' }, // 14 → 12
        { type: 'upsample' }, // 24
        { type: 'minibatchStddev' }, // 5 channels
        { type: 'flatten' }, { type: 'dense', units: 1 },
      ],
    }));
    assert.deepEqual(inferShapes(d, { size: 28, channels: 1 }).discriminator.layers.slice(0, 4).map((l) => l.outputShape), [[14, 14, 4], [12, 12, 4], [24, 24, 4], [24, 24, 5]]);
  });

  it('wants one logit per class from a semi-supervised D', () => {
    const d = definition('{ "extends": "mnist-ssgan-100" }');
    assert.deepEqual(inferShapes(d, { size: 28, channels: 1 }).discriminator.layers.at(-1)!.outputShape, [10]);
    assert.match(resolve('{ "extends": "mnist-ssgan-100", "semiSupervised": { "classes": 5, "labelled": 100 } }').problems[0].message, /one logit per class \(5\)/);
  });
});

describe('ganFile/liveChanges', () => {
  const running = definition('{ "extends": "mnist-dcgan" }');

  it('applies rates, betas, D steps, smoothing, noise, loss and the generator average between steps', () => {
    const saved = definition('{ "extends": "mnist-dcgan", "optimizer": { "discriminator": { "learningRate": 0.0001, "beta2": 0.99 } }, "discriminatorSteps": 2, "labelSmoothing": 0.1, "instanceNoise": 0.1, "loss": "hinge", "generatorEma": 0.999 }');
    const c = liveChanges(running, saved);
    assert.deepEqual(c.structural, []);
    assert.deepEqual(c.changed, {
      'optimizer.discriminator.learningRate': 0.0001, 'optimizer.discriminator.beta2': 0.99, discriminatorSteps: 2,
      labelSmoothing: 0.1, 'instanceNoise.stddev': 0.1, loss: 'hinge', generatorEma: 0.999,
    });
  });

  it('leaves structural changes (layers, latentDim, batchSize, dataset, imageSize) to a new run', () => {
    const saved = definition('{ "extends": "mnist-dcgan", "latentDim": 64, "batchSize": 32, "dataset": "fashion-mnist:/d", "imageSize": 32, "discriminator": [{ "type": "flatten" }, { "type": "dense", "units": 1 }] }');
    const c = liveChanges(running, saved);
    assert.deepEqual(c.structural.sort(), ['batchSize', 'dataset', 'discriminator', 'imageSize', 'latentDim']);
    assert.deepEqual([c.live, c.changed], [{}, {}]);
  });

  it('finds nothing to change in the same definition saved again', () => {
    assert.deepEqual(liveChanges(running, definition('{ "extends": "mnist-dcgan", "description": "renamed" }')), { live: {}, changed: {}, structural: [] });
  });
});
