import * as assert from 'node:assert/strict';
import { batchnormDrift } from '../../../../src/trainer/doctor/batchnormDrift';
import { checkerboard, unevenOverlap } from '../../../../src/trainer/doctor/checkerboard';
import { deadUnits } from '../../../../src/trainer/doctor/deadUnits';
import { Detector, RunSettings } from '../../../../src/trainer/doctor/detector';
import { discriminatorWins } from '../../../../src/trainer/doctor/discriminatorWins';
import { explodingGradient } from '../../../../src/trainer/doctor/explodingGradient';
import { MIN_REFERENCE, RECENT, WARMUP } from '../../../../src/trainer/doctor/gradientRange';
import { FADING, History, Measurement, StepRecord } from '../../../../src/trainer/doctor/history';
import { memorisation } from '../../../../src/trainer/doctor/memorisation';
import { modeCollapse } from '../../../../src/trainer/doctor/modeCollapse';
import { oscillation } from '../../../../src/trainer/doctor/oscillation';
import { vanishingGradient } from '../../../../src/trainer/doctor/vanishingGradient';
import { getPreset } from '../../../../src/trainer/presets';
import { seededRandom } from '../../../../src/trainer/random';

const tiny = getPreset('mnist-tiny');
const settings: RunSettings = {
  loss: 'minimax', realLabel: 1, learningRateD: 2e-3, learningRateG: 2e-4, batchSize: 32, generator: tiny.generator, discriminator: tiny.discriminator,
};

/** Healthy-looking noise: D(x) ≈ 0.8, D(G(z)) ≈ 0.3, losses ≈ 1.2 / 1.5 with batch noise, gradient norms ≈ 1 ± 30 %. */
function step(step: number, random: () => number, over: Partial<StepRecord> = {}): StepRecord {
  const noise = (scale: number) => (random() - 0.5) * 2 * scale;
  return {
    step, dLoss: 1.2 + noise(0.2), gLoss: 1.5 + noise(0.3), dReal: 0.8 + noise(0.1), dFake: 0.3 + noise(0.1),
    gradNorms: { 'G.dense1': 1 + noise(0.3), 'D.conv2d1': 0.5 + noise(0.15) }, ...over,
  };
}

function healthyMeasurement(step: number): Measurement {
  return {
    step, featureDiversity: 0.8, pixelDiversity: 0.85, deadShare: { 'G.relu1': 0, 'G.relu2': 0.05 }, bnOutputDrift: 0.1, bnMeanGap: 0.2,
    bnLayer: 'G.batchNorm1', gridEnergyFake: 0.05, gridEnergyReal: 0.04, ...(step % 200 === 0 && { nearestFake: 9, nearestTest: 8 }),
  };
}

/** `last` steps (1,000): `stepOver` and `measureOver` change what each step / measurement records from `from` on. */
function history(from: number, stepOver: (s: number) => Partial<StepRecord> = () => ({}), measureOver: (s: number) => Partial<Measurement> = () => ({}), last = 1000): History {
  const h = new History();
  const random = seededRandom(3);
  for (let s = 1; s <= last; s++) {
    h.addStep(step(s, random, s >= from ? stepOver(s) : {}));
    if (s % 50 === 0) h.addMeasurement({ ...healthyMeasurement(s), ...(s >= from ? measureOver(s) : {}) });
  }
  return h;
}

const ALL: Detector[] = [discriminatorWins, modeCollapse, oscillation, vanishingGradient, explodingGradient, deadUnits, batchnormDrift, checkerboard, memorisation];

describe('trainer/doctor detectors on synthetic series', () => {
  it('none fires on 1,000 healthy-looking steps', () => {
    const h = history(Infinity);
    assert.deepEqual(ALL.filter((d) => d.check(h, settings)).map((d) => d.kind), []);
  });

  it('discriminator-wins fires when D(x) ≈ 0.99 and D(G(z)) ≈ 0.01 for 100 steps, and offers the non-saturating loss', () => {
    const h = history(850, () => ({ dReal: 0.99, dFake: 0.01 }));
    const d = discriminatorWins.check(h, settings);
    assert.ok(d);
    assert.ok(d.remedies.some((r) => r.change.loss === 'non-saturating'));
    // Minimax with D faster than G: both causes at once come first.
    assert.deepEqual(d.remedies[0].change, { loss: 'non-saturating', optimizer: { discriminator: { learningRate: 2e-4 } } });
    const nonSaturating = discriminatorWins.check(h, { ...settings, loss: 'non-saturating' });
    assert.deepEqual(nonSaturating!.remedies[0].change, { optimizer: { discriminator: { learningRate: 2e-4 } } });
  });

  it('discriminator-wins stays silent for a stretch shorter than its window', () => {
    assert.equal(discriminatorWins.check(history(950, () => ({ dReal: 0.99, dFake: 0.01 })), settings), undefined);
  });

  it('oscillation fires on a swing that grows over 400 steps, not on a steady one', () => {
    const growing = history(600, (s) => ({ gLoss: 1.5 + 0.002 * (s - 600) * Math.sin(s / 8) * 2 }));
    assert.ok(oscillation.check(growing, settings));
    const steady = history(600, (s) => ({ gLoss: 1.5 + 0.3 * Math.sin(s / 8) }));
    assert.equal(oscillation.check(steady, settings), undefined);
  });

  it('oscillation offers both learning rates halved first (measured on its fixture: the swing settles)', () => {
    const growing = history(600, (s) => ({ gLoss: 1.5 + 0.002 * (s - 600) * Math.sin(s / 8) * 2 }));
    assert.deepEqual(oscillation.check(growing, settings)!.remedies[0].change, { optimizer: { generator: { learningRate: 1e-4 }, discriminator: { learningRate: 1e-3 } } });
  });

  it('vanishing-gradient fires when a layer\'s gradient falls 1,000× below its range', () => {
    const h = history(900, () => ({ gradNorms: { 'G.dense1': 1e-3, 'D.conv2d1': 0.5 } }));
    assert.match(vanishingGradient.check(h, settings)!.summary, /G\.dense1/);
    assert.equal(explodingGradient.check(h, settings), undefined);
  });

  it('exploding-gradient fires when a layer\'s gradient rises 1,000× above its range', () => {
    const h = history(900, () => ({ gradNorms: { 'G.dense1': 1, 'D.conv2d1': 500 } }));
    assert.match(explodingGradient.check(h, settings)!.summary, /D\.conv2d1/);
    assert.equal(vanishingGradient.check(h, settings), undefined);
  });

  it('exploding-gradient leaves out a rise back from a saturated D: the norms of every layer return when D lets go', () => {
    const saturated = { dReal: 0.999, dFake: 0.001, gradNorms: { 'G.dense1': 1e-2, 'D.conv2d1': 5e-3 } };
    const h = history(700, (s) => (s < 900 ? saturated : { gradNorms: { 'G.dense1': 10, 'D.conv2d1': 5 } }));
    assert.equal(explodingGradient.check(h, settings), undefined);
    // The same rise with D unsure throughout is an explosion.
    const unsure = history(700, (s) => (s < 900 ? { gradNorms: saturated.gradNorms } : { gradNorms: { 'G.dense1': 10, 'D.conv2d1': 5 } }));
    assert.match(explodingGradient.check(unsure, settings)!.summary, /G\.dense1/);
  });

  it('the gradient detectors compare a progressive run\'s steps within its phase, and none while a resolution fades in', () => {
    // A new layer's gradient grows with α through the fade-in (1,000× here), then holds: no finding on the way or after.
    const grow = (s: number): Partial<StepRecord> => s < 500
      ? { phase: '7', gradNorms: { 'G.dense1': 1, 'D.conv2d1': 0.5 } }
      : s < 800
        ? { phase: `14${FADING}`, gradNorms: { 'G.dense1': 1, 'D.conv2d1': 0.5, 'D.14x14.fromRGB': 1e-3 * 10 ** (3 * (s - 500) / 300) } }
        : { phase: '14', gradNorms: { 'G.dense1': 1, 'D.conv2d1': 0.5, 'D.14x14.fromRGB': 1 } };
    for (const last of [700, 820, 1000]) {
      const h = history(1, grow, undefined, last);
      assert.equal(explodingGradient.check(h, settings) ?? vanishingGradient.check(h, settings), undefined, `at step ${last}`);
    }
    // Within a stable phase a rise is still seen.
    const h = history(1, (s) => ({ ...grow(s), ...(s >= 950 && { gradNorms: { 'G.dense1': 1, 'D.conv2d1': 0.5, 'D.14x14.fromRGB': 1000 } }) }), undefined, 1000);
    assert.match(explodingGradient.check(h, settings)!.summary, /D\.14x14\.fromRGB/);
  });

  it('oscillation leaves out a swing that grows across a progressive run\'s change of resolution', () => {
    const phase = (s: number) => (s < 700 ? '14' : s < 800 ? `28${FADING}` : '28');
    const growing = (s: number): Partial<StepRecord> => ({ phase: phase(s), gLoss: 1.5 + 0.002 * Math.max(0, s - 600) * Math.sin(s / 8) * 2 });
    assert.equal(oscillation.check(history(1, growing, undefined, 1000), settings), undefined);
    // The same swing within one phase is an oscillation.
    assert.ok(oscillation.check(history(1, (s) => ({ ...growing(s), phase: '28' }), undefined, 1000), settings));
  });

  it('vanishing-gradient sees a fall early in a run, against the range the layer had since the first steps', () => {
    const h = history(100, () => ({ gradNorms: { 'G.dense1': 1e-3, 'D.conv2d1': 0.5 } }), undefined, 150);
    assert.match(vanishingGradient.check(h, settings)!.summary, /G\.dense1/);
  });

  it('the gradient detectors wait for a reference of MIN_REFERENCE steps after WARMUP, then fire', () => {
    const from = WARMUP + MIN_REFERENCE - 1;
    const fallen = (last: number) => history(from, () => ({ gradNorms: { 'G.dense1': 1e-3, 'D.conv2d1': 0.5 } }), undefined, last);
    assert.equal(vanishingGradient.check(fallen(from + RECENT - 1), settings), undefined);
    assert.ok(vanishingGradient.check(fallen(from + RECENT), settings));
  });

  it('a 5× change in gradient norm is within a layer\'s range', () => {
    const h = history(900, () => ({ gradNorms: { 'G.dense1': 5, 'D.conv2d1': 0.1 } }));
    assert.equal(explodingGradient.check(h, settings) ?? vanishingGradient.check(h, settings), undefined);
  });

  it('mode-collapse fires when samples are far less spread than real images in features and pixels for 150 steps', () => {
    assert.ok(modeCollapse.check(history(800, () => ({}), () => ({ featureDiversity: 0.1, pixelDiversity: 0.15 })), settings));
  });

  it('mode-collapse stays silent when only D\'s features shrink, or only briefly', () => {
    assert.equal(modeCollapse.check(history(800, () => ({}), () => ({ featureDiversity: 0.1 })), settings), undefined);
    assert.equal(modeCollapse.check(history(960, () => ({}), () => ({ featureDiversity: 0.1, pixelDiversity: 0.1 })), settings), undefined);
  });

  it('mode-collapse fires from two class histograms that cover two classes', () => {
    const h = history(Infinity);
    const narrow = [0.5, 0.49, 0.01, 0, 0, 0, 0, 0, 0, 0];
    h.addScores({ step: 500, time: 0, scores: {}, classHistogram: narrow });
    h.addScores({ step: 1000, time: 0, scores: {}, classHistogram: narrow });
    assert.equal(modeCollapse.check(h, settings)!.evidence.classesCovered, 2);
  });

  it('dead-units fires when most of a G layer\'s units stay dead', () => {
    assert.match(deadUnits.check(history(800, () => ({}), () => ({ deadShare: { 'G.relu1': 0.75 } })), settings)!.summary, /G\.relu1/);
  });

  it('dead-units stays silent when two channels of 16 die for a while', () => {
    assert.equal(deadUnits.check(history(800, () => ({}), () => ({ deadShare: { 'G.relu1': 0.125 } })), settings), undefined);
  });

  it('batchnorm-drift fires when inference-mode samples differ from training-mode ones', () => {
    assert.ok(batchnormDrift.check(history(800, () => ({}), () => ({ bnOutputDrift: 0.9, bnMeanGap: 3 })), settings));
  });

  const threeByThree = { ...settings, generator: tiny.generator.map((l) => (l.type === 'conv2dTranspose' ? { ...l, kernel: 3 } : l)) };
  const gridded = (over: Partial<Measurement> = {}) => history(800, () => ({}), () => ({ gridEnergyFake: 0.5, gridEnergyReal: 0.05, ...over }));

  it('checkerboard fires on grid energy 10× real images\' and offers kernels divisible by the stride', () => {
    const d = checkerboard.check(gridded(), threeByThree);
    assert.ok(d);
    const layers = d.remedies[0].change.generator as { type: string; kernel?: number }[];
    assert.deepEqual(layers.filter((l) => l.type === 'conv2dTranspose').map((l) => l.kernel), [4, 4]);
  });

  it('checkerboard stays silent on grid energy from alike samples of a G whose kernels divide by their stride', () => {
    assert.equal(checkerboard.check(gridded({ pixelDiversity: 0.1 }), settings), undefined);
    assert.ok(checkerboard.check(gridded(), settings), 'fires on the same energy from varied samples');
  });

  it('checkerboard blames uneven overlap however alike the samples are', () => {
    assert.ok(checkerboard.check(gridded({ pixelDiversity: 0.1 }), threeByThree));
  });

  it('unevenOverlap: a transposed convolution whose kernel its stride does not divide', () => {
    assert.equal(unevenOverlap(tiny.generator), false);
    assert.equal(unevenOverlap(threeByThree.generator), true);
    assert.equal(unevenOverlap([{ type: 'conv2dTranspose', filters: 8, kernel: 3, stride: 1 }]), false);
  });

  it('memorisation fires when samples sit much closer to training images than test images do', () => {
    assert.ok(memorisation.check(history(500, () => ({}), (s) => (s % 200 === 0 ? { nearestFake: 2, nearestTest: 8 } : {})), settings));
  });
});
