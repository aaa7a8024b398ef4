// The batch-norm panel: per BN layer and channel, batch vs running statistics and γ/β now, and their drift over time.
import { BatchNormStats, ProbeSnapshot } from '../../src/protocol/probes';
import { count, fmt, hiDpiCanvas } from '../common/draw';
import { byId as $, el, statsTable } from '../common/dom';
import { panelShell, ViewMessage } from '../common/panelShell';
import { chartColor, onThemeChange, rgbOf, themeColor } from '../common/theme';
import { button } from '../common/toolkit';
import { driftColor, DriftPalette } from './driftScale';
import './batchnorm.css';

/**
 * A channel drifts when its batch mean is more than this many running standard deviations from its running mean, or
 * its batch variance is off the running one by more than this factor: then inference (running statistics) sees a
 * different distribution than training did.
 */
const DRIFT_SIGMAS = 0.5;
const VAR_RATIO = 2;
const EPS = 1e-5;

const shell = panelShell<Record<string, never>>({
  title: 'Batch norm',
  header: `<span id="when" class="muted"></span>
    ${button({ id: 'refresh', appearance: 'secondary', title: 'Compute a snapshot now, on a fresh batch', label: 'Snapshot now' })}`,
  body: `
  <p class="muted">Training normalises each channel with the statistics of its batch; inference uses running averages.
  Channels whose batch and running statistics drift apart (batch mean more than ${DRIFT_SIGMAS} running σ away, or variance off by ×${VAR_RATIO}) are marked ⚠.
  The heatmap shows that drift per channel (rows) over the recorded steps (columns).</p>
  <div id="layers"></div>`,
}, onMessage);
let history: ProbeSnapshot[] = [];
let now: ProbeSnapshot | undefined;
let asked = false;

function onMessage(message: ViewMessage): void {
  if (message.type === 'snapshots') {
    history = message.reset ? [...message.snapshots] : [...history, ...message.snapshots];
    if (history.length && (!now || history.at(-1)!.step >= now.step)) now = history.at(-1);
    if (!now && !asked) void snapshotNow();
    draw();
  }
}

async function snapshotNow(): Promise<void> {
  asked = true;
  shell.notice('Computing a snapshot…');
  try {
    const result = await shell.probe({ kind: 'snapshot' });
    if (result.kind === 'snapshot') now = result.snapshot;
    shell.notice('');
    draw();
  } catch (err) {
    shell.notice((err as Error).message);
  }
}

function drift(s: BatchNormStats, c: number): number {
  return Math.abs(s.batchMean[c] - s.runningMean[c]) / Math.sqrt(s.runningVar[c] + EPS);
}

/** How far past the thresholds a channel is: the larger of its mean gap and its variance ratio, each 1 at its threshold. */
function driftScore(s: BatchNormStats, c: number): number {
  const ratio = (s.batchVar[c] + EPS) / (s.runningVar[c] + EPS);
  return Math.max(drift(s, c) / DRIFT_SIGMAS, Math.abs(Math.log(ratio)) / Math.log(VAR_RATIO));
}

function drifting(s: BatchNormStats, c: number): boolean {
  return driftScore(s, c) > 1;
}

function draw(): void {
  const root = $('layers');
  if (!now) return;
  $('when').textContent = `step ${now.step} · ${history.length} recorded snapshot${history.length === 1 ? '' : 's'}`;
  if (!now.batchNorm.length) {
    root.replaceChildren(el('p', 'muted', 'This model has no batch-norm layers.'));
    return;
  }
  root.replaceChildren(...now.batchNorm.map(layerSection));
}

function layerSection(s: BatchNormStats): HTMLElement {
  const channels = s.gamma.length;
  const section = el('section', 'bn-layer');
  section.dataset.layer = s.name;
  section.dataset.channels = String(channels);
  const flagged = Array.from({ length: channels }, (_, c) => c).filter((c) => drifting(s, c));
  const heading = el('h2', undefined, `${s.name} · ${count(channels, 'channel')}`);
  heading.append(el('span', flagged.length ? 'warn' : 'muted', flagged.length ? `  ⚠ ${flagged.length} drifting` : '  no drift'));
  section.append(heading);
  const charts = el('div', 'charts');
  charts.append(
    pairChart('mean: batch ● vs running ○', s.batchMean, s.runningMean, flagged),
    pairChart('variance: batch ● vs running ○', s.batchVar, s.runningVar, flagged),
    pairChart('γ ● and β ○', s.gamma, s.beta, []),
  );
  section.append(charts);
  const series = history.map((h) => h.batchNorm.find((b) => b.name === s.name)).filter((b): b is BatchNormStats => !!b && b.gamma.length === channels);
  if (series.length >= 2) {
    const caption = el('div', 'muted', `Drift score per channel (rows) over steps ${history[0].step}–${history.at(-1)!.step} (columns): `);
    caption.append(legend(), el('span', undefined, ' background = no drift, blue = within the threshold, yellow → red = drifting 1× → ≥ 2× past it.'));
    section.append(caption, heatmap(series, channels));
  }
  section.append(channelTable(s, flagged));
  return section;
}

/** Two values per channel as dots (filled, hollow) along the channel axis, drifting channels shaded. */
function pairChart(title: string, a: number[], b: number[], flagged: number[]): HTMLElement {
  const figure = el('figure');
  const width = 360;
  const height = 120;
  const { canvas, ctx } = hiDpiCanvas(width, height);
  const all = [...a, ...b];
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all);
  const n = a.length;
  const x = (c: number) => 8 + ((c + 0.5) / n) * (width - 16);
  const y = (v: number) => height - 8 - ((v - lo) / (hi - lo || 1)) * (height - 16);
  ctx.fillStyle = themeColor('editorWarning-foreground', '#cca700');
  ctx.globalAlpha = 0.2;
  for (const c of flagged) ctx.fillRect(x(c) - (width - 16) / n / 2, 0, (width - 16) / n, height);
  ctx.globalAlpha = 1;
  ctx.strokeStyle = themeColor('panel-border', '#8884');
  ctx.beginPath();
  ctx.moveTo(0, y(0));
  ctx.lineTo(width, y(0));
  ctx.stroke();
  const r = Math.max(1.5, Math.min(4, (width / n) * 0.3));
  for (let c = 0; c < n; c++) {
    ctx.fillStyle = chartColor(0);
    ctx.beginPath();
    ctx.arc(x(c), y(a[c]), r, 0, 2 * Math.PI);
    ctx.fill();
    ctx.strokeStyle = chartColor(1);
    ctx.beginPath();
    ctx.arc(x(c), y(b[c]), r + 1, 0, 2 * Math.PI);
    ctx.stroke();
  }
  // The caption goes above its chart: below, it would read as the title of the chart under it.
  figure.append(el('figcaption', 'muted', `${title} · range ${fmt(lo)} … ${fmt(hi)}`), canvas);
  return figure;
}

/** Channels × recorded steps, brighter = larger drift score; full colour at twice the threshold, so outliers do not wash out the rest. */
function heatmap(series: BatchNormStats[], channels: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = series.length;
  canvas.height = channels;
  const cell = Math.max(2, Math.min(12, Math.floor(720 / series.length)));
  const rowPx = Math.max(2, Math.min(8, Math.floor(240 / channels)));
  canvas.style.width = `${series.length * cell}px`;
  canvas.style.height = `${channels * rowPx}px`;
  canvas.classList.add('pixels', 'heatmap');
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(series.length, channels);
  const colors = palette();
  series.forEach((s, t) => {
    for (let c = 0; c < channels; c++) {
      const i = (c * series.length + t) * 4;
      image.data.set(driftColor(driftScore(s, c), colors), i);
      image.data[i + 3] = 255;
    }
  });
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function palette(): DriftPalette {
  return {
    background: rgbOf(themeColor('editor-background', '#1e1e1e')),
    calm: rgbOf(chartColor(0)),
    warn: rgbOf(themeColor('charts-yellow', '#cca700')),
    hot: rgbOf(themeColor('charts-red', '#f14c4c')),
  };
}

/** The heatmap's scale, drift score 0 to 2.5, as a small bar. */
function legend(): HTMLCanvasElement {
  const steps = 50;
  const canvas = document.createElement('canvas');
  canvas.width = steps;
  canvas.height = 1;
  canvas.classList.add('pixels', 'legend');
  const ctx = canvas.getContext('2d')!;
  const image = ctx.createImageData(steps, 1);
  const colors = palette();
  for (let i = 0; i < steps; i++) {
    image.data.set(driftColor((i / (steps - 1)) * 2.5, colors), i * 4);
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function channelTable(s: BatchNormStats, flagged: number[]): HTMLElement {
  const headings = ['channel', 'batch mean', 'running mean', 'batch var', 'running var', 'γ', 'β', 'mean gap', 'drift score'];
  const rows = s.gamma.map((_, c) => ({
    cells: [String(c), fmt(s.batchMean[c]), fmt(s.runningMean[c]), fmt(s.batchVar[c]), fmt(s.runningVar[c]), fmt(s.gamma[c]), fmt(s.beta[c]), `${fmt(drift(s, c), 2)}σ`, `${flagged.includes(c) ? '⚠ ' : ''}${fmt(driftScore(s, c), 2)}`],
    className: flagged.includes(c) ? 'channel drifting' : 'channel',
  }));
  return statsTable('Per-channel values', headings, rows);
}

$('refresh').addEventListener('click', () => void snapshotNow());
onThemeChange(draw);
shell.ready();
