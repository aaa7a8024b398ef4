import * as assert from 'node:assert/strict';
import { parse } from 'jsonc-parser';
import { ganFileName, ganFileNameProblem, newGanFileText } from '../../../../src/extension/ganFile/newGanFileText';
import { resolveGanText } from '../../../../src/ganFile/resolve';
import { presetsDir } from '../../../../src/trainer/assets';
import { diskHost, getPreset } from '../../../../src/trainer/presets';

describe('extension/ganFile/newGanFileText', () => {
  const text = newGanFileText('mnist-tiny', getPreset('mnist-tiny'));

  it('extends the preset it was made from', () => {
    assert.equal(parse(text).extends, 'mnist-tiny');
  });

  it('spells out the preset\'s own rates, ratio, smoothing and loss so the user sees them', () => {
    const written = parse(text);
    const preset = getPreset('mnist-tiny');
    assert.equal(written.optimizer.discriminator.learningRate, preset.optimizer.discriminator.learningRate);
    assert.equal(written.discriminatorSteps, preset.discriminatorSteps);
    assert.equal(written.labelSmoothing, preset.labelSmoothing);
    assert.equal(written.loss, preset.loss);
  });

  it('resolves without problems to the preset\'s networks', () => {
    const resolved = resolveGanText(text, '/w/my-gan.gan.json', { ...diskHost(), presetsDir: presetsDir() });
    assert.deepEqual(resolved.problems, []);
    assert.deepEqual(resolved.definition?.generator, getPreset('mnist-tiny').generator);
  });

  it('names the file from what the user typed', () => {
    assert.equal(ganFileName('my gan'), 'my-gan.gan.json');
    assert.equal(ganFileName('faces.gan.json'), 'faces.gan.json');
    assert.equal(ganFileName('faces.json'), 'faces.gan.json');
  });

  it('refuses an empty name or one with a path separator', () => {
    assert.ok(ganFileNameProblem(' '));
    assert.ok(ganFileNameProblem('a/b'));
    assert.equal(ganFileNameProblem('my-gan'), undefined);
  });
});
