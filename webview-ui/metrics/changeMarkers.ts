// Markers on the metrics charts: where a run's settings changed mid-run (its `.gan.json` saved while it trained), and
// where the doctor first saw each finding.
import type uPlot from 'uplot';
import { Finding } from '../../src/protocol/findings';
import { RunChange } from '../../src/protocol/panels';

/** `optimizer.discriminator.learningRate` → `discriminator.learningRate`: enough to tell on a chart. */
const shortKey = (key: string) => key.split('.').slice(-2).join('.');

/** What a marker says on the chart: `step 120: discriminator.learningRate 0.0001`. */
export function changeLabel(change: RunChange, short = true): string {
  const what = Object.entries(change.changed).map(([k, v]) => `${short ? shortKey(k) : k} ${String(v)}`).join(', ');
  return `step ${change.step}: ${what}`;
}

/** Draws a dashed vertical line and its label at each change inside the chart's step window. */
export function drawChangeMarkers(plot: uPlot, changes: RunChange[], color: string): void {
  drawMarkers(plot, changes.map((c) => ({ step: c.step, label: changeLabel(c) })), color, 0);
}

/** The doctor's findings, marked where each was first seen, labelled below the change markers' rows. */
export function drawFindingMarkers(plot: uPlot, findings: Finding[], color: string): void {
  drawMarkers(plot, findings.map((f) => ({ step: f.step, label: `step ${f.step}: ${f.kind}` })), color, 3);
}

/** Dashed vertical lines with labels; `row` is the first of the three label rows this kind of marker uses. */
function drawMarkers(plot: uPlot, marks: { step: number; label: string }[], color: string, row: number): void {
  if (!marks.length) return;
  const { ctx } = plot;
  const { left, top, width, height } = plot.bbox;
  const dpr = window.devicePixelRatio || 1;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = dpr;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  ctx.font = `${11 * dpr}px sans-serif`;
  marks.forEach((mark, i) => {
    const x = plot.valToPos(mark.step, 'x', true);
    if (!(x >= left && x <= left + width)) return;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // Labels step down the chart so that neighbouring markers do not overwrite each other.
    ctx.fillText(mark.label, x + 3 * dpr, top + (12 + 12 * (row + (i % 3))) * dpr);
  });
  ctx.restore();
}
