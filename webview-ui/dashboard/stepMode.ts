// The dashboard's step mode: while paused, one update of D, G or both a press, and the grid and D's verdicts either side.
import { DashboardAction, DashboardState } from '../../src/protocol/dashboard';
import { StepUpdate } from '../../src/protocol/trainer';
import { byId as el } from '../common/dom';
import { renderStepViews, stepViewsMarkup } from '../common/stepViews';
import { button } from '../common/toolkit';

const BUTTONS: { action: DashboardAction; update: StepUpdate; label: string; title: string }[] = [
  { action: 'stepDiscriminator', update: 'discriminator', label: 'Step D', title: 'One update of the discriminator on a fresh batch; G stays as it is' },
  { action: 'stepGenerator', update: 'generator', label: 'Step G', title: 'One update of the generator through D as it is now; D stays as it is' },
  { action: 'stepBoth', update: 'both', label: 'Step both', title: 'One update of D, then one of G: a training step' },
];

export const STEP_ACTIONS = BUTTONS.map((b) => b.action);

export function stepModeMarkup(): string {
  return `
  <section id="step-mode" class="step-mode" hidden aria-label="Step mode">
    <h2>Step mode</h2>
    <p class="muted">Paused: train one update at a time and see what it changes.</p>
    <div class="actions">${BUTTONS.map((b) => button({ id: b.action, appearance: 'secondary', label: b.label, title: b.title })).join('')}</div>
    ${stepViewsMarkup('stepped')}
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
  renderStepViews('stepped', state.stepped);
}
