// Markers on the metrics charts where a run's settings changed mid-run (its `.gan.json` saved while it trained).
import type uPlot from 'uplot';
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
  if (!changes.length) return;
  const { ctx } = plot;
  const { left, top, width, height } = plot.bbox;
  const dpr = window.devicePixelRatio || 1;
  ctx.save();
  ctx.strokeStyle = color;
  ctx.fillStyle = color;
  ctx.lineWidth = dpr;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  ctx.font = `${11 * dpr}px sans-serif`;
  changes.forEach((change, i) => {
    const x = plot.valToPos(change.step, 'x', true);
    if (!(x >= left && x <= left + width)) return;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
    // Labels step down the chart so that neighbouring changes do not overwrite each other.
    ctx.fillText(changeLabel(change), x + 3 * dpr, top + (12 + 12 * (i % 3)) * dpr);
  });
  ctx.restore();
}
