// The GAN-file changes the doctor offers, as partial .gan.json objects built from the run's own settings.
import { Remedy } from '../../protocol/findings';
import { RunSettings } from './detector';

const lr = (v: number) => Number(v.toPrecision(2));
/** The nearest multiple of `m` at or above `v`. */
const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

export const remedy = {
  nonSaturating: (): Remedy => ({ title: 'Train G with the non-saturating loss (Goodfellow et al. 2014)', change: { loss: 'non-saturating' } }),
  slowerD: (s: RunSettings): Remedy => ({
    title: `Lower D's learning rate to G's (${lr(s.learningRateG)})`,
    change: { optimizer: { discriminator: { learningRate: lr(Math.min(s.learningRateD, s.learningRateG)) } } },
  }),
  /**
   * The two above at once, for a minimax run whose D is faster than G. Measured: the discriminator-wins fixture
   * branched at step 200 found D winning again at step 350 with the non-saturating loss alone, at 500 with D's rate
   * lowered alone, and not in 800 steps with both.
   */
  nonSaturatingSlowerD: (s: RunSettings): Remedy => ({
    title: `The non-saturating loss, and D's learning rate down to G's (${lr(s.learningRateG)})`,
    change: { ...remedy.nonSaturating().change, ...remedy.slowerD(s).change },
  }),
  labelSmoothing: (): Remedy => ({ title: 'One-sided label smoothing 0.1 (Salimans et al. 2016)', change: { labelSmoothing: 0.1 } }),
  instanceNoise: (): Remedy => ({ title: 'Instance noise σ 0.1 on D\'s inputs (Sønderby et al. 2016)', change: { instanceNoise: 0.1 } }),
  lowerRates: (s: RunSettings, factor = 10): Remedy => ({
    title: `Divide both learning rates by ${factor}`,
    change: { optimizer: { generator: { learningRate: lr(s.learningRateG / factor) }, discriminator: { learningRate: lr(s.learningRateD / factor) } } },
  }),
  dcganAdam: (): Remedy => ({
    title: 'Adam as in the DCGAN paper: learning rate 2e-4, β1 0.5, β2 0.999',
    change: { optimizer: { generator: { type: 'adam', learningRate: 2e-4, beta1: 0.5, beta2: 0.999 }, discriminator: { type: 'adam', learningRate: 2e-4, beta1: 0.5, beta2: 0.999 } } },
  }),
  generatorEma: (): Remedy => ({ title: 'Evaluate an exponential moving average of G\'s weights (Yazıcı et al. 2019)', change: { generatorEma: 0.999 } }),
  /** G's transposed convolutions with kernels divisible by their stride, which overlap evenly (Odena et al. 2016). */
  evenKernels: (s: RunSettings): Remedy => ({
    title: 'Transposed convolutions with a kernel divisible by the stride (e.g. 4×4 stride 2)',
    change: { generator: s.generator.map((l) => (l.type === 'conv2dTranspose' && l.kernel % (l.stride ?? 1) !== 0 ? { ...l, kernel: roundUp(l.kernel, l.stride ?? 1) } : l)) },
  }),
  /** Batch norm before each of G's ReLUs that lacks one, as DCGAN has (Radford et al. 2015). */
  generatorBatchNorm: (s: RunSettings): Remedy => ({
    title: 'Batch norm before each ReLU in G (DCGAN)',
    change: { generator: s.generator.flatMap((l, i) => (l.type === 'relu' && s.generator[i - 1]?.type !== 'batchNorm' ? [{ type: 'batchNorm' }, l] : [l])) },
  }),
  leakyGenerator: (s: RunSettings): Remedy => ({
    title: 'LeakyReLU 0.2 in place of G\'s ReLUs, so no unit stops learning',
    change: { generator: s.generator.map((l) => (l.type === 'relu' ? { type: 'leakyRelu', alpha: 0.2 } : l)) },
  }),
  /** Minibatch standard deviation before D's flatten lets D see a batch of look-alikes (Karras et al. 2017). */
  minibatchStddev: (s: RunSettings): Remedy => ({
    title: 'Minibatch standard deviation in D (Karras et al. 2017)',
    change: { discriminator: s.discriminator.flatMap((l) => (l.type === 'flatten' ? [{ type: 'minibatchStddev' }, l] : [l])) },
  }),
  /** Spectral normalisation of D's convolutions and dense layers bounds how fast D can change (Miyato et al. 2018). */
  spectralNorm: (s: RunSettings): Remedy => ({
    title: 'Spectral normalisation in D (Miyato et al. 2018)',
    change: { discriminator: s.discriminator.map((l) => (l.type === 'conv2d' || l.type === 'dense' ? { ...l, spectralNorm: true } : l)) },
  }),
  largerBatch: (batchSize: number): Remedy => ({ title: `A batch of ${batchSize * 2}: steadier batch statistics`, change: { batchSize: batchSize * 2 } }),
  moreDiscriminatorSteps: (): Remedy => ({ title: 'Two D updates per G update', change: { discriminatorSteps: 2 } }),
};
