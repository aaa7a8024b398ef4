// A small line chart as SVG markup: the Health section's and the Diagnosis panel's evidence charts.

/** A polyline of `values` across a `width`×`height` box, scaled to their own range; empty for fewer than two values. */
export function sparkline(values: readonly number[], width: number, height: number, className = 'spark'): string {
  if (values.length < 2) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const x = (i: number) => (i / (values.length - 1)) * width;
  const y = (v: number) => height - 1 - ((v - min) / (max - min || 1)) * (height - 2);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return `<svg class="${className}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label="trend from ${fmtShort(values[0])} to ${fmtShort(values[values.length - 1])}"><polyline points="${points}"/></svg>`;
}

function fmtShort(v: number): string {
  return Number(v.toPrecision(3)).toString();
}
