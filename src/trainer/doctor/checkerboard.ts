// checkerboard: G's images carry periodic energy at the upsampling grid's frequencies that real images lack.
import { LayerSpec } from '../presets';
import { Detector, round3 } from './detector';
import { mean } from './history';
import { remedy } from './remedies';
import { sustained } from './sustained';

/**
 * The share of G's image energy at the grid frequencies at least this many times real images' share. Uneven overlap
 * of transposed convolutions stamps a pattern with the stride's period (Odena et al. 2016). Measured on mnist-tiny:
 * MNIST digits put 0.4–0.6 % of their energy there; a healthy 4×4-stride-2 G 0.2–1.5 % from step 300 on (at most 3.1×
 * real images'); a 3×3-stride-2 G 5–24 % (10–50×).
 */
export const RATIO = 6;
/**
 * Only while G's samples are at least this varied in pixels (their share of real images' pairwise distance): an
 * untrained, starved or collapsing G also draws grid-periodic noise (measured: 7–15× real images' share at steps
 * 200–250 of a healthy run, at pixel diversity 0.16–0.22, and ≥ 10× in collapsing runs with 4×4 kernels), which is
 * not the kernels' fault. A healthy mnist-tiny G is past 0.34 by step 300. Not asked of a G with a transposed
 * convolution whose kernel does not divide by its stride: its uneven overlap stamps the pattern on every image
 * whatever G has learnt (Odena et al. 2016), so the pattern is the kernels' fault however alike the samples are.
 */
export const MIN_DIVERSITY = 0.3;

export const checkerboard: Detector = {
  kind: 'checkerboard',
  check(history, settings) {
    const diverse = unevenOverlap(settings.generator) ? 0 : MIN_DIVERSITY;
    const stamped = sustained(history, (m) => m.gridEnergyFake !== undefined && m.gridEnergyFake >= RATIO * m.gridEnergyReal! && m.pixelDiversity >= diverse);
    if (!stamped) return undefined;
    const fake = mean(stamped.map((m) => m.gridEnergyFake!));
    const real = mean(stamped.map((m) => m.gridEnergyReal!));
    return {
      severity: 'warning',
      summary: `Checkerboard artefacts: ${round3(100 * fake)} % of the energy of G's images is at the upsampling grid's frequencies, against ${round3(100 * real)} % in real images.`,
      evidence: { gridEnergyFake: round3(fake), gridEnergyReal: round3(real), ratio: round3(fake / real) },
      remedies: [remedy.evenKernels(settings)],
    };
  },
};

/** Whether one of G's transposed convolutions has a kernel that its stride does not divide. */
export function unevenOverlap(generator: LayerSpec[]): boolean {
  return generator.some((l) => l.type === 'conv2dTranspose' && (l.stride ?? 1) > 1 && l.kernel % (l.stride ?? 1) !== 0);
}
