// The activations panel: one input through every layer of G or D as feature-map grids with per-channel statistics,
// histograms of each weighted layer's weights and gradients, and the learned filters of D's convolutions.
import { Histogram, LatentSource, LayerActivation, ModelGraph, NetworkName, ProbeResult } from '../../src/protocol/probes';
import { count, fmt, greyCanvas, hiDpiCanvas, imageCanvas } from '../common/draw';
import { byId as $, el, statsTable } from '../common/dom';
import { panelShell, ViewMessage } from '../common/panelShell';
import { chartColor, onThemeChange, themeColor, translucent } from '../common/theme';
import { button, dropdown, progressRing, setValue, textField, valueOf, wholeNumberOf } from '../common/toolkit';
import { featureMaps } from './featureMaps';
import './activations.css';

interface Ui {
  network: NetworkName;
  /** G's input: a grid cell, a seeded random draw, or the pinned vector. */
  source: 'cell' | 'seed' | 'pinned';
  cell: number;
  seed: number;
  pinned?: number[];
  image: 'real' | 'generated';
  index: number;
}

/** Channels drawn per layer; wider layers show their first ones (the statistics cover them all). */
const MAX_CHANNELS = 64;
/** Target on-screen size of one feature map, in CSS pixels. */
const MAP_PX = 56;
/** Bins per weight or gradient histogram: enough to show the shape, few enough to read each bar. */
const HIST_BINS = 40;

const shell = panelShell<Ui>({
  title: 'Activations',
  controls: `
  <div class="controls">
    <label for="network">Network</label>
    ${dropdown('network', { generator: 'Generator', discriminator: 'Discriminator' })}
    <span id="g-controls" class="controls">
      <label for="source">Latent z</label>
      ${dropdown('source', { cell: 'Gallery cell', seed: 'Random', pinned: 'Pinned' })}
      <label for="cell">cell</label>
      ${textField('cell', 4, 'Index of the cell in the fixed-noise grid, row by row from 0')}
      ${button({ id: 'random', appearance: 'secondary', title: 'Draw a new random z', label: 'New random' })}
      ${button({ id: 'pin', appearance: 'secondary', title: 'Keep this z as the pinned vector', label: 'Pin this z' })}
    </span>
    <span id="d-controls" class="controls" hidden>
      <label for="image">Image</label>
      ${dropdown('image', { real: 'Real (training data)', generated: 'Generated' })}
      <label for="index">index</label>
      ${textField('index', 6, 'Which image: an index into the data, or a seed for a generated one')}
    </span>
    ${button({ id: 'run-probe', appearance: 'primary', label: 'Show' })}
    ${progressRing('busy')}
  </div>`,
  body: `
  <section id="input"></section>
  <section id="layers"></section>
  <section id="filters"></section>`,
}, onMessage);
let ui: Ui = shell.ui() ?? { network: 'generator', source: 'cell', cell: 0, seed: 1, image: 'real', index: 0 };
let graph: ModelGraph | undefined;
let focus: string | undefined;
let live = false;
let lastInput: number[] | undefined;
let requested = false;
/** Layers whose histograms the user opened: they open (and load) again when the sections are redrawn. */
const openHistograms = new Set<string>();
/** What each histogram canvas shows, to repaint it in a new theme's colours. */
const histograms = new WeakMap<HTMLCanvasElement, { hist: Histogram; color: number }>();

function onMessage(message: ViewMessage): void {
  if (message.type === 'run') {
    live = message.run.live;
    if (message.layer && message.layer !== focus) {
      focus = message.layer;
      const network = networkOf(focus);
      if (network && network !== ui.network) {
        ui.network = network;
        syncControls();
        void show();
      } else highlight();
    }
  } else if (message.type === 'graph') {
    const first = !graph;
    graph = message.graph;
    // A layer to focus that arrived before the graph: only now can it say which network to show.
    const network = focus ? networkOf(focus) : undefined;
    if (network) ui.network = network;
    syncControls();
    if (first && !requested) void show();
  }
}

function networkOf(layer: string): NetworkName | undefined {
  if (graph?.generator.layers.some((l) => l.name === layer)) return 'generator';
  if (graph?.discriminator.layers.some((l) => l.name === layer)) return 'discriminator';
  return undefined;
}

function syncControls(): void {
  setValue($('network'), ui.network);
  setValue($('source'), ui.source);
  setValue($('image'), ui.image);
  setValue($('cell'), ui.cell);
  setValue($('index'), ui.index);
  $('g-controls').hidden = ui.network !== 'generator';
  $('d-controls').hidden = ui.network !== 'discriminator';
}

function readControls(): void {
  ui.network = valueOf($('network')) as NetworkName;
  ui.source = valueOf($('source')) as Ui['source'];
  ui.image = valueOf($('image')) as Ui['image'];
  ui.cell = wholeNumberOf($('cell'), ui.cell);
  ui.index = wholeNumberOf($('index'), ui.index);
  shell.saveUi(ui);
}

function latent(): LatentSource {
  if (ui.source === 'pinned' && ui.pinned) return { kind: 'values', values: ui.pinned };
  if (ui.source === 'seed') return { kind: 'seed', seed: ui.seed };
  return { kind: 'cell', index: ui.cell };
}

async function show(): Promise<void> {
  requested = true;
  readControls();
  syncControls();
  $('busy').hidden = false;
  shell.notice(live ? '' : 'Past run: an inspector loads its last checkpoint to answer (a few seconds the first time).');
  try {
    const result = await shell.probe(
      ui.network === 'generator'
        ? { kind: 'generatorActivations', z: latent() }
        : { kind: 'discriminatorActivations', image: ui.image, index: ui.index },
    );
    shell.notice('');
    drawActivations(result);
    if (ui.network === 'discriminator') await drawFilters();
    else $('filters').replaceChildren();
  } catch (err) {
    shell.notice((err as Error).message);
  } finally {
    $('busy').hidden = true;
  }
}

function drawActivations(result: ProbeResult): void {
  if (result.kind !== 'activations') throw new Error(`Expected activations, got ${result.kind}.`);
  const input = $('input');
  input.replaceChildren(el('h2', undefined, result.network === 'generator' ? 'Input z' : 'Input image'));
  if (result.network === 'generator') {
    lastInput = Array.from(result.input);
    input.append(vectorCanvas(result.input));
  } else {
    const [h, w, c] = result.inputShape;
    const box = el('div', 'row');
    box.append(pixels(imageCanvas(result.input, h, w, c, Math.max(1, Math.floor(112 / w)))));
    if (result.score !== undefined) box.append(el('span', 'score', judgement(result.score, ui.image)));
    input.append(box);
  }
  const layers = $('layers');
  layers.replaceChildren(...result.layers.map(layerSection));
  highlight();
}

/**
 * What D's output on this image says about training: D is the generator's teacher, so a real digit D calls generated is
 * not a failure but the game going on (near ½ on both kinds of image is where a balanced GAN sits).
 */
function judgement(score: number, image: Ui['image']): string {
  const verdict = score > 0.5 ? 'D judges it real' : 'D judges it generated';
  const meaning = image === 'real'
    ? (score > 0.5 ? 'as it should: D still tells real digits apart' : "G's digits are good enough that D now doubts real ones too")
    : (score > 0.5 ? 'G fools D on this one' : 'D still catches this one: G has more to learn');
  return `D(x) = ${fmt(score)}: ${verdict}; ${meaning}. Over training both kinds should drift toward ½.`;
}

/** A ReLU zeroes what it gets below 0 (no gradient flows there: "dead"); a LeakyReLU only scales it down, so nothing dies. */
function negativeShare(type: string, share: number): string {
  const percent = `${(share * 100).toFixed(0)}%`;
  if (type === 'relu') return `${percent} of values are 0 (dead: no gradient flows through them)`;
  if (type === 'leakyRelu') return `${percent} of values < 0 (leaky: scaled down, still passing gradient)`;
  return '';
}

function pixels(canvas: HTMLCanvasElement): HTMLCanvasElement {
  canvas.classList.add('pixels');
  return canvas;
}

/** A vector as a near-square grey grid, so 100 values read as 10×10 rather than a sliver. */
function vectorCanvas(values: Float32Array): HTMLCanvasElement {
  const w = Math.ceil(Math.sqrt(values.length));
  const h = Math.ceil(values.length / w);
  const padded = new Float32Array(w * h);
  padded.set(values);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  return pixels(greyCanvas(padded, w, h, lo, hi, Math.max(2, Math.floor(120 / w))));
}

function layerSection(layer: LayerActivation): HTMLElement {
  const section = el('section', 'layer');
  section.dataset.layer = layer.name;
  const deadShare = layer.channels.reduce((s, c) => s + c.dead, 0) / Math.max(1, layer.channels.length);
  const heading = el('h2', undefined, `${layer.name} · ${layer.type} → ${layer.shape.join('×')}`);
  // A flat layer's heading already gives its size; a feature-map layer's channel count is worth repeating.
  const size = layer.shape.length === 3 ? count(layer.channels.length, 'channel') : '';
  const dead = negativeShare(layer.type, deadShare);
  const summary = el('span', 'muted', `  ${[size, dead].filter(Boolean).join(', ')}`);
  heading.append(summary);
  section.append(heading);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of layer.data) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
  const maps = el('div', 'maps');
  if (layer.shape.length === 3) {
    const [h, w, c] = layer.shape;
    const scale = Math.max(1, Math.floor(MAP_PX / w));
    const shown = featureMaps(layer).slice(0, MAX_CHANNELS);
    shown.forEach((map, k) => {
      const canvas = pixels(greyCanvas(map, w, h, lo, hi, scale));
      canvas.classList.add('fmap');
      const s = layer.channels[k];
      canvas.title = `channel ${k}: mean ${fmt(s.mean)}, std ${fmt(s.std)}, ${(s.dead * 100).toFixed(0)}% ≤ 0`;
      if (layer.type === 'relu' && s.dead >= 0.999) canvas.classList.add('dead');
      maps.append(canvas);
    });
    if (c > shown.length) maps.append(el('span', 'muted', `… and ${count(c - shown.length, 'more channel')}`));
  } else {
    const canvas = vectorCanvas(layer.data);
    canvas.classList.add('fmap');
    maps.append(canvas);
  }
  section.append(maps, channelTable(layer));
  // Only layers with trainable parameters have weights to histogram; asking for others would be an error.
  const weighted = [...(graph?.generator.layers ?? []), ...(graph?.discriminator.layers ?? [])].some((l) => l.name === layer.name && l.params > 0);
  if (weighted) section.append(histogramDetails(layer.name));
  return section;
}

/** A closed "Weights and gradients" disclosure that asks for its layer's histograms the first time it opens, so opening the panel fires no probes for them. */
function histogramDetails(name: string): HTMLElement {
  const details = el('details', 'histograms');
  details.dataset.layer = name;
  details.append(el('summary', 'muted', 'Weights and gradients'));
  const body = el('div', 'hist-row');
  details.append(body);
  let loaded = false;
  details.addEventListener('toggle', () => {
    if (details.open) openHistograms.add(name);
    else openHistograms.delete(name);
    if (!details.open || loaded) return;
    loaded = true;
    body.replaceChildren(el('span', 'muted', 'Loading…'));
    shell.probe({ kind: 'histogram', layer: name, bins: HIST_BINS }).then(
      (result) => {
        if (result.kind !== 'histogram') throw new Error(`Expected a histogram, got ${result.kind}.`);
        body.replaceChildren(
          histogramFigure('weights', result.weights, 0),
          result.gradients
            ? histogramFigure('last gradients', result.gradients, 1)
            : el('span', 'muted', 'no gradient yet: gradients appear after the first probe snapshot'),
        );
      },
      (err: Error) => {
        loaded = false; // a failed request may succeed when opened again (e.g. once the inspector is up)
        body.replaceChildren(el('span', 'notice', err.message));
      },
    );
  });
  // Set after the listener, so a redraw reopens (and reloads) what the user had open.
  if (openHistograms.has(name)) details.open = true;
  return details;
}

function histogramFigure(title: string, hist: Histogram, color: number): HTMLElement {
  const figure = el('figure');
  const canvas = document.createElement('canvas');
  canvas.className = 'hist';
  canvas.dataset.bins = String(hist.counts.length);
  histograms.set(canvas, { hist, color });
  paintHistogram(canvas);
  const total = hist.counts.reduce((a, b) => a + b, 0);
  const range = `${fmt(hist.edges[0])} … ${fmt(hist.edges[hist.edges.length - 1])}`;
  figure.append(canvas, el('figcaption', 'muted', `${title} · ${count(total, 'value')} · range ${range}`));
  return figure;
}

/** Bars in a chart colour over a baseline, with a tick where zero falls inside the range (weights should centre on it). */
function paintHistogram(canvas: HTMLCanvasElement): void {
  const shown = histograms.get(canvas);
  if (!shown) return;
  const { hist, color } = shown;
  const width = 240;
  const height = 64;
  const { ctx } = hiDpiCanvas(width, height, canvas);
  const n = hist.counts.length;
  const most = Math.max(1, ...hist.counts);
  const bar = width / n;
  ctx.fillStyle = chartColor(color);
  hist.counts.forEach((c, i) => {
    const h = (c / most) * (height - 2);
    ctx.fillRect(i * bar, height - 1 - h, Math.max(1, bar - 1), h);
  });
  // Some themes leave panel borders transparent: a faded foreground keeps the baseline and zero tick visible.
  ctx.strokeStyle = translucent(themeColor('descriptionForeground', '#888'), 0.6);
  ctx.beginPath();
  ctx.moveTo(0, height - 0.5);
  ctx.lineTo(width, height - 0.5);
  const lo = hist.edges[0];
  const hi = hist.edges[n];
  if (lo < 0 && hi > 0) {
    const x = Math.round((-lo / (hi - lo)) * width) + 0.5;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, height);
  }
  ctx.stroke();
}

function channelTable(layer: LayerActivation): HTMLElement {
  const rows = layer.channels.slice(0, 256).map((c, i) => ({
    cells: [String(i), fmt(c.mean), fmt(c.std), `${(c.dead * 100).toFixed(0)}%`],
    className: layer.type === 'relu' && c.dead >= 0.999 ? 'dead' : undefined,
  }));
  return statsTable('Per-channel statistics', ['channel', 'mean', 'std', '≤ 0'], rows);
}

/** D's convolution kernels as small images: one per output filter, its first input channel (the only one on grayscale data at layer 1). */
async function drawFilters(): Promise<void> {
  const section = $('filters');
  section.replaceChildren();
  const convs = graph?.discriminator.layers.filter((l) => l.type === 'conv2d') ?? [];
  for (const conv of convs) {
    const result = await shell.probe({ kind: 'filters', layer: conv.name });
    if (result.kind !== 'filters') continue;
    const [kh, kw, cin, cout] = result.shape;
    const block = el('section', 'layer');
    block.dataset.filters = conv.name;
    block.append(el('h2', undefined, `Filters of ${conv.name} · ${kh}×${kw}, ${cin} in → ${cout} out${cin > 1 ? ' (input channel 0 shown)' : ''}`));
    const maps = el('div', 'maps');
    for (let o = 0; o < Math.min(cout, MAX_CHANNELS); o++) {
      const k = new Float32Array(kh * kw);
      for (let i = 0; i < kh * kw; i++) k[i] = result.data[i * cin * cout + o];
      const m = Math.max(...k.map(Math.abs)) || 1;
      maps.append(pixels(greyCanvas(k, kw, kh, -m, m, 10)));
    }
    block.append(maps);
    section.append(block);
  }
}

function highlight(): void {
  document.querySelectorAll('section.layer.focused').forEach((s) => s.classList.remove('focused'));
  if (!focus) return;
  const section = document.querySelector(`section.layer[data-layer="${CSS.escape(focus)}"]`);
  section?.classList.add('focused');
  section?.scrollIntoView({ block: 'start' });
}

$('network').addEventListener('change', () => void show());
$('source').addEventListener('change', () => void show());
$('image').addEventListener('change', () => void show());
$('run-probe').addEventListener('click', () => void show());
$('random').addEventListener('click', () => {
  ui.seed = Math.floor(Math.random() * 1e9);
  setValue($('source'), 'seed');
  void show();
});
$('pin').addEventListener('click', () => {
  if (!lastInput) return;
  ui.pinned = lastInput;
  setValue($('source'), 'pinned');
  void show();
});

onThemeChange(() => document.querySelectorAll<HTMLCanvasElement>('canvas.hist').forEach(paintHistogram));
syncControls();
shell.ready();
