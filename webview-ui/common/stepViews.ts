// One step-mode step as the dashboard and the gallery show it: the fixed-noise grid and D's mean verdicts either side.
import { StepShot, Stepped } from '../../src/protocol/dashboard';
import { StepUpdate } from '../../src/protocol/trainer';
import { byId as el } from './dom';
import './stepViews.css';

/** What a step changed, in words. */
const UPDATED: Record<StepUpdate, string> = {
  discriminator: 'one update of D; G is unchanged',
  generator: 'one update of G; D is unchanged',
  both: 'one update of D, then one of G',
};

/** The (hidden) markup of the step views, its element ids starting with `id`. */
export function stepViewsMarkup(id: string): string {
  return `
    <div id="${id}" hidden>
      <p id="${id}-what"></p>
      <div class="step-views">
        <figure class="step-view"><img id="${id}-before-grid" alt="Fixed-noise samples before the step"><figcaption id="${id}-before"></figcaption></figure>
        <figure class="step-view"><img id="${id}-after-grid" alt="Fixed-noise samples after the step"><figcaption id="${id}-after"></figcaption></figure>
      </div>
    </div>`;
}

/** Shows `stepped` in the views made by stepViewsMarkup(id), or hides them when there is none. */
export function renderStepViews(id: string, stepped: Stepped | undefined): void {
  el(id).hidden = !stepped;
  if (!stepped) return;
  el(`${id}-what`).textContent = `Step ${stepped.after.step}: ${UPDATED[stepped.update]}.`;
  show(id, 'before', 'Before', stepped.before);
  show(id, 'after', 'After', stepped.after, stepped.before);
}

function show(id: string, which: 'before' | 'after', label: string, shot: StepShot, from?: StepShot): void {
  const img = el<HTMLImageElement>(`${id}-${which}-grid`);
  if (img.src !== shot.uri) img.src = shot.uri;
  const verdict = (name: string, cls: string, title: string, value: number, was?: number) =>
    `<span class="verdict" title="${title}"><span class="value"><span class="${cls}">━</span> ${name} ${value.toFixed(3)}</span>`
    + `${was === undefined ? '' : ` <span class="value">${signed(value - was)}</span>`}</span>`;
  el(`${id}-${which}`).innerHTML = `<strong>${label}</strong> · step ${shot.step}`
    + verdict('D(x)', 'step-real', 'D\'s mean verdict on real digits (1: real)', shot.dReal, from?.dReal)
    + verdict('D(G(z))', 'step-fake', 'D\'s mean verdict on the grid\'s generated digits (1: real)', shot.dFake, from?.dFake);
}

function signed(change: number): string {
  return `${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(3)}`;
}
