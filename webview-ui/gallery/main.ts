// The sample gallery: the fixed-noise grid at every saved step (scrubber, play), real images beside it, latent
// interpolation and arithmetic, and export as PNG or an animated GIF.
import { LatentSource } from '../../src/protocol/probes';
import { canvasPng, imageCanvases, loadImage, tile } from '../common/draw';
import { byId as $, el } from '../common/dom';
import { panelShell, ViewMessage } from '../common/panelShell';
import { renderStepViews, stepViewsMarkup } from '../common/stepViews';
import { button, divider, progressRing, setDisabled } from '../common/toolkit';
import { encodeGif, Frame, timelineSteps } from './gif';
import { arithmeticLatents, cellAt, CELLS_PER_TERM, interpolationLatents, nextTerm, NO_PICKS, Picks, Term, TERMS, toggle } from './latentTerms';
import './gallery.css';

interface Ui {
  /** The step shown; undefined follows the newest. */
  step?: number;
  /** The grid cells picked for latent arithmetic, by term. */
  picks: Picks;
  /** The term the next click on the grid goes to. */
  term: Term;
  /** The real images once fetched, so showing the tab again (which reloads the webview) asks the trainer nothing. */
  real?: RealImages;
}

/** [N, H, W, C] images as bytes (0 ↔ −1, 255 ↔ 1), base64: a twelfth of the size of the floats as JSON. */
interface RealImages {
  shape: number[];
  bytes: string;
}

const REAL_IMAGES = 16;
/** The fixed-noise grid is GRID_SIDE × GRID_SIDE cells (the trainer's sample grid). */
const GRID_SIDE = 8;
const INTERPOLATION_STEPS = 10;
const PLAY_MS = 250;

const shell = panelShell<Ui>({
  title: 'Sample gallery',
  body: `
  <div class="controls">
    ${button({ id: 'play', appearance: 'primary', label: 'Play' })}
    <input id="scrubber" type="range" min="0" max="0" value="0" aria-label="Step">
    <span id="step-label" class="muted">no samples yet</span>
    ${button({ id: 'export-png', appearance: 'secondary', label: 'Export PNG' })}
    ${button({ id: 'export-gif', appearance: 'secondary', label: 'Export GIF' })}
  </div>
  <div class="side-by-side">
    <figure>
      <div id="grid-box" class="grid-box">
        <img id="grid" class="pixels" alt="Generated samples from the fixed noise: click cells to pick them for latent arithmetic">
      </div>
      <figcaption class="muted">Generated: the same fixed noise at every step · click cells to pick them</figcaption>
    </figure>
    <figure>
      <div id="real" class="image-grid"></div>
      <figcaption class="muted">Real: images from the training data</figcaption>
    </figure>
  </div>
  <section class="stepped" aria-label="Step mode's last step">
    ${stepViewsMarkup('stepped')}
  </section>
  ${divider()}
  <h2>Latent space</h2>
  <p class="muted">Click up to ${CELLS_PER_TERM} cells of the grid above for each of A, B and C, cells that show one kind of digit or stroke
  (a second click drops a cell). Each term is the mean z of its cells, as the DCGAN paper averaged three samples of each kind.
  Interpolation walks the straight line from z<sub>A</sub> to z<sub>B</sub>; arithmetic draws z<sub>A</sub> − z<sub>B</sub> + z<sub>C</sub>.</p>
  <div class="controls" id="terms">
    <span class="muted">Clicks go to</span>
    ${TERMS.map((t) => `<button id="term-${t}" class="term term-${t}" type="button" aria-pressed="false">${t.toUpperCase()}: <span id="cells-${t}">none</span></button>`).join('')}
    ${button({ id: 'clear', appearance: 'secondary', label: 'Clear' })}
  </div>
  <div class="controls">
    ${button({ id: 'interpolate', appearance: 'primary', label: 'Interpolate A → B', disabled: true })}
    ${button({ id: 'arithmetic', appearance: 'secondary', label: 'A − B + C', disabled: true })}
    ${button({ id: 'export-latent', appearance: 'secondary', label: 'Export PNG', disabled: true })}
    ${progressRing('busy')}
  </div>
  <div id="latent" class="latent"></div>`,
}, onMessage);
const saved = shell.ui();
// A state saved before cells were clicked has no picks: start those afresh.
const ui: Ui = { ...saved, picks: saved?.picks ?? NO_PICKS, term: saved?.term ?? 'a' };
let steps: number[] = [];
const uris = new Map<number, string>();
const growth = new Map<number, { resolution: number; alpha: number }>();
const waiting = new Map<number, ((uri: string) => void)[]>();
let playing: number | undefined;
let runId = 'run';
let realLoaded = false;
let latentCanvas: HTMLCanvasElement | undefined;

function onMessage(message: ViewMessage): void {
  if (message.type === 'run') {
    runId = message.run.runId;
    if (!realLoaded) void loadReal();
  } else if (message.type === 'sampleSteps') {
    const followNewest = ui.step === undefined || ui.step === steps.at(-1);
    steps = message.steps;
    const scrubber = $('scrubber') as HTMLInputElement;
    scrubber.max = String(Math.max(0, steps.length - 1));
    if (!steps.length) return;
    const step = followNewest && playing === undefined ? steps.at(-1)! : ui.step!;
    showStep(steps.includes(step) ? step : steps.at(-1)!);
  } else if (message.type === 'stepped') {
    // Step mode on the live run: the grid and D's verdicts either side of its last step, until the run resumes.
    renderStepViews('stepped', message.stepped);
  } else if (message.type === 'sample') {
    uris.set(message.step, message.uri);
    if (message.growth) growth.set(message.step, message.growth);
    for (const resolve of waiting.get(message.step) ?? []) resolve(message.uri);
    waiting.delete(message.step);
  }
}

function sampleUri(step: number): Promise<string> {
  const known = uris.get(step);
  if (known) return Promise.resolve(known);
  return new Promise((resolve) => {
    const list = waiting.get(step) ?? [];
    if (!list.length) shell.post({ type: 'sample', step });
    waiting.set(step, [...list, resolve]);
  });
}

async function showStep(step: number): Promise<void> {
  ui.step = step;
  shell.saveUi(ui);
  const index = steps.indexOf(step);
  ($('scrubber') as HTMLInputElement).value = String(index);
  $('step-label').textContent = `step ${step} (${index + 1} of ${steps.length})`;
  const uri = await sampleUri(step);
  if (ui.step !== step) return; // the scrubber moved on meanwhile
  const g = growth.get(step);
  // A progressive run's smaller grids are enlarged to the full side: say which side they were made at.
  const side = g ? ` · made at ${g.resolution}×${g.resolution}${g.alpha < 1 ? `, fading in (α ${g.alpha.toFixed(2)})` : ''}` : '';
  $('step-label').textContent = `step ${step} (${index + 1} of ${steps.length})${side}`;
  const img = $('grid') as HTMLImageElement;
  img.src = uri;
  img.dataset.step = String(step);
}

async function loadReal(): Promise<void> {
  realLoaded = true;
  if (ui.real) return showReal(ui.real);
  $('real').replaceChildren(el('span', 'muted', 'Loading images from the training data…'));
  try {
    const indices = Array.from({ length: REAL_IMAGES }, (_, i) => i);
    const result = await shell.probe({ kind: 'realImages', indices });
    if (result.kind !== 'images') throw new Error(`expected images, got ${result.kind}`);
    ui.real = { shape: result.shape, bytes: toBase64(result.data) };
    shell.saveUi(ui);
    showReal(ui.real);
  } catch (err) {
    $('real').replaceChildren(el('span', 'muted', `Real images need the trainer or an inspector: ${(err as Error).message}`));
  }
}

function showReal(real: RealImages): void {
  const canvases = imageCanvases(fromBase64(real.bytes), real.shape);
  for (const c of canvases) c.classList.add('pixels', 'cell');
  $('real').replaceChildren(...canvases);
}

function toBase64(values: Float32Array): string {
  let text = '';
  for (const v of values) text += String.fromCharCode(Math.round((Math.max(-1, Math.min(1, v)) + 1) * 127.5));
  return btoa(text);
}

function fromBase64(bytes: string): Float32Array {
  const text = atob(bytes);
  return Float32Array.from({ length: text.length }, (_, i) => text.charCodeAt(i) / 127.5 - 1);
}

function togglePlay(): void {
  if (playing !== undefined) {
    clearInterval(playing);
    playing = undefined;
    $('play').textContent = 'Play';
    return;
  }
  if (steps.length < 2) return;
  $('play').textContent = 'Pause';
  let i = ui.step === steps.at(-1) ? 0 : Math.max(0, steps.indexOf(ui.step ?? steps[0]));
  playing = window.setInterval(() => {
    void showStep(steps[i]);
    void sampleUri(steps[(i + 1) % steps.length]); // fetch the next frame ahead
    i = (i + 1) % steps.length;
  }, PLAY_MS);
}

/** A click on the grid image: the cell under it joins (or leaves) the current term, and the next term with room is current. */
function pickCell(event: MouseEvent): void {
  const img = $('grid') as HTMLImageElement;
  const box = img.getBoundingClientRect();
  if (!img.src || box.width === 0) return;
  const cell = cellAt((event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height, GRID_SIDE);
  ui.picks = toggle(ui.picks, ui.term, cell);
  if (ui.picks[ui.term].length >= CELLS_PER_TERM) ui.term = nextTerm(ui.picks);
  showPicks();
}

/** The picked cells as lettered marks on the grid, the terms' cell lists, and which buttons can run. */
function showPicks(): void {
  shell.saveUi(ui);
  const marks = TERMS.flatMap((t) => ui.picks[t].map((cell) => {
    const mark = el('span', `mark term-${t}`, t.toUpperCase());
    mark.style.left = `${((cell % GRID_SIDE) / GRID_SIDE) * 100}%`;
    mark.style.top = `${(Math.floor(cell / GRID_SIDE) / GRID_SIDE) * 100}%`;
    mark.dataset.cell = String(cell);
    return mark;
  }));
  $('grid-box').replaceChildren($('grid'), ...marks);
  for (const t of TERMS) {
    $(`cells-${t}`).textContent = ui.picks[t].length ? ui.picks[t].join(', ') : 'none';
    $(`term-${t}`).setAttribute('aria-pressed', String(ui.term === t));
  }
  setDisabled($('interpolate'), !ui.picks.a.length || !ui.picks.b.length);
  setDisabled($('arithmetic'), !TERMS.every((t) => ui.picks[t].length));
}

async function generate(latents: { weight: number; z: LatentSource }[][], labels: string[], columns: number): Promise<void> {
  $('busy').hidden = false;
  try {
    const result = await shell.probe({ kind: 'generate', latents });
    if (result.kind !== 'images') throw new Error(`Expected images, got ${result.kind}.`);
    const canvases = imageCanvases(result.data, result.shape);
    const scale = Math.max(2, Math.floor(84 / result.shape[2]));
    const cells = imageCanvases(result.data, result.shape, scale).map((copy, i) => {
      copy.classList.add('pixels');
      const figure = el('figure');
      figure.append(copy, el('figcaption', 'muted', labels[i] ?? ''));
      return figure;
    });
    $('latent').replaceChildren(...cells);
    latentCanvas = tile(canvases, columns);
    setDisabled($('export-latent'), false);
  } catch (err) {
    shell.notice((err as Error).message);
  } finally {
    $('busy').hidden = true;
  }
}

function interpolate(): Promise<void> {
  const ts = Array.from({ length: INTERPOLATION_STEPS }, (_, i) => i / (INTERPOLATION_STEPS - 1));
  return generate(
    interpolationLatents(ui.picks, INTERPOLATION_STEPS),
    ts.map((t) => (t === 0 ? 'mean A' : t === 1 ? 'mean B' : t.toFixed(2))),
    INTERPOLATION_STEPS,
  );
}

function arithmetic(): Promise<void> {
  return generate(arithmeticLatents(ui.picks), ['mean A', '− mean B', '+ mean C', '= A − B + C'], 4);
}

/** The grid is a file in the run folder already: the host copies it where the user chooses. */
function exportPng(): void {
  if (ui.step !== undefined) shell.post({ type: 'exportSample', step: ui.step });
}

async function exportGif(): Promise<void> {
  if (!steps.length) return;
  $('busy').hidden = false;
  try {
    const frames: Frame[] = [];
    for (const step of timelineSteps(steps)) {
      const img = await loadImage(await sampleUri(step));
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      frames.push({ rgba: ctx.getImageData(0, 0, canvas.width, canvas.height).data, width: canvas.width, height: canvas.height });
    }
    const gif = encodeGif(frames);
    shell.post({ type: 'export', format: 'gif', suggestedName: `${runId}-timeline.gif`, data: gif });
  } catch (err) {
    shell.notice(`The GIF could not be made: ${(err as Error).message}`);
  } finally {
    $('busy').hidden = true;
  }
}

$('scrubber').addEventListener('input', () => {
  const step = steps[Number(($('scrubber') as HTMLInputElement).value)];
  if (step !== undefined) void showStep(step);
});
$('play').addEventListener('click', togglePlay);
$('export-png').addEventListener('click', exportPng);
$('export-gif').addEventListener('click', () => void exportGif());
$('interpolate').addEventListener('click', () => void interpolate());
$('arithmetic').addEventListener('click', () => void arithmetic());
$('export-latent').addEventListener('click', async () => {
  if (latentCanvas) shell.post({ type: 'export', format: 'png', suggestedName: `${runId}-latent.png`, data: await canvasPng(latentCanvas) });
});
$('grid').addEventListener('click', pickCell);
for (const t of TERMS) {
  $(`term-${t}`).addEventListener('click', () => {
    ui.term = t;
    showPicks();
  });
}
$('clear').addEventListener('click', () => {
  ui.picks = NO_PICKS;
  ui.term = 'a';
  showPicks();
});
showPicks();
shell.ready();
