// D's verdicts as distributions: one heatmap for real images and one for generated ones, a column per probe snapshot,
// D's output from 0 (bottom) to 1 (top), each cell as strong as the share of the probe batch D put in that bin.
import { StepVerdicts } from '../../src/protocol/panels';
import { hiDpiCanvas } from '../common/draw';
import { el } from '../common/dom';
import { mixRgb, rgbOf, themeColor } from '../common/theme';

const ROW_HEIGHT = 110;
/** Room for the output axis on the left and the step labels under each map. */
const AXIS = { left: 70, bottom: 18, top: 6 };

/** The section's content for `verdicts`, `width` CSS pixels wide; `colours` are those of the D(x) and D(G(z)) lines. */
export function verdictHeatmaps(verdicts: StepVerdicts[], width: number, colours: { real: string; fake: string }): HTMLElement[] {
  const latest = verdicts.at(-1);
  const note = el('p', 'muted', latest
    ? `What D's means hide: how D's outputs on the ${sum(latest.real)} real and ${sum(latest.fake)} generated images of each probe batch spread over 0 to 1. A column per probe snapshot, steps ${verdicts[0].step.toLocaleString('en-US')}–${latest.step.toLocaleString('en-US')}; the stronger the colour, the more images in that bin (full colour: half the batch or more).`
    : 'No verdict histograms yet: they come with each probe snapshot (runs recorded before GANscope 0.3.0 have none).');
  if (!latest) return [note];
  return [note, heatmap('D(x) on real images', verdicts.map((v) => v.real), verdicts, width, colours.real),
    heatmap('D(G(z)) on generated images', verdicts.map((v) => v.fake), verdicts, width, colours.fake)];
}

function heatmap(title: string, columns: number[][], verdicts: StepVerdicts[], width: number, colour: string): HTMLElement {
  const figure = el('figure', 'verdict-map');
  figure.dataset.columns = String(columns.length);
  const { canvas, ctx } = hiDpiCanvas(width, ROW_HEIGHT + AXIS.top + AXIS.bottom);
  const fg = themeColor('foreground', '#ccc');
  const background = rgbOf(themeColor('editor-background', '#1e1e1e'));
  const ink = rgbOf(colour);
  const plot = { x: AXIS.left, y: AXIS.top, w: width - AXIS.left - 8, h: ROW_HEIGHT };
  const bins = columns[0].length;
  const cellW = plot.w / columns.length;
  const cellH = plot.h / bins;
  columns.forEach((counts, i) => {
    const total = sum(counts) || 1;
    counts.forEach((n, b) => {
      ctx.fillStyle = `rgb(${mixRgb(background, ink, Math.min(1, (2 * n) / total)).join(',')})`;
      // Bin 0 (outputs near 0) at the bottom; cells overlap by a pixel so no seams show between them.
      ctx.fillRect(plot.x + i * cellW, plot.y + plot.h - (b + 1) * cellH, cellW + 1, cellH + 1);
    });
  });
  ctx.strokeStyle = themeColor('editorWidget-border', themeColor('panel-border', '#8886'));
  ctx.strokeRect(plot.x + 0.5, plot.y + 0.5, plot.w - 1, plot.h - 1);
  ctx.fillStyle = fg;
  ctx.font = `11px ${getComputedStyle(document.body).fontFamily}`;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of [0, 0.5, 1]) ctx.fillText(v.toFixed(1), plot.x - 6, plot.y + plot.h * (1 - v));
  ctx.textBaseline = 'top';
  const stepAt = (i: number) => verdicts[i].step.toLocaleString('en-US');
  ctx.textAlign = 'left';
  ctx.fillText(`step ${stepAt(0)}`, plot.x, plot.y + plot.h + 3);
  ctx.textAlign = 'right';
  ctx.fillText(`step ${stepAt(verdicts.length - 1)}`, plot.x + plot.w, plot.y + plot.h + 3);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${title}: histograms of D's output at ${columns.length} probe snapshots`);
  figure.append(el('figcaption', undefined, title), canvas);
  return figure;
}

function sum(counts: number[]): number {
  return counts.reduce((a, b) => a + b, 0);
}
