// How a live update of the metrics panel scales with the run's length: the built panel (out/webview/metrics.js) in
// headless Chromium, one page holding 1,000 steps and one holding 100,000, the same live pushes sent to each in turn.
// Reports the median cost of an update on each and their ratio, measured in the same run (1.0 = length does not matter):
// script time (the panel's code and uPlot's drawing calls, what blocks the webview) and that plus the canvas raster.
//
//   node bench/chart.mjs [metrics.js …]     (default: out/webview/metrics.js; run `npm run build` first)
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../test/harness/browser.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundles = process.argv.slice(2).length ? process.argv.slice(2).map((p) => resolve(p)) : [join(root, 'out/webview/metrics.js')];
const SIZES = [1_000, 100_000];
/** Live pushes timed per page, after a few untimed ones that warm the JIT. */
const UPDATES = 40;
const WARMUP = 5;
/** Steps per push: the extension pushes at most 4 times a second, so 10 steps is a run at 40 steps/s. */
const STEPS_PER_PUSH = 10;
/** Gradient and weight norms come with a probe snapshot every this many steps, for each of this many layers. */
const PROBE_EVERY = 50;
const LAYERS = ['G.dense1', 'G.batchNorm1', 'G.conv2dTranspose1', 'G.batchNorm2', 'G.conv2dTranspose2', 'D.conv2d1', 'D.conv2d2', 'D.batchNorm1', 'D.dense1'];

/** Series as src/extension/panels/series.ts makes them, for steps [from, to): noisy but plausible curves. */
function series(from, to) {
  const steps = [];
  for (let s = from; s < to; s++) steps.push(s);
  const wave = (f, base, noise) => steps.map((s) => base + 0.3 * Math.sin(s / f) + noise * Math.sin(s * 12.9898) * 0.5);
  const probed = steps.filter((s) => s % PROBE_EVERY === 0);
  const norms = (scale) => probed.map((s) => scale * (1 + 0.5 * Math.sin(s / 900)));
  return [
    { name: 'D loss', group: 'Losses', steps, values: wave(700, 0.6, 0.2) },
    { name: 'G loss', group: 'Losses', steps, values: wave(500, 1.5, 0.4) },
    { name: 'D(x)', group: 'D(x) and D(G(z))', steps, values: wave(800, 0.8, 0.1) },
    { name: 'D(G(z))', group: 'D(x) and D(G(z))', steps, values: wave(600, 0.3, 0.1) },
    ...(probed.length ? LAYERS.flatMap((layer, i) => [
      { name: `${layer} ∇`, group: 'Gradient norms per layer', steps: probed, values: norms(0.1 * (i + 1)) },
      { name: `${layer} ‖W‖`, group: 'Weight norms per layer', steps: probed, values: norms(2 * (i + 1)) },
    ]) : []),
    { name: 'images/s', group: 'Images per second', steps, values: wave(300, 400, 50) },
  ];
}

/** Before the bundle loads: the webview API it expects, and a timer around each animation frame it asks for. */
function instrument() {
  window.acquireVsCodeApi = () => ({ postMessage() {}, getState: () => undefined, setState() {} });
  const raf = window.requestAnimationFrame.bind(window);
  // A frame's script: its callback and uPlot's drawing (microtasks queued by it, which run before these); then the
  // canvas raster that reading a pixel forces. Not the browser's layout and compositing, which do not depend on the data.
  window.requestAnimationFrame = (callback) => raf((t) => {
    const t0 = performance.now();
    callback(t);
    queueMicrotask(() => queueMicrotask(() => {
      const t1 = performance.now();
      for (const c of document.querySelectorAll('canvas')) c.getContext('2d').getImageData(0, 0, 1, 1);
      window.__lastFrame = { script: t1 - t0, raster: performance.now() - t1 };
      window.__frames = (window.__frames ?? 0) + 1;
    }));
  });
}

/** In the page: deliver one message as VS Code would; resolves with its cost once its frame was drawn. */
async function deliver(message) {
  const frames = window.__frames ?? 0;
  const t0 = performance.now();
  window.dispatchEvent(new MessageEvent('message', { data: message }));
  const handled = performance.now() - t0;
  while ((window.__frames ?? 0) === frames) await new Promise((r) => setTimeout(r, 1));
  return { script: handled + window.__lastFrame.script, total: handled + window.__lastFrame.script + window.__lastFrame.raster };
}

async function openPanel(browser, bundle, steps) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('crash', () => console.error('the page crashed'));
  // A made-up origin served from here: the shell, the instrumentation, then the bundle and its stylesheet.
  const css = bundle.replace(/\.js$/, '.css');
  const files = { '/metrics.js': bundle, '/metrics.css': css };
  await page.route('http://bench.invalid/**', (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/') {
      return route.fulfill({ contentType: 'text/html', body: `<!DOCTYPE html><html><head><link rel="stylesheet" href="/metrics.css"></head>
        <body class="vscode-dark" style="--vscode-foreground:#ccc;--vscode-editor-background:#1e1e1e"><main id="app"></main>
        <script>(${instrument})()</script><script src="/metrics.js"></script></body></html>` });
    }
    return files[path] && existsSync(files[path]) ? route.fulfill({ path: files[path] }) : route.fulfill({ status: 404 });
  });
  await page.goto('http://bench.invalid/');
  await page.evaluate((m) => window.dispatchEvent(new MessageEvent('message', { data: m })), { type: 'run', run: { runId: 'bench', runDir: '/runs/bench', preset: 'mnist-dcgan', live: true, step: steps } });
  const firstDraw = await page.evaluate(deliver, { type: 'series', reset: true, series: series(0, steps) });
  const points = await page.locator('section.chart[data-group="Losses"]').getAttribute('data-points');
  if (Number(points) !== steps) throw new Error(`the Losses chart holds ${points} points, not ${steps}: is ${bundle} the metrics panel?`);
  return { page, steps, next: steps, firstDraw, updates: [] };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1).padStart(6)} ms`;

const browser = await launchBrowser();
try {
  for (const bundle of bundles) {
    if (!existsSync(bundle)) throw new Error(`No ${bundle}: run \`npm run build\` first.`);
    const pages = [];
    for (const steps of SIZES) pages.push(await openPanel(browser, bundle, steps));
    // The same pushes, alternating between the pages, so drift in the machine's load falls on both alike.
    for (let u = 0; u < WARMUP + UPDATES; u++) {
      for (const p of pages) {
        const cost = await p.page.evaluate(deliver, { type: 'series', reset: false, series: series(p.next, p.next + STEPS_PER_PUSH) });
        p.next += STEPS_PER_PUSH;
        if (u >= WARMUP) p.updates.push(cost);
      }
    }
    console.log(`\n${bundle.startsWith(root) ? bundle.slice(root.length + 1) : bundle}: median of ${UPDATES} live pushes of ${STEPS_PER_PUSH} steps`);
    const rows = pages.map((p) => ({ p, script: median(p.updates.map((c) => c.script)), total: median(p.updates.map((c) => c.total)) }));
    for (const { p, script, total } of rows) {
      console.log(`  ${p.steps.toLocaleString('en-US').padStart(7)} steps: update script ${ms(script)}, with raster ${ms(total)}; first draw ${ms(p.firstDraw.total)}`);
    }
    const [small, large] = rows;
    console.log(`  update at ${large.p.steps.toLocaleString('en-US')} vs ${small.p.steps.toLocaleString('en-US')} steps: script ${(large.script / small.script).toFixed(2)}×, with raster ${(large.total / small.total).toFixed(2)}×`);
    for (const p of pages) await p.page.close();
  }
} finally {
  await browser.close();
}
