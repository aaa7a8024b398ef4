import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveGanFile } from '../../../src/ganFile/resolve';
import { formatPath } from '../../../src/ganFile/types';
import { checkGanFile } from '../../../src/trainer/ganCheck';
import { diskHost } from '../../../src/trainer/presets';

const REPO = path.resolve(__dirname, '../../..');
const BAD = path.join(REPO, 'test/fixtures/gan/bad');

/** Each malformed fixture: the first error's file (when not the fixture itself), JSON path and message. */
const EXPECTED: Record<string, { file?: string; path: string; message: RegExp }> = {
  'batch-fraction': { path: 'batchSize', message: /^batchSize must be a whole number, not 12\.5$/ },
  'beta-above-one': { path: 'optimizer.generator.beta1', message: /^beta1 must be at least 0 and less than 1, not 1\.5$/ },
  'conv-shrinks-to-nothing': { path: 'discriminator[1]', message: /^discriminator\[1\] conv2d cannot make a map from 2×2 with kernel 15, stride 8/ },
  'cycle-a': { file: 'cycle-b', path: 'extends', message: /^extends makes a cycle: cycle-a\.gan\.json → cycle-b\.gan\.json → cycle-a\.gan\.json$/ },
  'cycle-b': { file: 'cycle-a', path: 'extends', message: /^extends makes a cycle: cycle-b\.gan\.json → cycle-a\.gan\.json → cycle-b\.gan\.json$/ },
  'dense-without-flatten': { path: 'discriminator[1]', message: /dense needs a flat input; it gets 14×14×32: put a flatten before it/ },
  'discriminator-sigmoid': { path: 'discriminator[3]', message: /sigmoid: the losses take D's raw logits/ },
  'discriminator-ten-logits': { path: 'discriminator[2]', message: /dense makes \[10\]; D needs one logit per image for the non-saturating loss/ },
  'ema-of-one': { path: 'generatorEma', message: /^generatorEma must be at least 0 and less than 1, not 1$/ },
  empty: { path: '(file)', message: /^syntax error at line 1, column 1: a value is missing$/ },
  'feature-matching-without-features': { path: 'loss', message: /^feature matching matches the statistics of D's last hidden layer, but D has no layer with weights/ },
  'generator-not-a-list': { path: 'generator', message: /^generator must be a list of layers, not an object$/ },
  'generator-stride-not-dividing': { path: 'generator[0]', message: /enlarge its map 3×, and the image side 28 is not a multiple of 3/ },
  'generator-too-large': { path: 'generator[6]', message: /^generator\[6\] conv2dTranspose makes 56×56; the dataset's images are 28×28$/ },
  'generator-wrong-channels': { path: 'generator[1]', message: /conv2dTranspose makes 3 channels; the images have 1/ },
  'huge-filters': { path: 'discriminator[0].filters', message: /^filters must be at least 1 and at most 8192, not 100000$/ },
  'huge-latent': { path: 'latentDim', message: /^latentDim must be at least 1 and at most 4096, not 1000000$/ },
  'huge-parameters': { path: 'extends', message: /^generator has 847,381,888 parameters; at most 200,000,000 \(generator comes from mnist-dcgan\.gan\.json\)$/ },
  'latent-string': { path: 'latentDim', message: /^latentDim must be a whole number, not "100"$/ },
  'missing-extends': { path: 'extends', message: /^extends "\.\/missing\.gan\.json": there is no file .*missing\.gan\.json$/ },
  'missing-fields': { path: '(file)', message: /^batchSize is missing: set it, or extend a preset that has it/ },
  'missing-filters': { path: 'discriminator[0]', message: /^a conv2d layer needs "filters"$/ },
  'misspelt-option': { path: 'discriminator[0].filter', message: /^unknown field "filter" in a conv2d layer; it takes type, filters, kernel/ },
  'nan-rate': { path: '(file)', message: /^syntax error at line 1, column 47: an unexpected character \(NaN, Infinity/ },
  'negative-instance-noise': { path: 'instanceNoise.stddev', message: /^stddev must be at least 0 and at most 10, not -1$/ },
  'negative-label-smoothing': { path: 'labelSmoothing', message: /^labelSmoothing must be at least 0 and at most 0\.5, not -0\.1$/ },
  'negative-learning-rate': { path: 'optimizer.discriminator.learningRate', message: /^learningRate must be greater than 0 and at most 1, not -0\.0002$/ },
  'not-an-object': { path: '(file)', message: /^the file must be an object, not an array$/ },
  'progressive-wrong-start': { path: 'progressive.startSize', message: /starting at 5×5 with 3 resolutions grows to 20×20; the dataset's images are 28×28$/ },
  self: { path: 'extends', message: /^extends makes a cycle: self\.gan\.json → self\.gan\.json$/ },
  'semi-supervised-hinge': { path: 'loss', message: /^a semi-supervised D learns by cross-entropy: use non-saturating, minimax or feature-matching, not hinge$/ },
  'syntax-double-comma': { path: '(file)', message: /^syntax error at line 1, column 46: a field name in double quotes is missing$/ },
  'syntax-unclosed': { path: '(file)', message: /^syntax error at line 2, column 1: a closing \} is missing$/ },
  'unknown-dataset': { path: 'dataset', message: /^Dataset "svhn:\/data": unknown kind "svhn": use mnist, mnist:<folder>/ },
  'unknown-extends': { path: 'extends', message: /^unknown extends "mnist-gan": use a built-in preset \(mnist-dcgan, / },
  'unknown-init': { path: 'init', message: /^init must be one of "dcgan", "he", "glorot", not "xavier"$/ },
  'unknown-layer': { path: 'discriminator[1].type', message: /^unknown layer type "maxPool": use one of project, dense, conv2d/ },
  'unknown-loss': { path: 'loss', message: /^loss must be one of "non-saturating", "minimax", "hinge", "least-squares", "feature-matching", not "wasserstein"$/ },
  'zero-discriminator-steps': { path: 'discriminatorSteps', message: /^discriminatorSteps must be at least 1 and at most 100, not 0$/ },
};

const fixtures = fs.readdirSync(BAD).filter((f) => f.endsWith('.gan.json')).map((f) => f.replace(/\.gan\.json$/, '')).sort();

describe('malformed .gan.json files (test/fixtures/gan/bad)', () => {
  it('are at least 20, each with its expected error', () => {
    assert.ok(fixtures.length >= 20, `${fixtures.length} fixtures`);
    assert.deepEqual(fixtures, Object.keys(EXPECTED).sort());
  });

  for (const name of fixtures) {
    it(`${name}: ${EXPECTED[name]?.path}`, () => {
      const resolved = resolveGanFile(path.join(BAD, `${name}.gan.json`), diskHost());
      assert.equal(resolved.definition, undefined);
      const first = resolved.problems.find((p) => p.severity === 'error')!;
      const expected = EXPECTED[name];
      assert.equal(path.basename(first.file!), `${expected.file ?? name}.gan.json`);
      assert.equal(formatPath(first.path), expected.path);
      assert.match(first.message, expected.message);
    });
  }

  it('none crashes the trainer\'s check: each is reported with its path, exit code 2', () => {
    for (const name of fixtures) {
      const { code, report } = checkGanFile(path.join(BAD, `${name}.gan.json`));
      assert.equal(code, 2, name);
      assert.ok(report.includes(`${name}.gan.json`) || report.includes('cycle-'), `${name}: ${report}`);
    }
  });

  it('ganscope-train check prints the path and reason on stderr and exits 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'src/trainer/cli.ts'), 'check', path.join(BAD, 'generator-too-large.gan.json')], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /generator-too-large\.gan\.json: generator\[6\] conv2dTranspose makes 56×56; the dataset's images are 28×28/);
  });
});
