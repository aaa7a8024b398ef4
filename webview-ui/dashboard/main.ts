// The dashboard webview: renders the live run's state pushed by the extension host.
import { DashboardAction, DashboardState } from '../../src/protocol/dashboard';
import { connectDashboard } from '../common/dashboardHost';
import { byId as el } from '../common/dom';
import { button, divider, tag } from '../common/toolkit';
import './dashboard.css';

el('app').innerHTML = `
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
  <dl class="stats">
    <div><dt>Step</dt><dd id="step">0</dd></div>
    <div><dt>Images/s</dt><dd id="ips">–</dd></div>
    <div><dt title="Discriminator loss">D loss</dt><dd id="d-loss" class="d">–</dd></div>
    <div><dt title="Generator loss">G loss</dt><dd id="g-loss" class="g">–</dd></div>
    <div><dt title="Mean discriminator output on real images">D(x)</dt><dd id="d-real">–</dd></div>
    <div><dt title="Mean discriminator output on generated images">D(G(z))</dt><dd id="d-fake">–</dd></div>
  </dl>
  <svg id="losses" viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-label="D and G loss over recent steps, smoothed">
    <polyline id="d-line" class="d"></polyline><polyline id="g-line" class="g"></polyline>
  </svg>
  ${divider()}
  <figure>
    <img id="samples" alt="Generated samples from fixed noise" hidden>
    <figcaption id="samples-caption">Samples appear here once training starts.</figcaption>
  </figure>`;

const host = connectDashboard((message) => render(message.state));

for (const action of ['start', 'pause', 'resume', 'stop'] as DashboardAction[]) {
  el(action).addEventListener('click', () => host.post({ type: 'action', action }));
}

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
  el('start').hidden = live;
  el('pause').hidden = state.status !== 'running';
  el('resume').hidden = state.status !== 'paused';
  el('stop').hidden = !live;

  const message = el('message');
  message.hidden = !state.message;
  message.textContent = state.message ?? '';

  drawLosses(state.history);

  const img = el<HTMLImageElement>('samples');
  if (state.samples) {
    if (img.src !== state.samples.uri) img.src = state.samples.uri;
    img.hidden = false;
    el('samples-caption').textContent = `Fixed noise, step ${state.samples.step}`;
  }
}

/** How much of the previous smoothed value each point keeps, as TensorBoard's smoothing slider does. */
const SMOOTHING = 0.9;

function smooth(values: number[]): number[] {
  let last = values[0];
  return values.map((v) => (last = SMOOTHING * last + (1 - SMOOTHING) * v));
}

function drawLosses(history: DashboardState['history']): void {
  const svg = el('losses');
  svg.toggleAttribute('hidden', history.length < 2);
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

const saved = host.saved();
if (saved) render(saved);
host.post({ type: 'ready' });
