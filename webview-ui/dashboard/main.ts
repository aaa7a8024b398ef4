// The dashboard webview: renders the live run's state pushed by the extension host.
import { DashboardAction, DashboardHealth, DashboardState } from '../../src/protocol/dashboard';
import { EXPLANATIONS } from '../../src/protocol/findingExplanations';
import { connectDashboard } from '../common/dashboardHost';
import { byId as el } from '../common/dom';
import { sparkline } from '../common/sparkline';
import { button, divider, tag } from '../common/toolkit';
import './dashboard.css';
import { renderStepMode, STEP_ACTIONS, stepModeMarkup } from './stepMode';

/** The D(x)/D(G(z)) chart's box in SVG units, and the margins its axis labels take. */
const CHART = { width: 300, height: 130, left: 26, right: 6, top: 6, bottom: 20 };

el('app').innerHTML = `
  <div id="restricted" class="restricted" hidden>
    <p id="restricted-text"></p>
    ${button({ id: 'manageTrust', appearance: 'secondary', label: 'Manage Workspace Trust' })}
  </div>
  <header>
    ${tag('status', 'idle')}
    <span id="preset"></span>
    <span id="backend" title="Training backend"></span>
  </header>
  <div class="actions">
    ${button({ id: 'start', appearance: 'primary', label: 'Start' })}
    ${button({ id: 'pause', appearance: 'primary', label: 'Pause', hidden: true })}
    ${button({ id: 'resume', appearance: 'primary', label: 'Resume', hidden: true })}
    ${button({ id: 'stop', appearance: 'secondary', label: 'Stop', hidden: true })}
  </div>
  <p id="message" hidden></p>
  ${stepModeMarkup()}
  <section id="health" class="health" hidden aria-label="Health">
    <h2>Health</h2>
    <p id="health-clear" class="clear">All clear: the doctor has found nothing wrong.</p>
    <div id="health-finding" hidden>
      <p><span id="health-severity" class="severity"></span> <strong id="health-title"></strong> <span id="health-steps" class="muted"></span></p>
      <p id="health-summary"></p>
      <figure id="health-trend" class="chart trend"></figure>
      <p id="health-evidence" class="muted"></p>
    </div>
    <a id="diagnose" href="#">Open the Diagnosis panel</a>
  </section>
  <dl class="stats">
    <div><dt>Step</dt><dd id="step">0</dd></div>
    <div><dt>Images/s</dt><dd id="ips">–</dd></div>
    <div><dt title="Discriminator loss">D loss</dt><dd id="d-loss" class="d">–</dd></div>
    <div><dt title="Generator loss">G loss</dt><dd id="g-loss" class="g">–</dd></div>
    <div><dt title="Mean discriminator output on real images">D(x)</dt><dd id="d-real">–</dd></div>
    <div><dt title="Mean discriminator output on generated images">D(G(z))</dt><dd id="d-fake">–</dd></div>
    <div id="test-error-box" hidden><dt title="Semi-supervised: the share of MNIST's 10,000 test digits D classifies wrongly">Test error</dt><dd id="test-error">–</dd></div>
    <div id="growth-box" hidden><dt title="Progressive growing: the side G and D work at now, and how far the newest block has faded in">Resolution · α</dt><dd id="growth">–</dd></div>
  </dl>
  <figure id="balance-figure" class="chart" hidden>
    <figcaption><span class="real">━ D(x)</span> on real digits, <span class="fake">━ D(G(z))</span> on generated ones, recent steps</figcaption>
    <svg id="balance" viewBox="0 0 ${CHART.width} ${CHART.height}" role="img" aria-label="D(x) and D(G(z)) over recent steps, with the line at one half"></svg>
  </figure>
  <figure id="losses-figure" class="chart" hidden>
    <figcaption><span class="d">━ D loss</span>, <span class="g">━ G loss</span>, smoothed, recent steps</figcaption>
    <svg id="losses" viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-label="D and G loss over recent steps, smoothed">
      <polyline id="d-line" class="d"></polyline><polyline id="g-line" class="g"></polyline>
    </svg>
  </figure>
  ${divider()}
  <figure>
    <img id="samples" alt="Generated samples from fixed noise" hidden>
    <figcaption id="samples-caption">Samples appear here once training starts.</figcaption>
  </figure>`;

const host = connectDashboard((message) => render(message.state));

for (const action of ['start', 'pause', 'resume', 'stop', 'manageTrust', ...STEP_ACTIONS] as DashboardAction[]) {
  el(action).addEventListener('click', () => host.post({ type: 'action', action }));
}
el('diagnose').addEventListener('click', (e) => {
  e.preventDefault();
  host.post({ type: 'action', action: 'diagnose' });
});

function fixed(value: number | null, digits = 3): string {
  return value === null ? '–' : value.toFixed(digits);
}

function render(state: DashboardState): void {
  host.save(state);
  el('status').textContent = state.status;
  el('status').dataset.status = state.status;
  el('preset').textContent = state.preset ?? '';
  el('backend').textContent = state.backend ?? '';
  el('step').textContent = String(state.step);
  el('ips').textContent = state.imagesPerSec === null ? '–' : state.imagesPerSec.toFixed(0);
  el('d-loss').textContent = fixed(state.dLoss);
  el('g-loss').textContent = fixed(state.gLoss);
  el('d-real').textContent = fixed(state.dReal);
  el('d-fake').textContent = fixed(state.dFake);

  // Only the actions that apply now are shown, so the primary button is always the one to press.
  const live = state.status === 'starting' || state.status === 'running' || state.status === 'paused';
  el('start').hidden = live || state.restricted !== undefined;
  el('restricted').hidden = state.restricted === undefined;
  el('restricted-text').textContent = state.restricted ?? '';
  el('pause').hidden = state.status !== 'running';
  el('resume').hidden = state.status !== 'paused';
  el('stop').hidden = !live;

  const message = el('message');
  message.hidden = !state.message;
  message.textContent = state.message ?? '';

  el('test-error-box').hidden = !state.testError;
  if (state.testError) el('test-error').textContent = `${(state.testError.value * 100).toFixed(1)}%`;
  el('growth-box').hidden = !state.growth;
  if (state.growth) el('growth').textContent = `${state.growth.resolution}×${state.growth.resolution} · ${state.growth.alpha.toFixed(2)}`;

  renderStepMode(state);
  renderHealth(state.health);
  el('losses-figure').hidden = state.history.length < 2;
  drawLosses(state.history);
  const outputs = state.outputs ?? [];
  el('balance-figure').hidden = outputs.length < 2;
  if (outputs.length >= 2) el('balance').innerHTML = balanceChart(outputs);

  const img = el<HTMLImageElement>('samples');
  if (state.samples) {
    if (img.src !== state.samples.uri) img.src = state.samples.uri;
    img.hidden = false;
    el('samples-caption').textContent = `Fixed noise, step ${state.samples.step}`;
  }
}

/** The worst current finding with its trend and numbers, or "all clear"; hidden before a run starts. */
function renderHealth(health: DashboardHealth | undefined): void {
  el('health').hidden = !health;
  const worst = health?.worst;
  el('health-clear').hidden = worst !== undefined;
  el('health-finding').hidden = !worst;
  el('health').dataset.severity = worst?.severity ?? 'clear';
  if (!health || !worst) return;
  el('health-severity').textContent = worst.severity;
  el('health-severity').className = `severity ${worst.severity}`;
  el('health-title').textContent = EXPLANATIONS[worst.kind].title;
  el('health-steps').textContent = `${worst.step === worst.lastStep ? `step ${worst.step}` : `steps ${worst.step}–${worst.lastStep}`}${health.others ? ` · ${health.others} more` : ''}`;
  el('health-summary').textContent = worst.summary;
  el('health-trend').innerHTML = health.trend ? `${sparkline(health.trend.values, 300, 36)}<figcaption class="muted">${health.trend.label}, recent steps</figcaption>` : '';
  el('health-evidence').textContent = Object.entries(worst.evidence).map(([k, v]) => `${k} ${Number(v.toPrecision(3))}`).join(' · ');
}

/** How much of the previous smoothed value each point keeps, as TensorBoard's smoothing slider does. */
const SMOOTHING = 0.9;

function smooth(values: number[]): number[] {
  let last = values[0];
  return values.map((v) => (last = SMOOTHING * last + (1 - SMOOTHING) * v));
}

function drawLosses(history: DashboardState['history']): void {
  if (history.length < 2) return;
  const d = smooth(history.map((h) => h.dLoss));
  const g = smooth(history.map((h) => h.gLoss));
  const max = Math.max(...d, ...g);
  const min = Math.min(0, ...d, ...g);
  const x = (i: number) => (i / (history.length - 1)) * 300;
  const y = (v: number) => 58 - ((v - min) / (max - min || 1)) * 56;
  const points = (values: number[]) => values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  el('d-line').setAttribute('points', points(d));
  el('g-line').setAttribute('points', points(g));
}

/**
 * D(x) and D(G(z)) on a 0–1 axis, smoothed, with the line at ½ where a balanced game sits: D wins when they part
 * (D(x) near 1, D(G(z)) near 0), G catches up as they draw together.
 */
function balanceChart(outputs: NonNullable<DashboardState['outputs']>): string {
  const { width, height, left, right, top, bottom } = CHART;
  const first = outputs[0].step;
  const last = outputs[outputs.length - 1].step;
  const x = (step: number) => left + ((step - first) / (last - first || 1)) * (width - left - right);
  const y = (v: number) => top + (1 - v) * (height - top - bottom);
  const line = (values: number[], cls: string) =>
    `<polyline class="${cls}" points="${values.map((v, i) => `${x(outputs[i].step).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`;
  const tick = (v: number, label: string) =>
    `<line class="grid" x1="${left}" x2="${width - right}" y1="${y(v)}" y2="${y(v)}"/><text class="axis" x="${left - 4}" y="${y(v) + 4}" text-anchor="end">${label}</text>`;
  return [
    tick(0, '0'), tick(1, '1'),
    `<line class="half" x1="${left}" x2="${width - right}" y1="${y(0.5)}" y2="${y(0.5)}"/><text class="axis" x="${left - 4}" y="${y(0.5) + 4}" text-anchor="end">½</text>`,
    line(smooth(outputs.map((o) => o.dReal)), 'real'), line(smooth(outputs.map((o) => o.dFake)), 'fake'),
    `<text class="axis" x="${left}" y="${height - 4}">step ${first}</text>`,
    `<text class="axis" x="${width - right}" y="${height - 4}" text-anchor="end">${last}</text>`,
  ].join('');
}

const saved = host.saved();
if (saved) render(saved);
host.post({ type: 'ready' });
