import * as assert from 'node:assert/strict';
import { Finding, FindingKind } from '../../../../src/protocol/findings';
import { Detector } from '../../../../src/trainer/doctor/detector';
import { CHECK_EVERY, DETECTORS, Doctor, DoctorSource, UPDATE_EVERY } from '../../../../src/trainer/doctor/doctor';
import { getPreset } from '../../../../src/trainer/presets';

/** A run without layers: the runner's bookkeeping alone, checked at odd multiples of CHECK_EVERY (never measuring). */
const source = {
  step: 0, preset: getPreset('mnist-tiny'), gan: { generator: { layers: [] }, discriminator: { layers: [] } },
  optimizerState: { d: { variables: [], settings: { learningRate: 2e-4 } }, g: { variables: [], settings: { learningRate: 2e-4 } } },
  lastGradSquares: { d: [], g: [] }, lossOptions: { loss: 'non-saturating', realLabel: 1 },
} as unknown as DoctorSource;

/** A detector of `kind` that finds something from `from` on, up to `to`. */
const fake = (kind: FindingKind, from: number, to = Infinity): Detector => ({
  kind,
  check: (h) => (h.lastStep >= from && h.lastStep <= to ? { severity: 'warning', summary: kind, evidence: { at: h.lastStep }, remedies: [] } : undefined),
});

async function run(detectors: Detector[], checks: number): Promise<Finding[]> {
  const reported: Finding[] = [];
  const doctor = new Doctor(source, (f) => reported.push(f), detectors);
  for (let i = 0; i < checks; i++) {
    const step = (2 * i + 1) * CHECK_EVERY;
    await doctor.afterStep({ step, time: 0, dLoss: 1, gLoss: 1, dReal: 0.5, dFake: 0.5, imagesPerSec: 0 });
  }
  doctor.finish();
  return reported;
}

describe('trainer/doctor runner', () => {
  it('reports a finding once when it appears, again at most every UPDATE_EVERY steps, and with its last step when it ends', async () => {
    const lines = await run([fake('dead-units', 25, 425)], 12);
    assert.equal(lines[0].step, 25);
    assert.ok(lines.every((f) => f.step === 25));
    assert.ok(lines.slice(1).every((f, i) => f.lastStep - lines[i].lastStep >= UPDATE_EVERY || f === lines[lines.length - 1]));
    assert.equal(lines[lines.length - 1].lastStep, 425);
  });

  it('does not open a kind that an open finding explains (a winning D explains alike samples)', async () => {
    const kinds = new Set((await run([fake('discriminator-wins', 25), fake('mode-collapse', 75)], 6)).map((f) => f.kind));
    assert.deepEqual([...kinds], ['discriminator-wins']);
  });

  it('keeps the cause that came first (a collapsed G, then a D that beats it)', async () => {
    const kinds = new Set((await run([fake('discriminator-wins', 125), fake('mode-collapse', 25)], 6)).map((f) => f.kind));
    assert.deepEqual([...kinds], ['mode-collapse']);
  });

  it('at a tie, opens the kind inside the network rather than the symptoms it explains (small batches: drift, then alike samples)', async () => {
    const firing = ['mode-collapse', 'discriminator-wins', 'batchnorm-drift'];
    const detectors = DETECTORS.filter((d) => firing.includes(d.kind)).map((d) => fake(d.kind, 25));
    assert.deepEqual([...new Set((await run(detectors, 4)).map((f) => f.kind))], ['batchnorm-drift']);
  });

  it('opens a new finding when a kind comes back after it ended', async () => {
    const lines = await run([{ kind: 'oscillation', check: (h) => (h.lastStep < 100 || h.lastStep > 200 ? { severity: 'warning', summary: '', evidence: {}, remedies: [] } : undefined) }], 6);
    assert.deepEqual([...new Set(lines.map((f) => f.step))], [25, 225]);
  });
});
