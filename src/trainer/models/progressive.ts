// Progressive growing (Karras et al. 2017): G and D start at a small side and grow a block at a time up to the data's,
// each new block fading in as (1 − α)·old + α·new. Every block's weights exist from the start, so checkpoints hold them all.
import * as tf from '@tensorflow/tfjs-core';
import { ImageShape, Preset, ProgressiveSpec } from '../presets';
import { avgPool, batchNorm, conv2d, dense, flatten, heStd, Layer, leakyRelu, minibatchStddev, relu, reshape, tanh, upsample } from './layers';
import { Network } from './network';

/** Where a progressive run is: the active resolution (its index and side) and how far its block has faded in. */
export interface Growth {
  level: number;
  resolution: number;
  /** 0 to 1 while the newest block fades in; 1 once it trains alone. */
  alpha: number;
}

/** The sides a progressive preset trains at, smallest first: startSize doubled up to the image side. */
export function resolutions(spec: ProgressiveSpec, imageSize: number): number[] {
  const sides = [spec.startSize];
  while (sides[sides.length - 1] < imageSize) sides.push(sides[sides.length - 1] * 2);
  if (sides[sides.length - 1] !== imageSize || sides.length !== spec.channels.length) {
    throw new Error(`A progressive preset starting at ${spec.startSize}×${spec.startSize} with ${spec.channels.length} resolutions cannot reach `
      + `${imageSize}×${imageSize} images by doubling: use a dataset of side ${spec.startSize * 2 ** (spec.channels.length - 1)}`);
  }
  return sides;
}

/**
 * The growth at `step` (steps completed): the first resolution trains for stableSteps, each later one fades in over
 * fadeSteps and then trains alone for stableSteps; the last one stays.
 */
export function growthAt(spec: ProgressiveSpec, imageSize: number, step: number): Growth {
  const sides = resolutions(spec, imageSize);
  const phase = spec.fadeSteps + spec.stableSteps;
  const level = step < spec.stableSteps ? 0 : Math.min(sides.length - 1, 1 + Math.floor((step - spec.stableSteps) / phase));
  const into = step - spec.stableSteps - (level - 1) * phase; // steps since this level started fading in
  const alpha = level === 0 || into >= spec.fadeSteps ? 1 : into / spec.fadeSteps;
  return { level, resolution: sides[level], alpha };
}

/** One node of the active path: a layer, the node its input comes from (−1: the network's input), and for a fade-in node the old branch. */
interface Node {
  layer: Layer;
  from: number;
  old?: number;
}

/** A fade-in: (1 − α)·old + α·new, two inputs, so its network blends them; it has no apply of its own. */
function fadeIn(name: string): Layer {
  return {
    name, type: 'fadeIn', trainable: [], state: [], weights: {}, detail: '(1 − α)·old + α·new',
    apply: () => { throw new Error(`${name} blends two branches: run it through its network's apply or trace`); },
  };
}

/**
 * A network whose active path is chosen by `route` for the current growth. `layers` is that path (both branches while
 * fading in); the weights and variables are those of every resolution.
 */
export class ProgressiveNetwork implements Network {
  private nodes: Node[] = [];
  private alpha = 1;

  constructor(readonly name: string, private readonly all: Layer[], private readonly route: (level: number, fading: boolean) => Node[]) {}

  /** Switches the active path to `growth`. */
  grow(growth: Growth): void {
    this.alpha = growth.alpha;
    this.nodes = this.route(growth.level, growth.alpha < 1);
  }

  get layers(): Layer[] {
    return this.nodes.map((n) => n.layer);
  }

  apply(x: tf.Tensor, training: boolean, updateStats = training): tf.Tensor {
    const outputs = this.trace(x, training, updateStats);
    return outputs[outputs.length - 1].output;
  }

  trace(x: tf.Tensor, training: boolean, updateStats = training): { layer: Layer; output: tf.Tensor }[] {
    const outputs: tf.Tensor[] = [];
    for (const { layer, from, old } of this.nodes) {
      const input = from < 0 ? x : outputs[from];
      outputs.push(old === undefined ? layer.apply(input, training, updateStats) : tf.add(outputs[old], tf.mul(tf.sub(input, outputs[old]), this.alpha)));
    }
    return this.nodes.map((n, i) => ({ layer: n.layer, output: outputs[i] }));
  }

  get trainableVariables(): tf.Variable[] {
    return this.all.flatMap((l) => l.trainable);
  }

  /** Every resolution's weights, active or not, so a checkpoint taken mid-growth restores the whole run. */
  get namedWeights(): [string, tf.Variable][] {
    return this.all.flatMap((l) => Object.entries(l.weights).map(([w, v]): [string, tf.Variable] => [`${l.name}.${w}`, v]));
  }

  dispose(): void {
    for (const l of this.all) for (const v of [...l.trainable, ...l.state]) v.dispose();
  }
}

/** Appends `layers` as a chain fed by node `from`; returns the index of the last one (`from` when there are none). */
function chain(nodes: Node[], from: number, layers: Layer[]): number {
  let input = from;
  for (const layer of layers) {
    nodes.push({ layer, from: input });
    input = nodes.length - 1;
  }
  return input;
}

export interface ProgressiveGan {
  generator: ProgressiveNetwork;
  discriminator: ProgressiveNetwork;
  /** Switches both networks to `growth`. */
  grow(growth: Growth): void;
}

const LEAK = 0.2;

/**
 * G: z → dense → side₀×side₀ → 3×3 conv; each later block: nearest ×2 → two 3×3 convs, BN + ReLU after each conv (in
 * place of the paper's pixelwise normalisation); toRGB 1×1 convs; tanh. D mirrors it: fromRGB 1×1 convs, two 3×3
 * convs with LeakyReLU 0.2 and a 2×2 average pool per block, then the minibatch standard deviation (without it G
 * collapsed onto one image within 200 steps at 7×7), a 3×3 conv and dense → one logit. He initialisation stands in for the equalised learning rate.
 */
export function buildProgressiveGan(preset: Preset, image: ImageShape, random: () => number): ProgressiveGan {
  const spec = preset.progressive!;
  const sides = resolutions(spec, image.size);
  const ch = spec.channels;
  const tag = (net: string, level: number) => `${net}.${sides[level]}x${sides[level]}`;
  // He initialisation throughout (the paper scales by it at run time, its equalised learning rate): with DCGAN's
  // N(0, 0.02), 1×1 toRGB convs of 8 channels make gray images for thousands of steps and D's signal fades.
  const conv = (name: string, inCh: number, outCh: number, k: number, gain = 2) => conv2d(name, inCh, outCh, k, 1, random, heStd(k * k * inCh, gain));

  // G's layers per level: level 0 starts from z, later ones from the level below.
  const gBlocks = sides.map((_, k): Layer[] => {
    const t = tag('G', k);
    const head = k === 0
      ? [dense('G.dense1', preset.latentDim, sides[0] * sides[0] * ch[0], random, heStd(preset.latentDim)), reshape('G.reshape1', [sides[0], sides[0], ch[0]]), batchNorm(`${t}.batchNorm0`, ch[0], random), relu(`${t}.relu0`)]
      : [upsample(`${t}.upsample`, 2)];
    return [
      ...head,
      conv(`${t}.conv2d1`, k === 0 ? ch[0] : ch[k - 1], ch[k], 3), batchNorm(`${t}.batchNorm1`, ch[k], random), relu(`${t}.relu1`),
      ...(k === 0 ? [] : [conv(`${t}.conv2d2`, ch[k], ch[k], 3), batchNorm(`${t}.batchNorm2`, ch[k], random), relu(`${t}.relu2`)]),
    ];
  });
  const toRgb = sides.map((_, k) => conv(`${tag('G', k)}.toRGB`, ch[k], image.channels, 1, 1));
  const rgbUp = sides.map((_, k) => upsample(`${tag('G', k)}.upsampleRGB`, 2)); // the old image, doubled, while level k fades in
  const gFade = sides.map((_, k) => fadeIn(`${tag('G', k)}.fadeIn`));
  const gOut = tanh('G.tanh');

  const generator = new ProgressiveNetwork('generator', [...gBlocks.flat(), ...toRgb, ...rgbUp, ...gFade, gOut], (level, fading) => {
    const nodes: Node[] = [];
    let h = -1;
    for (let k = 0; k < level; k++) h = chain(nodes, h, gBlocks[k]);
    if (fading) {
      const oldRgb = chain(nodes, h, [toRgb[level - 1], rgbUp[level]]);
      const newRgb = chain(nodes, h, [...gBlocks[level], toRgb[level]]);
      nodes.push({ layer: gFade[level], from: newRgb, old: oldRgb });
    } else {
      chain(nodes, h, [...gBlocks[level], toRgb[level]]);
    }
    chain(nodes, nodes.length - 1, [gOut]);
    return nodes;
  });

  // D's layers per level, from images of that side down to the level below (level 0: down to one logit).
  const fromRgb = sides.map((_, k) => [conv(`${tag('D', k)}.fromRGB`, image.channels, ch[k], 1), leakyRelu(`${tag('D', k)}.leakyRelu0`, LEAK)]);
  const dBlocks = sides.map((_, k): Layer[] => {
    const t = tag('D', k);
    return k === 0
      ? [
        minibatchStddev(`${t}.minibatchStddev`), conv(`${t}.conv2d1`, ch[0] + 1, ch[0], 3), leakyRelu(`${t}.leakyRelu1`, LEAK),
        flatten('D.flatten1'), dense('D.dense1', sides[0] * sides[0] * ch[0], 1, random, heStd(sides[0] * sides[0] * ch[0], 1)),
      ]
      : [
        conv(`${t}.conv2d1`, ch[k], ch[k], 3), leakyRelu(`${t}.leakyRelu1`, LEAK),
        conv(`${t}.conv2d2`, ch[k], ch[k - 1], 3), leakyRelu(`${t}.leakyRelu2`, LEAK), avgPool(`${t}.avgPool`, 2),
      ];
  });
  const imageDown = sides.map((_, k) => avgPool(`${tag('D', k)}.downsample`, 2)); // the image, halved, for the old branch while level k fades in
  const dFade = sides.map((_, k) => fadeIn(`${tag('D', k)}.fadeIn`));

  const discriminator = new ProgressiveNetwork('discriminator', [...fromRgb.flat(), ...dBlocks.flat(), ...imageDown, ...dFade], (level, fading) => {
    const nodes: Node[] = [];
    let h = chain(nodes, -1, [...fromRgb[level], ...dBlocks[level]]);
    if (fading) {
      const old = chain(nodes, -1, [imageDown[level], ...fromRgb[level - 1]]);
      nodes.push({ layer: dFade[level], from: h, old });
      h = nodes.length - 1;
    }
    for (let k = level - 1; k >= 0; k--) h = chain(nodes, h, dBlocks[k]);
    return nodes;
  });

  const grow = (growth: Growth) => {
    generator.grow(growth);
    discriminator.grow(growth);
  };
  grow({ level: 0, resolution: sides[0], alpha: 1 });
  return { generator, discriminator, grow };
}

/**
 * Real images as D sees them at `growth`: average-pooled to its side and, while a block fades in, blended with the
 * half-side version doubled back, as the paper does so that real and fake images change resolution the same way.
 * real: [B, size, size, C] → [B, side, side, C].
 */
export function realAtGrowth(real: tf.Tensor4D, growth: Growth): tf.Tensor4D {
  return tf.tidy(() => {
    const factor = real.shape[1] / growth.resolution;
    const x = factor === 1 ? real : tf.avgPool(real, factor, factor, 'valid');
    if (growth.alpha >= 1) return x;
    const coarse = tf.image.resizeNearestNeighbor(tf.avgPool(x, 2, 2, 'valid'), [growth.resolution, growth.resolution]);
    return tf.add(coarse, tf.mul(tf.sub(x, coarse), growth.alpha));
  });
}

/** G's images at the data's side (nearest-neighbour), so a sample timeline keeps one size while G grows. */
export function atImageSide(generator: Network, size: number): Network {
  return {
    name: generator.name,
    get layers() { return generator.layers; },
    get trainableVariables() { return generator.trainableVariables; },
    get namedWeights() { return generator.namedWeights; },
    trace: (x, training, updateStats) => generator.trace(x, training, updateStats),
    apply: (x, training, updateStats) => {
      const images = generator.apply(x, training, updateStats) as tf.Tensor4D;
      return images.shape[1] === size ? images : tf.image.resizeNearestNeighbor(images, [size, size]);
    },
    dispose: () => generator.dispose(),
  };
}
