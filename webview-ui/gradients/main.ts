// "What G learns from": fixed-noise samples with D's verdict, the gradient of G's loss with respect to their pixels, and
// each sample moved against it; real images with the gradient of D's loss. Asked of the trainer again with every new
// probe snapshot, and when a paused run's step changes.
import { ImageGradients, ProbeResult } from '../../src/protocol/probes';
import { el, byId } from '../common/dom';
import { fmt, imageCanvas } from '../common/draw';
import { panelShell, ViewMessage } from '../common/panelShell';
import { onThemeChange } from '../common/theme';
import { divergingBar, divergingCanvas } from './diverging';
import { largestMagnitude } from './divergingScale';
import './gradients.css';

type Gradients = Extract<ProbeResult, { kind: 'inputGradients' }>;

/** The first cells of the fixed-noise grid, and the first training images. */
const CELLS = [0, 1, 2, 3, 4, 5];
const REAL = [0, 1, 2, 3, 4, 5];
/** Screen pixels per image pixel (28×28 images draw at 84×84). */
const ZOOM = 3;
/** A step that settles this long without a new snapshot (a paused run stepped once) is asked about. */
const SETTLE_MS = 1_500;
/** The slider's changes are asked about once it rests this long. */
const SLIDER_MS = 150;

const shell = panelShell<{ stepSize: number }>({
  title: 'What G learns from',
  header: '<span id="summary" class="muted"></span>',
  controls: `
  <div class="controls">
    <label for="step-size">Step size η</label>
    <input id="step-size" type="range" min="0" max="1" step="0.05" value="0.25">
    <span id="step-size-label"></span>
  </div>`,
  body: `
  <p class="muted">G never sees a real image: its loss L<sub>G</sub> reaches its pixels x = G(z) only through D's verdict D(x).
  Training moves G's weights so that x moves against ∂L<sub>G</sub>/∂x, the gradient drawn below for six samples of the fixed noise.
  G draws as the sample grids do; D judges each row of six as one batch, as a training step does (its batch statistics are not stored),
  so its verdicts are what the D(x) and D(G(z)) charts measure. Nothing here changes the run.</p>
  <section id="generated" class="set">
    <h2>Generated samples: ∂L<sub>G</sub>/∂x</h2>
    <div class="legend" id="generated-legend"></div>
    <div class="grid" id="generated-grid"></div>
    <p class="muted"><em>After</em>: x − η·∂L<sub>G</sub>/∂x ÷ max|∂L<sub>G</sub>/∂x|, each sample's pixels moved against the gradient so that
    the largest change is η (clipped to the pixel range), with D's verdict on it. This is the step in pixel space the gradient asks for;
    G's own update changes its weights (by Adam, on a whole batch), which moves its pixels only as far as G can.</p>
  </section>
  <section id="real" class="set">
    <h2>Real images: D's own gradient ∂L<sub>D</sub>/∂x</h2>
    <div class="legend" id="real-legend"></div>
    <div class="grid" id="real-grid"></div>
    <p class="muted">D learns from real images too: where ∂L<sub>D</sub>/∂x is large, D's verdict on this training image hangs on those pixels.</p>
  </section>`,
}, onMessage);

const slider = byId<HTMLInputElement>('step-size');
let shown: Gradients | undefined;
/** The step of the weights last asked about, and the newest step the run reported. */
let asked: number | undefined;
let runStep = 0;
let inFlight = false;
let again = false;
let settle: ReturnType<typeof setTimeout> | undefined;
let sliding: ReturnType<typeof setTimeout> | undefined;

slider.value = String(shell.ui()?.stepSize ?? slider.value);
showStepSize();

function onMessage(message: ViewMessage): void {
  if (message.type === 'run') {
    runStep = message.run.step;
    if (asked === undefined) return void ask();
    clearTimeout(settle);
    if (runStep !== asked) settle = setTimeout(ask, SETTLE_MS);
  } else if (message.type === 'snapshots') {
    const step = message.snapshots.at(-1)?.step;
    if (step !== undefined && step > (asked ?? -1)) void ask();
  }
}

slider.addEventListener('input', () => {
  showStepSize();
  shell.saveUi({ stepSize: Number(slider.value) });
  clearTimeout(sliding);
  sliding = setTimeout(ask, SLIDER_MS);
});

function showStepSize(): void {
  byId('step-size-label').textContent = `${Number(slider.value).toFixed(2)} (largest pixel change; pixels span −1 to 1)`;
}

/** Asks the trainer for the gradients at the run's current weights; one question at a time, the last one asked again. */
async function ask(): Promise<void> {
  if (inFlight) return void (again = true);
  inFlight = true;
  asked = runStep;
  try {
    const result = await shell.probe({ kind: 'inputGradients', cells: CELLS, indices: REAL, stepSize: Number(slider.value) });
    if (result.kind === 'inputGradients') {
      shown = result;
      asked = Math.max(runStep, result.step);
      shell.notice('');
      draw();
    }
  } catch (err) {
    shell.notice(`Cannot compute the gradients: ${(err as Error).message}`);
  } finally {
    inFlight = false;
    if (again) {
      again = false;
      void ask();
    }
  }
}

function draw(): void {
  if (!shown) return;
  const r = shown;
  byId('summary').textContent = `weights of step ${r.step.toLocaleString('en-US')} · ${r.loss} loss`;
  const [, h, w, c] = r.shape;
  const realShape = [r.real.images.length / (h * w * c), h, w, c];
  drawSet('generated', r.generated, r.shape, 'D(G(z))', 'the step lowers this pixel', 'the step raises it', r.after);
  drawSet('real', r.real, realShape, 'D(x)', 'raising it would raise D\'s loss', 'raising it would lower D\'s loss');
}

/** One set's legend and its columns: image, verdict, gradient map, and (for G) the image after the step. */
function drawSet(id: string, set: ImageGradients, shape: number[], verdictName: string, positive: string, negative: string,
  after?: { images: Float32Array; verdicts: number[] }): void {
  const [n, h, w, c] = shape;
  const size = h * w * c;
  const scale = largestMagnitude(set.gradients, c);
  const section = byId(id);
  section.dataset.maxGradient = String(scale);
  section.dataset.step = String(shown?.step ?? '');
  section.dataset.stepSize = String(shown?.stepSize ?? '');
  const legend = byId(`${id}-legend`);
  legend.replaceChildren(
    el('span', undefined, `−${fmt(scale)}`), divergingBar(160, 10), el('span', undefined, `+${fmt(scale)}`),
    el('span', 'muted', `per pixel${c > 1 ? ', summed over channels' : ''}, one linear scale for all six · red: ${positive}; blue: ${negative}`),
  );
  const grid = byId(`${id}-grid`);
  grid.replaceChildren();
  grid.style.gridTemplateColumns = `var(--label-width) repeat(${n}, ${w * ZOOM + 4}px)`;
  const rows: [string, (i: number) => HTMLElement][] = [
    ['x', (i) => pixels(imageCanvas(set.images.subarray(i * size, (i + 1) * size), h, w, c, ZOOM))],
    [verdictName, (i) => verdict(set.verdicts[i])],
    [id === 'real' ? '∂L<sub>D</sub>/∂x' : '∂L<sub>G</sub>/∂x', (i) => pixels(divergingCanvas(set.gradients.subarray(i * size, (i + 1) * size), h, w, c, scale, ZOOM))],
  ];
  if (after) {
    rows.push(['after', (i) => pixels(imageCanvas(after.images.subarray(i * size, (i + 1) * size), h, w, c, ZOOM))]);
    rows.push([`${verdictName} after`, (i) => verdict(after.verdicts[i], set.verdicts[i])]);
  }
  for (const [label, cell] of rows) {
    const heading = el('span', 'row-label muted');
    heading.innerHTML = label; // the labels above, with subscripts: no text from outside
    grid.append(heading);
    for (let i = 0; i < n; i++) grid.append(cell(i));
  }
}

function pixels(canvas: HTMLCanvasElement): HTMLCanvasElement {
  canvas.className = 'pixels';
  return canvas;
}

/** A verdict, and how far it moved from `before` when there is one. */
function verdict(value: number, before?: number): HTMLElement {
  const text = before === undefined ? value.toFixed(3) : `${value.toFixed(3)} ${value >= before ? '+' : '−'}${Math.abs(value - before).toFixed(2)}`;
  const span = el('span', 'verdict', text);
  if (before !== undefined) span.classList.add(value >= before ? 'up' : 'down');
  return span;
}

onThemeChange(draw);
shell.ready();
