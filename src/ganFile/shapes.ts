// Shape inference: walks G and D layer by layer, giving each layer's output shape and parameter count, and says where
// shapes do not fit (an image of the wrong side, a D that does not end in the logits its loss needs).
import { MAX_ACTIVATION_VALUES, MAX_PARAMETERS } from './limits';
import { GanDefinition, GanProblem, ImageShape, LayerKind, LayerSpec, Padding } from './types';

export interface LayerShape {
  type: LayerKind;
  /** Without the batch axis: [H, W, C] or [features]. */
  outputShape: number[];
  /** Trainable parameters. */
  params: number;
}

export interface NetworkShapes {
  inputShape: number[];
  /** One entry per layer of the list, as far as the walk got (it stops at the first layer that cannot take its input). */
  layers: LayerShape[];
  params: number;
}

export interface GanShapes {
  generator: NetworkShapes;
  discriminator: NetworkShapes;
  problems: GanProblem[];
}

type Net = 'generator' | 'discriminator';

/** Side of a conv's output; `transposed`: the gradient of a conv, which enlarges. */
export function convSide(side: number, kernel: number, stride: number, padding: Padding, transposed: boolean): number {
  if (transposed) return padding === 'same' ? side * stride : (side - 1) * stride + kernel - 2 * (padding === 'valid' ? 0 : padding);
  if (padding === 'same') return Math.ceil(side / stride);
  return Math.floor((side + 2 * (padding === 'valid' ? 0 : padding) - kernel) / stride) + 1;
}

/** How much the layers enlarge a map's side (transposed convs and upsampling up, strided convs down). */
export function enlargement(layers: LayerSpec[]): number {
  return layers.reduce((f, l) => {
    if (l.type === 'conv2dTranspose') return f * (l.stride ?? 1);
    if (l.type === 'upsample') return f * (l.factor ?? 2);
    if (l.type === 'conv2d') return f / (l.stride ?? 1);
    return f;
  }, 1);
}

const sideText = (shape: number[]) => (shape.length === 3 ? `${shape[0]}×${shape[1]}×${shape[2]}` : `[${shape.join(', ')}]`);
const needsMap = (type: string) => `${type} needs an image-shaped input [H, W, C]`;

/** One layer's output shape and parameters from its input shape, or why it cannot take that input. */
function layerShape(spec: LayerSpec, input: number[], image: ImageShape, projectSide: () => number | string): LayerShape | string {
  const channels = input[input.length - 1];
  const same = (params = 0): LayerShape => ({ type: spec.type, outputShape: input, params });
  const flatIn = input.length === 1;
  switch (spec.type) {
    case 'project': {
      if (!flatIn) return `project needs a flat input; it gets ${sideText(input)}`;
      const side = spec.side ?? projectSide();
      if (typeof side === 'string') return side;
      const c = spec.channels === 'image' ? image.channels : spec.channels;
      const units = side * side * c;
      return { type: 'project', outputShape: [side, side, c], params: channels * units + units };
    }
    case 'dense':
      if (!flatIn) return `dense needs a flat input; it gets ${sideText(input)}: put a flatten before it`;
      return { type: 'dense', outputShape: [spec.units], params: channels * spec.units + spec.units * (spec.weightNorm ? 2 : 1) };
    case 'conv2d':
    case 'conv2dTranspose': {
      if (flatIn) return `${needsMap(spec.type)}; it gets ${sideText(input)}: put a project before it`;
      const filters = spec.filters === 'image' ? image.channels : spec.filters;
      const side = convSide(input[0], spec.kernel, spec.stride ?? 1, spec.padding ?? 'same', spec.type === 'conv2dTranspose');
      if (side < 1) return `${spec.type} cannot make a map from ${input[0]}×${input[1]} with kernel ${spec.kernel}, stride ${spec.stride ?? 1} and padding ${JSON.stringify(spec.padding ?? 'same')}`;
      return { type: spec.type, outputShape: [side, side, filters], params: spec.kernel * spec.kernel * channels * filters };
    }
    case 'upsample': {
      if (flatIn) return `${needsMap('upsample')}; it gets ${sideText(input)}`;
      const f = spec.factor ?? 2;
      return { type: 'upsample', outputShape: [input[0] * f, input[1] * f, channels], params: 0 };
    }
    case 'flatten':
      return { type: 'flatten', outputShape: [input.reduce((a, b) => a * b, 1)], params: 0 };
    case 'batchNorm':
    case 'layerNorm':
      return same(2 * channels);
    case 'instanceNorm':
      if (flatIn) return `${needsMap('instanceNorm')} (it normalises each image's maps); it gets ${sideText(input)}: use layerNorm`;
      return same(2 * channels);
    case 'minibatchStddev':
      if (flatIn) return `${needsMap('minibatchStddev')}; it gets ${sideText(input)}`;
      return { type: 'minibatchStddev', outputShape: [input[0], input[1], channels + 1], params: 0 };
    default:
      return same();
  }
}

/** Walks one network; problems name the layer (`generator[6]`) at its path in the file. */
function walk(net: Net, specs: LayerSpec[], inputShape: number[], image: ImageShape, problems: GanProblem[]): NetworkShapes {
  const layers: LayerShape[] = [];
  let shape = inputShape;
  for (const [i, spec] of specs.entries()) {
    const projectSide = () => {
      const factor = enlargement(specs.slice(i + 1));
      const side = image.size / factor;
      return Number.isInteger(side) ? side
        : `the layers after this project enlarge its map ${factor}×, and the image side ${image.size} is not a multiple of ${factor}: give project a "side" or change their strides`;
    };
    const result = layerShape(spec, shape, image, projectSide);
    if (typeof result === 'string') {
      problems.push({ path: [net, i], message: `${net}[${i}] ${result}`, severity: 'error' });
      break;
    }
    const values = result.outputShape.reduce((a, b) => a * b, 1);
    if (values > MAX_ACTIVATION_VALUES) {
      problems.push({ path: [net, i], message: `${net}[${i}] ${spec.type} makes ${sideText(result.outputShape)}, ${values.toLocaleString('en')} values an image; at most ${MAX_ACTIVATION_VALUES.toLocaleString('en')}`, severity: 'error' });
      break;
    }
    layers.push(result);
    shape = result.outputShape;
  }
  const params = layers.reduce((n, l) => n + l.params, 0);
  if (params > MAX_PARAMETERS) {
    problems.push({ path: [net], message: `${net} has ${params.toLocaleString('en')} parameters; at most ${MAX_PARAMETERS.toLocaleString('en')}`, severity: 'error' });
  }
  return { inputShape, layers, params };
}

/** The index of the last layer whose type is one of `types`, or the last layer. */
function lastOf(specs: LayerSpec[], walked: number, types: LayerKind[]): number {
  for (let i = walked - 1; i >= 0; i--) if (types.includes(specs[i].type)) return i;
  return walked - 1;
}

function checkGeneratorOutput(def: GanDefinition, g: NetworkShapes, image: ImageShape, imageWhat: string, problems: GanProblem[]): void {
  const n = g.layers.length;
  if (n === 0 || n < def.generator.length) return;
  const out = g.layers[n - 1].outputShape;
  const at = (i: number, message: string, severity: GanProblem['severity'] = 'error'): void => {
    problems.push({ path: ['generator', i], message, severity });
  };
  if (out.length !== 3) return at(n - 1, `generator[${n - 1}] ${def.generator[n - 1].type} makes ${sideText(out)}; G must end in images of ${sideText([image.size, image.size, image.channels])}`);
  if (out[0] !== image.size) {
    const i = lastOf(def.generator, n, ['project', 'conv2d', 'conv2dTranspose', 'upsample']);
    return at(i, `generator[${i}] ${def.generator[i].type} makes ${out[0]}×${out[1]}; ${imageWhat} ${image.size}×${image.size}`);
  }
  if (out[2] !== image.channels) {
    const i = lastOf(def.generator, n, ['project', 'conv2d', 'conv2dTranspose']);
    return at(i, `generator[${i}] ${def.generator[i].type} makes ${out[2]} channels; the images have ${image.channels}: use "image" for its filters or channels`);
  }
  if (def.generator[n - 1].type !== 'tanh') at(n - 1, `G's images should lie in [-1, 1] like the training images: end the generator with tanh`, 'warning');
}

function checkDiscriminatorOutput(def: GanDefinition, d: NetworkShapes, problems: GanProblem[]): void {
  const n = d.layers.length;
  if (n === 0 || n < def.discriminator.length) return;
  const logits = def.semiSupervised ? def.semiSupervised.classes : 1;
  const needs = def.semiSupervised ? `one logit per class (${logits}) for the semi-supervised GAN` : `one logit per image for the ${def.loss} loss`;
  const out = d.layers[n - 1].outputShape;
  const at = (message: string): void => {
    problems.push({ path: ['discriminator', n - 1], message: `discriminator[${n - 1}] ${message}`, severity: 'error' });
  };
  const lastType = def.discriminator[n - 1].type;
  if (lastType === 'sigmoid') return at(`sigmoid: the losses take D's raw logits and apply the sigmoid themselves, stably: remove it`);
  if (out.length !== 1 || out[0] !== logits) at(`${lastType} makes ${sideText(out)}; D needs ${needs}: end it with a dense layer of ${logits} unit${logits === 1 ? '' : 's'}`);
}

/** Feature matching reads the output of D's last hidden layer: there must be one with weights before the output layer. */
function checkFeatureLayer(def: GanDefinition, problems: GanProblem[]): void {
  if (def.loss !== 'feature-matching') return;
  const hidden = def.discriminator.slice(0, -1).some((l) => l.type === 'dense' || l.type === 'conv2d' || l.type === 'conv2dTranspose' || l.type === 'project');
  if (!hidden) {
    problems.push({ path: ['loss'], message: 'feature matching matches the statistics of D\'s last hidden layer, but D has no layer with weights before its output layer: add one, or use another loss', severity: 'error' });
  }
}

/**
 * Every layer's shape and parameters for images of `image`, and what does not fit. `imageWhat` says where the image
 * shape came from, for messages ("the dataset's images are").
 */
export function inferShapes(def: GanDefinition, image: ImageShape, imageWhat = 'the dataset\'s images are'): GanShapes {
  const problems: GanProblem[] = [];
  const generator = walk('generator', def.generator, [def.latentDim], image, problems);
  const discriminator = walk('discriminator', def.discriminator, [image.size, image.size, image.channels], image, problems);
  if (!def.progressive) {
    checkGeneratorOutput(def, generator, image, imageWhat, problems);
    checkDiscriminatorOutput(def, discriminator, problems);
    checkFeatureLayer(def, problems);
  }
  return { generator, discriminator, problems };
}
