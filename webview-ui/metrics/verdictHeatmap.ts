// D's verdicts as distributions: one heatmap for real images and one for generated ones, a column per probe snapshot
// under the same steps of the D(x) and D(G(z)) chart, D's output from 0 (bottom) to 1 (top), each cell as strong as the
// share of the probe batch D put in that bin.
import { StepVerdicts } from '../../src/protocol/panels';
import { hiDpiCanvas } from '../common/draw';
import { el } from '../common/dom';
import { mixRgb, rgbOf, themeColor } from '../common/theme';

const ROW_HEIGHT = 110;
/** Room for the output axis on the left and the step labels under each map. */
const AXIS = { left: 70, bottom: 18, top: 6 };

/** Where the chart above draws its steps: its plotting area's left edge and width in CSS pixels, and the steps at its ends. */
export interface StepAxis {
  left: number;
  width: number;
  min: number;
  max: number;
}

/**
 * The section's content for `verdicts`, `width` CSS pixels wide; `colours` are those of the D(x) and D(G(z)) lines.
 * With `axis`, each snapshot's column spans the steps since the one before, under the same steps of the chart above.
 */
export function verdictHeatmaps(verdicts: StepVerdicts[], width: number, colours: { real: string; fake: string }, axis?: StepAxis): HTMLElement[] {
  const latest = verdicts.at(-1);
  const note = el('p', 'muted', latest
    ? `What D's means hide: how D's outputs on the ${sum(latest.real)} real and ${sum(latest.fake)} generated images of each probe batch spread over 0 to 1. A column per probe snapshot, steps ${verdicts[0].step.toLocaleString('en-US')}–${latest.step.toLocaleString('en-US')}; the stronger the colour, the more images in that bin (square-root scale; full colour: half the batch or more).`
    : 'No verdict histograms yet: they come with each probe snapshot (runs recorded before GANscope 0.3.0 have none).');
  if (!latest) return [note];
  const area = axis ?? { left: AXIS.left, width: width - AXIS.left - 8, min: verdicts[0].step, max: latest.step };
  return [note, heatmap('D(x) on real images', verdicts.map((v) => v.real), verdicts, width, area, !axis, colours.real),
    heatmap('D(G(z)) on generated images', verdicts.map((v) => v.fake), verdicts, width, area, !axis, colours.fake)];
}

/** Each column's left and right edge in CSS pixels: by index when `byIndex`, else over the steps since the one before. */
function columnEdges(verdicts: StepVerdicts[], area: StepAxis, byIndex: boolean): [number, number][] {
  if (byIndex) return verdicts.map((_, i) => [area.left + (i * area.width) / verdicts.length, area.left + ((i + 1) * area.width) / verdicts.length]);
  const x = (step: number) => area.left + ((step - area.min) / (area.max - area.min || 1)) * area.width;
  const first = verdicts.length > 1 ? 2 * verdicts[0].step - verdicts[1].step : verdicts[0].step - 1;
  return verdicts.map((v, i) => [x(i > 0 ? verdicts[i - 1].step : first), x(v.step)]);
}

function heatmap(title: string, columns: number[][], verdicts: StepVerdicts[], width: number, area: StepAxis, byIndex: boolean, colour: string): HTMLElement {
  const figure = el('figure', 'verdict-map');
  figure.dataset.columns = String(columns.length);
  const { canvas, ctx } = hiDpiCanvas(width, ROW_HEIGHT + AXIS.top + AXIS.bottom);
  const fg = themeColor('foreground', '#ccc');
  const background = rgbOf(themeColor('editor-background', '#1e1e1e'));
  const ink = rgbOf(colour);
  const plot = { x: area.left, y: AXIS.top, w: area.width, h: ROW_HEIGHT };
  const bins = columns[0].length;
  const cellH = plot.h / bins;
  const edges = columnEdges(verdicts, area, byIndex);
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.x, plot.y, plot.w, plot.h);
  ctx.clip(); // a zoomed chart above shows some of the steps: columns outside them are cut off
  columns.forEach((counts, i) => {
    const total = sum(counts) || 1;
    const [left, right] = edges[i];
    counts.forEach((n, b) => {
      // A square root, so that one image in a bin shows: full colour from half the batch.
      ctx.fillStyle = `rgb(${mixRgb(background, ink, Math.min(1, Math.sqrt((2 * n) / total))).join(',')})`;
      // Bin 0 (outputs near 0) at the bottom; cells overlap by a pixel so no seams show between them.
      ctx.fillRect(left, plot.y + plot.h - (b + 1) * cellH, right - left + 1, cellH + 1);
    });
  });
  ctx.restore();
  ctx.strokeStyle = themeColor('editorWidget-border', themeColor('panel-border', '#8886'));
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
  ctx.fillStyle = fg;
  ctx.font = `11px ${getComputedStyle(document.body).fontFamily}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of [0, 0.5, 1]) ctx.fillText(v.toFixed(1), plot.x - 6, plot.y + plot.h * (1 - v));
  ctx.textBaseline = 'top';
  const step = (n: number) => `step ${Math.round(n).toLocaleString('en-US')}`;
  ctx.textAlign = 'left';
  ctx.fillText(step(area.min), plot.x, plot.y + plot.h + 3);
  ctx.textAlign = 'right';
  ctx.fillText(step(area.max), plot.x + plot.w, plot.y + plot.h + 3);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${title}: histograms of D's output at ${columns.length} probe snapshots`);
  figure.append(el('figcaption', undefined, title), canvas);
  return figure;
}

function sum(counts: number[]): number {
  return counts.reduce((a, b) => a + b, 0);
}
