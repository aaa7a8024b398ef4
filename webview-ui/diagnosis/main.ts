// The Diagnosis panel: the run's findings on a step timeline, each with its evidence, what it means, the walkthrough
// step that explains it, and its remedies ("Apply and continue" branches the run with the remedy in its GAN file).
import { EXPLANATIONS, METRIC_LABELS, RELATED_METRIC } from '../../src/protocol/findingExplanations';
import { byConcern, Finding } from '../../src/protocol/findings';
import { PanelRun } from '../../src/protocol/panels';
import { byId, el } from '../common/dom';
import { panelShell, ViewMessage } from '../common/panelShell';
import { sparkline } from '../common/sparkline';
import './diagnosis.css';

/** Steps of context a finding's chart shows before it was first seen. */
const BEFORE = 200;
const TIMELINE = { width: 600, row: 16, top: 4, axis: 18 };
/** A bar ending before this share of the timeline's width has room for its label after it. */
const LABEL_AFTER_BEFORE = 0.75;

const shell = panelShell<Record<string, never>>({
  title: 'Diagnosis',
  header: '<span id="count" class="muted"></span>',
  body: `
  <p class="muted">What the doctor found in this run, worst first. Each finding says what it saw, what it means and what may fix it:
  <em>Apply and continue</em> writes the change into the run's GAN file (or a copy) and starts a branch from the run's newest checkpoint.</p>
  <svg id="timeline" role="img" aria-label="Findings on a step timeline"></svg>
  <p id="clear" class="clear" hidden>All clear: the doctor found nothing wrong with this run.</p>
  <div id="findings"></div>`,
}, onMessage);

let run: PanelRun | undefined;
let findings: Finding[] = [];
/** Each finding's card and the state it shows: a card is made again only when its finding changed, so a button being
 * clicked is not swapped out under the pointer by a push that changed nothing. */
const cards = new Map<string, { shown: string; card: HTMLElement }>();
/** The step metrics charted as evidence, by series name ('D loss', 'D(x)', …). */
const metrics = new Map<string, { steps: number[]; values: number[] }>();

const idOf = (f: Finding) => `finding-${f.kind}-${f.step}`;

function onMessage(message: ViewMessage): void {
  if (message.type === 'run') {
    run = message.run;
    byId('clear').hidden = findings.length > 0;
    drawTimeline();
  } else if (message.type === 'findings') {
    findings = message.findings;
    render();
  } else if (message.type === 'series') {
    if (message.reset) metrics.clear();
    for (const s of message.series) {
      if (!Object.values(METRIC_LABELS).includes(s.name as never)) continue;
      const line = metrics.get(s.name) ?? { steps: [], values: [] };
      metrics.set(s.name, { steps: line.steps.concat(s.steps), values: line.values.concat(s.values) });
    }
  }
}

function render(): void {
  const ordered = byConcern(findings);
  byId('count').textContent = findings.length ? `${findings.length} finding${findings.length === 1 ? '' : 's'}` : '';
  byId('clear').hidden = findings.length > 0 || !run;
  const list = byId('findings');
  const next = ordered.map((f) => {
    const shown = JSON.stringify(f);
    const known = cards.get(idOf(f));
    if (known?.shown === shown) return known.card;
    const made = { shown, card: card(f) };
    cards.set(idOf(f), made);
    return made.card;
  });
  if (next.some((c, i) => list.children[i] !== c) || list.children.length !== next.length) list.replaceChildren(...next);
  drawTimeline();
}

/** One bar per finding from its first to its last step, on the run's step axis, coloured by severity. */
function drawTimeline(): void {
  const svg = byId('timeline');
  svg.toggleAttribute('hidden', findings.length === 0);
  if (!findings.length) return;
  const { width, row, top, axis } = TIMELINE;
  const last = Math.max(run?.step ?? 0, ...findings.map((f) => f.lastStep), 1);
  const x = (step: number) => (step / last) * (width - 10) + 5;
  const height = top + findings.length * row + axis;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const bars = findings.map((f, i) => {
    const y = top + i * row;
    const w = Math.max(3, x(f.lastStep) - x(f.step));
    // The label goes after its bar, or before it when the bar runs to the right edge.
    const after = x(f.step) + w < width * LABEL_AFTER_BEFORE;
    const label = after ? `x="${(x(f.step) + w + 4).toFixed(1)}"` : `x="${(x(f.step) - 4).toFixed(1)}" text-anchor="end"`;
    return `<g class="bar ${f.severity}" data-target="${idOf(f)}"><title>${f.kind}: steps ${f.step}–${f.lastStep}</title>`
      + `<rect x="${x(f.step).toFixed(1)}" y="${y + 2}" width="${w.toFixed(1)}" height="${row - 5}" rx="2"/>`
      + `<text ${label} y="${y + row - 5}">${f.kind}</text></g>`;
  });
  const axisY = top + findings.length * row + 12;
  svg.innerHTML = `${bars.join('')}<text class="axis" x="5" y="${axisY}">step 0</text><text class="axis" x="${width - 5}" y="${axisY}" text-anchor="end">${last}</text>`;
}

byId('timeline').addEventListener('click', (e) => {
  const target = (e.target as Element).closest('[data-target]')?.getAttribute('data-target');
  if (target) document.getElementById(target)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
});

function card(f: Finding): HTMLElement {
  const explanation = EXPLANATIONS[f.kind];
  const box = el('section', `finding ${f.severity}`);
  box.id = idOf(f);
  const heading = el('h2');
  heading.append(el('span', `severity ${f.severity}`, f.severity), ` ${explanation.title} `, el('span', 'muted', f.step === f.lastStep ? `step ${f.step}` : `steps ${f.step}–${f.lastStep}`));
  box.append(heading, el('p', 'summary', f.summary), evidence(f));
  const about = el('p', 'explanation', `${explanation.text} `);
  const learn = el('a', undefined, 'Learn more in the walkthrough');
  learn.href = '#';
  learn.addEventListener('click', (e) => {
    e.preventDefault();
    shell.post({ type: 'openWalkthrough', step: explanation.step });
  });
  about.append(learn);
  box.append(about);
  if (f.remedies.length) box.append(el('h3', undefined, 'Remedies'), remedies(f));
  return box;
}

/** The evidence's numbers, and a chart of the metric that shows the kind best around the steps it was seen. */
function evidence(f: Finding): HTMLElement {
  const box = el('div', 'evidence');
  const numbers = el('dl');
  for (const [name, value] of Object.entries(f.evidence)) {
    const item = el('div');
    item.append(el('dt', undefined, name), el('dd', undefined, Number(value.toPrecision(4)).toString()));
    numbers.append(item);
  }
  box.append(numbers);
  const label = METRIC_LABELS[RELATED_METRIC[f.kind]];
  const line = metrics.get(label);
  if (line) {
    const values = line.values.filter((_, i) => line.steps[i] >= f.step - BEFORE && line.steps[i] <= f.lastStep);
    const chart = el('figure', 'evidence-chart');
    chart.innerHTML = sparkline(values, 240, 48);
    chart.append(el('figcaption', 'muted', `${label}, steps ${Math.max(0, f.step - BEFORE)}–${f.lastStep}`));
    if (values.length > 1) box.append(chart);
  }
  return box;
}

function remedies(f: Finding): HTMLElement {
  const list = el('ol', 'remedies');
  f.remedies.forEach((remedy, index) => {
    const item = el('li');
    const apply = el('button', 'apply', 'Apply and continue');
    apply.title = 'Write this change into the GAN file (or a copy) and branch a new run from the newest checkpoint';
    apply.addEventListener('click', () => shell.post({ type: 'applyRemedy', kind: f.kind, step: f.step, remedy: index }));
    const change = el('details');
    change.append(el('summary', 'muted', 'The change'), el('pre', undefined, JSON.stringify(remedy.change, null, 2)));
    item.append(el('span', 'title', remedy.title), ' ', apply, change);
    list.append(item);
  });
  return list;
}

shell.ready();
