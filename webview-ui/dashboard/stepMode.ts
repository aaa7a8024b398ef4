// The dashboard's step mode: while paused, one update of D, G or both a press, and the grid and D's verdicts either side.
import { DashboardAction, DashboardState, StepShot } from '../../src/protocol/dashboard';
import { StepUpdate } from '../../src/protocol/trainer';
import { byId as el } from '../common/dom';
import { button } from '../common/toolkit';

const BUTTONS: { action: DashboardAction; update: StepUpdate; label: string; title: string }[] = [
  { action: 'stepDiscriminator', update: 'discriminator', label: 'Step D', title: 'One update of the discriminator on a fresh batch; G stays as it is' },
  { action: 'stepGenerator', update: 'generator', label: 'Step G', title: 'One update of the generator through D as it is now; D stays as it is' },
  { action: 'stepBoth', update: 'both', label: 'Step both', title: 'One update of D, then one of G: a training step' },
];

/** What a step changed, in words. */
const UPDATED: Record<StepUpdate, string> = {
  discriminator: 'one update of D; G is unchanged',
  generator: 'one update of G; D is unchanged',
  both: 'one update of D, then one of G',
};

export const STEP_ACTIONS = BUTTONS.map((b) => b.action);

export function stepModeMarkup(): string {
  return `
  <section id="step-mode" class="step-mode" hidden aria-label="Step mode">
    <h2>Step mode</h2>
    <p class="muted">Paused: train one update at a time and see what it changes.</p>
    <div class="actions">${BUTTONS.map((b) => button({ id: b.action, appearance: 'secondary', label: b.label, title: b.title })).join('')}</div>
    <div id="step-result" hidden>
      <p id="step-what"></p>
      <div class="step-views">
        <figure class="step-view"><img id="step-before-grid" alt="Fixed-noise samples before the step"><figcaption id="step-before"></figcaption></figure>
        <figure class="step-view"><img id="step-after-grid" alt="Fixed-noise samples after the step"><figcaption id="step-after"></figcaption></figure>
      </div>
    </div>
  </section>`;
}

/** Shown while paused; the buttons wait while a step runs; the last step's pair of grids until the run resumes. */
export function renderStepMode(state: DashboardState): void {
  el('step-mode').hidden = state.status !== 'paused';
  for (const b of BUTTONS) {
    const node = el(b.action);
    node.toggleAttribute('disabled', state.stepping !== undefined);
    node.textContent = state.stepping === b.update ? `${b.label}…` : b.label;
  }
  const stepped = state.stepped;
  el('step-result').hidden = !stepped;
  if (!stepped) return;
  el('step-what').textContent = `Step ${stepped.after.step}: ${UPDATED[stepped.update]}.`;
  show('before', 'Before', stepped.before);
  show('after', 'After', stepped.after, stepped.before);
}

function show(which: 'before' | 'after', label: string, shot: StepShot, from?: StepShot): void {
  const img = el<HTMLImageElement>(`step-${which}-grid`);
  if (img.src !== shot.uri) img.src = shot.uri;
  const verdict = (name: string, cls: string, title: string, value: number, was?: number) =>
    `<span class="verdict" title="${title}"><span class="value"><span class="${cls}">━</span> ${name} ${value.toFixed(3)}</span>`
    + `${was === undefined ? '' : ` <span class="value">${signed(value - was)}</span>`}</span>`;
  el(`step-${which}`).innerHTML = `<strong>${label}</strong> · step ${shot.step}`
    + verdict('D(x)', 'real', 'D\'s mean verdict on real digits (1: real)', shot.dReal, from?.dReal)
    + verdict('D(G(z))', 'fake', 'D\'s mean verdict on the grid\'s generated digits (1: real)', shot.dFake, from?.dFake);
}

function signed(change: number): string {
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(3)}`;
}
