// The sample gallery: the fixed-noise grid at every saved step (scrubber, play), real images beside it, latent
// interpolation and arithmetic, and export as PNG or an animated GIF.
import { LatentSource } from '../../src/protocol/probes';
import { canvasPng, imageCanvases, loadImage, tile } from '../common/draw';
import { byId as $, el } from '../common/dom';
import { panelShell, ViewMessage } from '../common/panelShell';
import { button, divider, progressRing, setDisabled, setValue, textField, wholeNumberOf } from '../common/toolkit';
import { encodeGif, Frame, timelineSteps } from './gif';
import './gallery.css';

interface Ui {
  /** The step shown; undefined follows the newest. */
  step?: number;
  a: number;
  b: number;
  c: number;
  /** The real images once fetched, so showing the tab again (which reloads the webview) asks the trainer nothing. */
  real?: RealImages;
}

/** [N, H, W, C] images as bytes (0 ↔ −1, 255 ↔ 1), base64: a twelfth of the size of the floats as JSON. */
interface RealImages {
  shape: number[];
  bytes: string;
}

const REAL_IMAGES = 16;
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
      <img id="grid" class="pixels" alt="Generated samples from the fixed noise">
      <figcaption class="muted">Generated: the same fixed noise at every step</figcaption>
    </figure>
    <figure>
      <div id="real" class="image-grid"></div>
      <figcaption class="muted">Real: images from the training data</figcaption>
    </figure>
  </div>
  ${divider()}
  <h2>Latent space</h2>
  <p class="muted">Pick cells of the fixed-noise grid by index (row by row, from 0). Interpolation walks the straight line from z<sub>A</sub> to z<sub>B</sub>; arithmetic adds and subtracts latent vectors as in the DCGAN paper.</p>
  <div class="controls">
    <label>A</label>${textField('a', 3)}
    <label>B</label>${textField('b', 3)}
    <label>C</label>${textField('c', 3)}
    ${button({ id: 'interpolate', appearance: 'primary', label: 'Interpolate A → B' })}
    ${button({ id: 'arithmetic', appearance: 'secondary', label: 'A − B + C' })}
    ${button({ id: 'export-latent', appearance: 'secondary', label: 'Export PNG', disabled: true })}
    ${progressRing('busy')}
  </div>
  <div id="latent" class="latent"></div>`,
}, onMessage);
const ui: Ui = shell.ui() ?? { a: 0, b: 1, c: 2 };
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

function cellIndex(id: 'a' | 'b' | 'c'): number {
  return wholeNumberOf($(id), ui[id]);
}

async function generate(latents: { weight: number; z: LatentSource }[][], labels: string[], columns: number): Promise<void> {
  ui.a = cellIndex('a');
  ui.b = cellIndex('b');
  ui.c = cellIndex('c');
  shell.saveUi(ui);
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
  const a = cellIndex('a');
  const b = cellIndex('b');
  const ts = Array.from({ length: INTERPOLATION_STEPS }, (_, i) => i / (INTERPOLATION_STEPS - 1));
  return generate(
    ts.map((t) => [{ weight: 1 - t, z: { kind: 'cell', index: a } }, { weight: t, z: { kind: 'cell', index: b } }]),
    ts.map((t) => (t === 0 ? 'A' : t === 1 ? 'B' : t.toFixed(2))),
    INTERPOLATION_STEPS,
  );
}

function arithmetic(): Promise<void> {
  const z = (id: 'a' | 'b' | 'c'): LatentSource => ({ kind: 'cell', index: cellIndex(id) });
  const [a, b, c] = [z('a'), z('b'), z('c')];
  return generate(
    [[{ weight: 1, z: a }], [{ weight: 1, z: b }], [{ weight: 1, z: c }], [{ weight: 1, z: a }, { weight: -1, z: b }, { weight: 1, z: c }]],
    ['A', '− B', '+ C', '= A − B + C'],
    4,
  );
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
for (const id of ['a', 'b', 'c'] as const) setValue($(id), ui[id]);
shell.ready();
