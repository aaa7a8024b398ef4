// VS Code theme colours for canvases and charts, read at draw time, and a hook for theme switches.

/** A `--vscode-*` colour of the current theme (e.g. `editor-foreground`), or `fallback` when the theme has none. */
export function themeColor(name: string, fallback = '#888'): string {
  return getComputedStyle(document.body).getPropertyValue(`--vscode-${name}`).trim() || fallback;
}

/** The body's theme class changes (vscode-light, vscode-dark, vscode-high-contrast) when the user switches themes. */
export function onThemeChange(redraw: () => void): void {
  new MutationObserver(redraw).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

export function isHighContrast(): boolean {
  return document.body.classList.contains('vscode-high-contrast');
}

/** Two theme-aware line colours per index, from the chart palette VS Code themes define. */
const CHART_COLORS = ['charts-blue', 'charts-orange', 'charts-green', 'charts-red', 'charts-purple', 'charts-yellow'];
const CHART_FALLBACKS = ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7', '#cca700'];

export function chartColor(i: number): string {
  const k = i % CHART_COLORS.length;
  return opaque(themeColor(CHART_COLORS[k], CHART_FALLBACKS[k]));
}

/** Some themes give chart colours an alpha (VS Code derives charts.orange from a minimap highlight): lines need them solid. */
function opaque(color: string): string {
  const hex = /^#([0-9a-f]{6})[0-9a-f]{2}$/i.exec(color);
  if (hex) return `#${hex[1]}`;
  const rgba = /^rgba\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,/i.exec(color);
  return rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : color;
}

/** `color` at `alpha` opacity (hex or rgb() colours; anything else as it is): for grid lines under the data. */
export function translucent(color: string, alpha: number): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  const hex = short ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}` : color;
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex);
  if (long) return `rgba(${long.slice(1).map((h) => parseInt(h, 16)).join(', ')}, ${alpha})`;
  const rgb = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/i.exec(color);
  return rgb ? `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})` : color;
}

/** A hex or rgb() colour as its red, green and blue components (grey for anything else). */
export function rgbOf(color: string): number[] {
  const hex = /^#([0-9a-f]{6})/i.exec(color);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  const rgb = /(\d+)\D+(\d+)\D+(\d+)/.exec(color);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : [128, 128, 128];
}

/** The components `t` of the way from `from` to `to` (0 … 1), rounded. */
export function mixRgb(from: number[], to: number[], t: number): number[] {
  return from.map((c, i) => Math.round(c + (to[i] - c) * t));
}
