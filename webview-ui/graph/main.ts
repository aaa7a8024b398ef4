// The model graph panel: G and D as columns of layer boxes, coloured by each layer's latest gradient norm.
import { LayerInfo, ModelGraph, NetworkInfo, ProbeSnapshot } from '../../src/protocol/probes';
import { fmt } from '../common/draw';
import { byId } from '../common/dom';
import { panelShell, ViewMessage } from '../common/panelShell';
import { mixRgb, onThemeChange, rgbOf, themeColor } from '../common/theme';
import './graph.css';

const shell = panelShell<Record<string, never>>({
  title: 'Model graph',
  header: '<span id="summary" class="muted"></span>',
  body: `
  <p class="muted">Each box is one layer: its type, output shape (without the batch axis) and trainable parameters.
  Boxes with weights are coloured by the norm of their last gradient (log scale), so vanishing or exploding gradients stand out. Click a layer to see its activations.</p>
  <div id="legend"></div>
  <svg id="graph" role="img" aria-label="Generator and discriminator layers"></svg>`,
}, onMessage);
let graph: ModelGraph | undefined;
let snapshot: ProbeSnapshot | undefined;

function onMessage(message: ViewMessage): void {
  if (message.type === 'graph') {
    graph = message.graph;
    shell.notice('');
    draw();
  } else if (message.type === 'snapshots' && message.snapshots.length) {
    snapshot = message.snapshots.at(-1);
    draw();
  }
}

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 300;
const BOX_H = 50;
const GAP = 16;
const COL_GAP = 60;
const TOP = 36;

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

/** log10 of each trainable layer's gradient norm in the latest snapshot. */
function gradLogs(): Map<string, number> {
  const logs = new Map<string, number>();
  for (const l of snapshot?.layers ?? []) if (l.gradNorm > 0) logs.set(l.name, Math.log10(l.gradNorm));
  return logs;
}

/** Blue for the smallest gradient norms, red for the largest, mixed in between (theme chart colours). */
function heat(t: number): string {
  const lo = rgbOf(themeColor('charts-blue', '#3794ff'));
  const hi = rgbOf(themeColor('charts-red', '#f14c4c'));
  return `rgb(${mixRgb(lo, hi, t).join(',')})`;
}

function draw(): void {
  if (!graph) return;
  const svg = byId('graph');
  svg.replaceChildren();
  const logs = gradLogs();
  const values = [...logs.values()];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const networks = [graph.generator, graph.discriminator];
  const rows = Math.max(...networks.map((n) => n.layers.length)) + 1;
  const width = 2 * BOX_W + COL_GAP + 20;
  const height = TOP + rows * (BOX_H + GAP) + 10;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  networks.forEach((network, col) => drawNetwork(svg, network, 10 + col * (BOX_W + COL_GAP), logs, min, max));
  const total = (n: NetworkInfo) => n.layers.reduce((s, l) => s + l.params, 0).toLocaleString('en-US');
  byId('summary').textContent =
    `${graph.preset} · G ${total(graph.generator)} params · D ${total(graph.discriminator)} params` +
    (graph.growth ? ` · growing: ${graph.growth.resolution}×${graph.growth.resolution}, α ${graph.growth.alpha.toFixed(2)}` : '');
  drawLegend(values.length ? { min, max, step: snapshot!.step } : undefined);
}

function drawNetwork(svg: Element, network: NetworkInfo, x: number, logs: Map<string, number>, min: number, max: number): void {
  const title = network.name === 'generator' ? 'Generator G(z)' : 'Discriminator D(x)';
  const heading = svgEl('text', { x, y: 20, class: 'heading' }, svg);
  heading.textContent = title;
  const input = network.name === 'generator' ? `z ∈ ℝ^${network.inputShape.join('×')}` : `image ${network.inputShape.join('×')}`;
  const boxes: { info?: LayerInfo; label: string }[] = [{ label: input }, ...network.layers.map((info) => ({ info, label: info.name }))];
  boxes.forEach((box, i) => {
    const y = TOP + i * (BOX_H + GAP);
    if (i > 0) svgEl('line', { x1: x + BOX_W / 2, y1: y - GAP, x2: x + BOX_W / 2, y2: y, class: 'edge' }, svg);
    const g = svgEl('g', { class: box.info ? 'layer' : 'input', tabindex: box.info ? 0 : -1 }, svg);
    const rect = svgEl('rect', { x, y, width: BOX_W, height: BOX_H, rx: 4 }, g);
    if (!box.info) {
      const t = svgEl('text', { x: x + 10, y: y + 30, class: 'type' }, g);
      t.textContent = box.label;
      return;
    }
    const info = box.info;
    g.dataset.layer = info.name;
    const log = logs.get(info.name);
    if (log !== undefined) {
      // CSSOM, not the fill attribute: the stylesheet's theme fill would override a presentation attribute.
      rect.style.fill = heat(max > min ? (log - min) / (max - min) : 0.5);
      rect.classList.add('graded');
    }
    const name = svgEl('text', { x: x + 10, y: y + 20, class: 'type' }, g);
    name.textContent = `${info.type}${info.detail ? ` · ${info.detail}` : ''}`;
    const shape = svgEl('text', { x: x + 10, y: y + 38, class: 'meta' }, g);
    shape.textContent = `→ ${info.outputShape.join('×')}   ${info.params.toLocaleString('en-US')} params${log !== undefined ? `   ∇ ${fmt(10 ** log)}` : ''}`;
    const tip = svgEl('title', {}, g);
    tip.textContent = `${info.name}: click to see its activations`;
    g.addEventListener('click', () => shell.post({ type: 'openLayer', layer: info.name }));
    g.addEventListener('keydown', (e) => (e as KeyboardEvent).key === 'Enter' && shell.post({ type: 'openLayer', layer: info.name }));
  });
}

function drawLegend(range?: { min: number; max: number; step: number }): void {
  const legend = byId('legend');
  legend.replaceChildren();
  if (!range) {
    legend.textContent = 'Gradient colours appear with the first probe snapshot (every few dozen steps while training).';
    legend.className = 'muted';
    return;
  }
  legend.className = 'legend';
  const lo = document.createElement('span');
  lo.textContent = `‖∇‖ ${fmt(10 ** range.min)}`;
  const bar = document.createElement('canvas');
  bar.width = 160;
  bar.height = 10;
  const ctx = bar.getContext('2d')!;
  for (let i = 0; i < 160; i++) {
    ctx.fillStyle = heat(i / 159);
    ctx.fillRect(i, 0, 1, 10);
  }
  const hi = document.createElement('span');
  hi.textContent = `${fmt(10 ** range.max)}  (log scale, step ${range.step})`;
  legend.append(lo, bar, hi);
}

onThemeChange(draw);
shell.ready();
