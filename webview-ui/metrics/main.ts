// The metrics panel: every series the run logs (losses, D outputs, gradient norms, learning rates, scores, …), one
// uPlot chart per group. Lines are thinned to their chart's pixels before uPlot sees them (decimate.ts), so a live
// update costs the same at 100,000 steps as at 1,000.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { byId as $, el } from '../common/dom';
import { panelShell, ViewMessage } from '../common/panelShell';
import { chartColor, isHighContrast, onThemeChange, themeColor, translucent } from '../common/theme';
import { Finding } from '../../src/protocol/findings';
import { ComparedGrid, PanelRun, RunChange, Series, StepVerdicts } from '../../src/protocol/panels';
import { REAL_MNIST_SCORES, SCORE_AXES, scoreAxisOf, SCORES_GROUP } from '../../src/protocol/scoreAxes';
import { AlignedLines } from './aligned';
import { changeLabel, drawChangeMarkers, drawFindingMarkers } from './changeMarkers';
import { Columns, decimate } from './decimate';
import { tickLabels } from './ticks';
import { StepAxis, verdictHeatmaps } from './verdictHeatmap';
import './metrics.css';

const CHART_HEIGHT = 220;
/** Charts top to bottom, what a person checks first at the top; groups not listed go last. */
const OUTPUTS_GROUP = 'D(x) and D(G(z))';
const VERDICTS_GROUP = 'D\'s verdicts as distributions';
const GROUP_ORDER = ['Losses', OUTPUTS_GROUP, VERDICTS_GROUP, 'Scores', 'Gradient norms per layer', 'Weight norms per layer', 'Learning rates', 'Other logged values', 'Images per second'];
/** Score charts sit together where 'Scores' is listed, in SCORE_AXES order (those no axis names after them). */
const rank = (group: string) => {
  const axis = scoreAxisOf(group);
  if (group.startsWith(`${SCORES_GROUP} · `)) return GROUP_ORDER.indexOf(SCORES_GROUP) + (axis ? SCORE_AXES.indexOf(axis) + 1 : SCORE_AXES.length + 1) / (SCORE_AXES.length + 2);
  return GROUP_ORDER.includes(group) ? GROUP_ORDER.indexOf(group) : GROUP_ORDER.length;
};
/** Groups whose values span decades: drawn on a log scale. */
const LOG_GROUPS = /norm/i;

const shell = panelShell<Record<string, never>>({
  title: 'Metrics',
  header: '<span id="count" class="muted"></span>',
  body: `
  <p class="muted">Drag across a chart to zoom into steps, double-click to zoom out; click a legend entry to hide its line.</p>
  <p id="scores-note" class="muted" hidden></p>
  <ul id="changes" class="muted" hidden></ul>
  <ul id="findings" class="muted" hidden></ul>
  <section id="grids" hidden>
    <label>Grids at step <input id="grid-step" type="range" min="0" max="0" step="1" value="0"> <span id="grid-step-label"></span></label>
    <div id="grid-row" class="grid-row"></div>
  </section>
  <div id="charts"></div>`,
}, onMessage);
/** Every value logged so far, by chart group, at full resolution. */
const lines = new Map<string, AlignedLines>();
/**
 * The uPlot charts, by group; `zoom` is the step window the user dragged, absent when the whole run shows, and `detail`
 * its lines at the finer resolution the host sent for it (the host keeps long runs thinned).
 */
const charts = new Map<string, { plot: uPlot; names: string[]; box: HTMLElement; zoom?: { min: number; max: number }; detail?: AlignedLines }>();
/** How long a zoom must stay before the host is asked for its points: a drag that keeps moving asks once. */
const DETAIL_DELAY_MS = 150;
const detailTimers = new Map<string, ReturnType<typeof setTimeout>>();
/** Groups whose chart needs new data: those the last pushes touched, or whose zoom changed. */
const stale = new Set<string>();
let drawScheduled = false;
let run: PanelRun | undefined;
/** Where the run's settings changed mid-run, oldest first: dashed lines on every chart. */
let changes: RunChange[] = [];
/** The doctor's findings on this run: dashed lines where each was first seen. */
let findings: Finding[] = [];
/** A comparison's steps with grids, for the slider under the header. */
let gridSteps: number[] = [];
/** The histograms of D's outputs of each probe snapshot that has them, oldest first. */
let verdicts: StepVerdicts[] = [];

function onMessage(message: ViewMessage): void {
  if (message.type === 'run') {
    run = message.run;
    noteScores();
  } else if (message.type === 'series') {
    if (message.reset) {
      setChanges([]);
      lines.clear();
      for (const group of charts.keys()) removeChart(group);
    }
    for (const s of message.series) {
      let group = lines.get(s.group);
      if (!group) lines.set(s.group, (group = new AlignedLines()));
      group.append(s.name, s.steps, s.values);
      stale.add(s.group);
    }
    scheduleDraw();
  } else if (message.type === 'seriesDetail') {
    takeDetail(message.group, message.from, message.to, message.series);
  } else if (message.type === 'changes') {
    setChanges(message.reset ? message.changes : [...changes, ...message.changes]);
  } else if (message.type === 'findings') {
    setFindings(message.findings);
  } else if (message.type === 'grids') {
    showGrids(message.step, message.steps, message.grids);
  } else if (message.type === 'verdicts') {
    verdicts = message.reset ? message.verdicts : verdicts.concat(message.verdicts);
    drawVerdicts();
  }
}

/** The verdict heatmaps, under the D(x) and D(G(z)) chart, in that chart's line colours. */
function drawVerdicts(): void {
  let box = document.querySelector<HTMLElement>('section.verdicts');
  if (!box) {
    box = el('section', 'chart verdicts');
    box.dataset.group = VERDICTS_GROUP;
    const after = [...$('charts').children].find((c) => rank((c as HTMLElement).dataset.group ?? '') > rank(VERDICTS_GROUP));
    $('charts').insertBefore(box, after ?? null);
  }
  box.dataset.snapshots = String(verdicts.length);
  box.replaceChildren(el('h2', undefined, VERDICTS_GROUP), ...verdictHeatmaps(verdicts, chartWidth(), { real: chartColor(0), fake: chartColor(1) }, outputsAxis(box)));
}

/** The plotting area and step range of the D(x) and D(G(z)) chart, relative to `box`, once the chart is drawn. */
function outputsAxis(box: HTMLElement): StepAxis | undefined {
  const plot = charts.get(OUTPUTS_GROUP)?.plot;
  const { min, max } = plot?.scales.x ?? {};
  if (!plot || min == null || max == null || max <= min) return undefined;
  const area = plot.over.getBoundingClientRect();
  return area.width > 0 ? { left: area.left - box.getBoundingClientRect().left, width: area.width, min, max } : undefined;
}

function setFindings(next: Finding[]): void {
  findings = next;
  const list = $('findings');
  list.hidden = !findings.length;
  list.replaceChildren(...findings.map((f) => el('li', `finding ${f.severity}`, `${f.severity} at step ${f.step}: ${f.summary}`)));
  for (const chart of charts.values()) chart.plot.redraw(false, false);
}

/** A comparison: each run's grid at the chosen step, side by side, and the slider over the steps that have grids. */
function showGrids(step: number, steps: number[], grids: ComparedGrid[]): void {
  gridSteps = steps;
  $('grids').hidden = false;
  const slider = $<HTMLInputElement>('grid-step');
  slider.max = String(Math.max(0, steps.length - 1));
  slider.value = String(Math.max(0, steps.indexOf(step)));
  $('grid-step-label').textContent = String(step);
  $('grid-row').replaceChildren(...grids.map((g) => {
    const figure = el('figure');
    if (g.uri) {
      const img = el('img');
      img.src = g.uri;
      img.alt = `${g.label}: generated samples at step ${g.step}`;
      figure.append(img);
    }
    figure.append(el('figcaption', 'muted', g.step === undefined ? `${g.label}: no grid yet` : `${g.label} · step ${g.step}`));
    return figure;
  }));
}

$<HTMLInputElement>('grid-step').addEventListener('input', (e) => {
  const step = gridSteps[Number((e.target as HTMLInputElement).value)];
  if (step !== undefined) shell.post({ type: 'sample', step });
});

/** The markers and their list under the header (full names there; the chart labels are short). */
function setChanges(next: RunChange[]): void {
  changes = next;
  const list = $('changes');
  list.hidden = !changes.length;
  list.replaceChildren(...changes.map((c) => el('li', undefined, `Changed at ${changeLabel(c, false)}`)));
  for (const chart of charts.values()) chart.plot.redraw(false, false);
}

/** Draws once per animation frame however many pushes arrived. */
function scheduleDraw(): void {
  if (drawScheduled) return;
  drawScheduled = true;
  requestAnimationFrame(() => {
    drawScheduled = false;
    draw();
  });
}

function draw(): void {
  for (const group of stale) {
    const aligned = lines.get(group);
    if (!aligned) continue;
    let chart = charts.get(group);
    if (chart && chart.names.join('\n') !== aligned.names.join('\n')) {
      removeChart(group);
      chart = undefined;
    }
    if (!chart) {
      const box = el('section', 'chart');
      box.dataset.group = group;
      box.append(el('h2', undefined, group));
      const axis = scoreAxisOf(group);
      if (axis) box.append(el('p', 'muted', `${axis.better}${references(aligned.names).length ? ' · dashed: 1,000 real MNIST digits scored the same way' : ''}`));
      const after = [...$('charts').children].find((c) => rank((c as HTMLElement).dataset.group ?? '') > rank(group));
      $('charts').insertBefore(box, after ?? null);
      const names = [...aligned.names];
      const plot = new uPlot(options(group, names), withReferences(decimate(aligned.columns, buckets()), names), box);
      chart = { plot, names, box };
      charts.set(group, chart);
    } else if (chart.zoom) {
      // Keep the user's zoom: new data without rescaling, then the same window again (which redraws).
      const source = chart.detail ?? aligned;
      chart.plot.setData(withReferences(decimate(source.columns, buckets(chart.plot), chart.zoom), chart.names), false);
      chart.plot.setScale('x', chart.zoom);
    } else chart.plot.setData(withReferences(decimate(aligned.columns, buckets(chart.plot)), chart.names));
    chart.box.dataset.points = String(aligned.columns[0].length);
    chart.box.dataset.drawn = String(chart.plot.data[0].length);
  }
  stale.clear();
  const steps = lines.get(GROUP_ORDER[0])?.columns[0].length ?? 0;
  const count = [...lines.values()].reduce((n, l) => n + l.names.length, 0);
  $('count').textContent = steps ? `${steps.toLocaleString('en-US')} steps · ${count} series` : '';
  if (!lines.size) shell.notice('No metrics yet: they appear with the first training steps.');
  else if (shell.noticeText().startsWith('No metrics')) shell.notice('');
  noteScores();
}

/** Until the first score is charted, says when it comes (or that this run has none), so an absent chart is not a puzzle. */
function noteScores(): void {
  const note = $('scores-note');
  const scored = [...lines.keys()].some((g) => g.startsWith(SCORES_GROUP));
  note.hidden = scored || !run || run.scoreEvery === undefined;
  if (note.hidden || !run) return;
  const every = run.scoreEvery ?? 0;
  note.textContent = every === 0
    ? 'This run computes no scores (its images are not 28×28 one-channel, or its scoreEvery is 0).'
    : `Scores (Inception Score, Fréchet distance, sliced Wasserstein distance) come every ${every.toLocaleString('en-US')} steps: the first at step ${every.toLocaleString('en-US')}; this run is at step ${run.step.toLocaleString('en-US')}.`;
}

/** The real-data scores of a chart's lines, for MNIST runs (the per-scale SWDs share the mean's, to keep the chart legible). */
function references(names: string[]): { name: string; value: number }[] {
  if (run?.dataset !== 'mnist') return [];
  return names.filter((n) => REAL_MNIST_SCORES[n] !== undefined && !/^swd\d+$/.test(n)).map((n) => ({ name: n, value: REAL_MNIST_SCORES[n] }));
}

/** A chart's data with one flat column per real-data reference, after its lines. */
function withReferences(data: Columns, names: string[]): Columns {
  return [...data, ...references(names).map((r) => data[0].map(() => r.value))];
}

function removeChart(group: string): void {
  const chart = charts.get(group);
  if (!chart) return;
  chart.plot.destroy();
  chart.box.remove();
  charts.delete(group);
}

/** Buckets for decimation: one per horizontal CSS pixel of the plotting area. */
function buckets(plot?: uPlot): number {
  return Math.max(50, Math.round(plot?.over.clientWidth || chartWidth()));
}

/** A drag or a double-click changed a chart's step window: thin its lines again for the new window. */
function onScale(group: string, plot: uPlot): void {
  const chart = charts.get(group);
  const xs = lines.get(group)?.columns[0];
  const { min, max } = plot.scales.x;
  if (!chart || !xs?.length || min == null || max == null) return;
  const whole = min <= xs[0] && max >= xs[xs.length - 1];
  const zoom = whole ? undefined : { min, max };
  if (zoom?.min === chart.zoom?.min && zoom?.max === chart.zoom?.max) return;
  chart.zoom = zoom;
  chart.detail = undefined;
  clearTimeout(detailTimers.get(group));
  if (zoom) detailTimers.set(group, setTimeout(() => shell.post({ type: 'seriesRange', group, from: Math.floor(zoom.min), to: Math.ceil(zoom.max) }), DETAIL_DELAY_MS));
  stale.add(group);
  scheduleDraw();
}

/** The host's points of a zoomed chart: drawn in place of its thinned lines while the zoom is the one they were asked for. */
function takeDetail(group: string, from: number, to: number, series: Series[]): void {
  const chart = charts.get(group);
  if (!chart?.zoom || Math.floor(chart.zoom.min) !== from || Math.ceil(chart.zoom.max) !== to) return;
  const detail = new AlignedLines();
  for (const name of chart.names) {
    const s = series.find((l) => l.name === name);
    detail.append(name, s?.steps ?? [], s?.values ?? []);
  }
  chart.detail = detail;
  stale.add(group);
  scheduleDraw();
}

function options(group: string, names: string[]): uPlot.Options {
  const fg = themeColor('foreground', '#ccc');
  // High contrast themes make every border full strength: grid lines as bright as the data hide it, so they are dimmed
  // there, and the data lines drawn wider.
  const hc = isHighContrast();
  const border = themeColor('editorWidget-border', themeColor('panel-border', '#8883'));
  const grid = hc ? translucent(themeColor('contrastBorder', border), 0.3) : border;
  const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const scored = group.startsWith(SCORES_GROUP);
  return {
    width: chartWidth(),
    height: CHART_HEIGHT,
    scales: { x: { time: false }, y: LOG_GROUPS.test(group) ? { distr: 3 } : {} },
    axes: [{ ...axis, label: 'step', labelSize: 20 }, { ...axis, size: 70, values: (_plot, splits) => tickLabels(splits) }],
    series: [
      { label: 'step' },
      // Scores come every few hundred steps: their points show where each one was taken.
      ...names.map((name, i) => ({ label: name, stroke: chartColor(i), width: hc ? 2 : 1.5, spanGaps: true, points: { show: scored } })),
      ...references(names).map((r) => ({ label: `${r.name} of real digits`, stroke: chartColor(names.indexOf(r.name)), width: 1, dash: [6, 4], points: { show: false } })),
    ],
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    hooks: {
      setScale: [(plot, key) => key === 'x' && onScale(group, plot)],
      draw: [(plot) => {
        drawChangeMarkers(plot, changes, themeColor('editorWarning-foreground', '#cca700'));
        drawFindingMarkers(plot, findings, themeColor('editorError-foreground', '#f14c4c'));
        // The heatmaps follow this chart's steps as it grows or is zoomed.
        if (group === OUTPUTS_GROUP && verdicts.length) drawVerdicts();
      }],
    },
  };
}

function chartWidth(): number {
  return Math.max(320, document.body.clientWidth - 40);
}

/** A theme switch changes every colour: the charts are made again with the new ones. */
function rebuild(): void {
  for (const group of [...charts.keys()]) removeChart(group);
  for (const group of lines.keys()) stale.add(group);
  draw();
  if (verdicts.length) drawVerdicts();
}

window.addEventListener('resize', () => {
  for (const [group, chart] of charts) {
    chart.plot.setSize({ width: chartWidth(), height: CHART_HEIGHT });
    stale.add(group); // a new width, a new number of buckets
  }
  scheduleDraw();
});
onThemeChange(rebuild);
shell.ready();
