// A new user inspects a GAN: every panel opened on a live mnist-tiny run in a dark and a light theme, then on a run
// folder the command-line trainer wrote, with no trainer running.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/codeServer.mjs';
import { contextMenu, dashboardFrame, panelFrame, pickCells, pickColorTheme, quietWorkbench, runCommand, screenshots, sleep, startTrainingRun, useWorkbench, waitFor, waitForStatus } from './workbench.mjs';

const settings = {
  ...quietWorkbench,
  'ganscope.trainer.preset': 'mnist-tiny',
  'ganscope.trainer.probeEvery': 10,
  'ganscope.trainer.sampleEvery': 10,
};

const commands = {
  graph: 'GANscope: Open Model Graph',
  activations: 'GANscope: Open Activations',
  batchNorm: 'GANscope: Open Batch-Norm Statistics',
  gallery: 'GANscope: Open Sample Gallery',
  metrics: 'GANscope: Open Metrics',
};

/** In the page: the share of canvases matching `selector` that hold more than one grey level (not blank). */
function drawnShare(selector) {
  const canvases = [...document.querySelectorAll(selector)];
  const drawn = canvases.filter((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0]) return true;
    return false;
  });
  return { total: canvases.length, drawn: drawn.length };
}

describe('GANscope panels for a new user (packaged VSIX in code-server)', function () {
  const workbench = useWorkbench('panels', settings);
  let scratch;
  let page;
  let liveRun; // { id, dir, graph }

  before(function () {
    ({ scratch, page } = workbench);
  });

  const runsDir = () => join(scratch.workspace, '.ganscope', 'runs');
  const readGraph = (dir) => JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8'));
  const shoot = async (kind, theme) => {
    await page.mouse.move(1390, 890);
    await sleep(500);
    await page.screenshot({ path: join(screenshots, `panel-${kind}-${theme}.png`) });
  };

  /** Runs the panel's command and returns its frame once it shows `runId`. */
  async function open(kind, runId) {
    // A palette click can be lost when a webview takes focus as the palette closes: the command only opens or reveals
    // the panel, so it is run again. On two cores that a live run and six webviews share, a revealed panel's webview
    // has taken over 30 s to load.
    for (let attempt = 1; ; attempt++) {
      await runCommand(page, commands[kind]);
      const frame = await panelFrame(page, kind, { runId, timeoutMs: 45_000 }).catch((e) => { if (attempt === 3) throw e; });
      if (frame) return frame;
      console.log(`      (no ${kind} panel on ${runId} 45 s after its command, attempt ${attempt}: running it again)`);
    }
  }

  async function checkGraph(run) {
    await open('graph', run.id);
    const expected = run.graph.generator.layers.length + run.graph.discriminator.layers.length;
    // Looked for in every frame of this run's graph: after a theme switch the frame found first can be one that the
    // workbench is replacing, while the panel the user sees draws in its successor.
    const drawn = await waitFor('one graph node per layer', () => graphFrame(run.id), (g) => g.nodes === expected, { timeoutMs: 90_000 });
    assert.equal(drawn.nodes, expected, `graph.json has ${expected} layers`);
    return drawn.frame;
  }

  /** The frame of the run's graph panel with the most layer nodes drawn, and their number. */
  async function graphFrame(runId) {
    const frames = page.frames().filter((f) => !f.isDetached());
    const counts = await Promise.all(frames.map((f) => f.evaluate((runId) => {
      const main = document.querySelector('main#app');
      if (main?.getAttribute('data-app') !== 'graph' || !(document.querySelector('#run')?.textContent ?? '').includes(runId)) return -1;
      return document.querySelectorAll('#graph g.layer').length;
    }, runId).catch(() => -1)));
    const best = counts.indexOf(Math.max(...counts));
    return { frame: frames[best], nodes: counts[best] ?? -1, toJSON: () => counts[best] };
  }

  async function checkActivations(run) {
    const frame = await open('activations', run.id);
    const layers = run.graph.generator.layers.length;
    await waitFor(`a feature-map section for each of G's ${layers} layers`, () => frame.locator('section.layer[data-layer]').count(), (n) => n === layers, { timeoutMs: 90_000 });
    const share = await frame.evaluate(drawnShare, 'canvas.fmap');
    assert.ok(share.total > 0, 'feature maps are drawn');
    assert.ok(share.drawn / share.total > 0.5, `most feature maps are not blank: ${share.drawn} of ${share.total}`);
    // A weighted layer's histograms load when its "Weights and gradients" opens; the run has taken probe snapshots, so
    // its last gradients are there beside the weights.
    const weighted = run.graph.generator.layers.find((l) => l.params > 0);
    const details = frame.locator(`details.histograms[data-layer="${weighted.name}"]`);
    if (!(await details.evaluate((d) => d.open))) await details.locator('summary').click();
    const bins = details.locator('canvas.hist[data-bins]');
    await waitFor(`${weighted.name}'s weight and gradient histograms`, () => bins.count(), (n) => n === 2, { timeoutMs: 60_000 });
    assert.equal(await bins.first().getAttribute('data-bins'), '40');
    const histograms = await frame.evaluate(drawnShare, `details.histograms[data-layer="${weighted.name}"] canvas.hist`);
    assert.equal(histograms.drawn, 2, `both histograms have bars: ${histograms.drawn} of ${histograms.total}`);
    return frame;
  }

  async function checkBatchNorm(run) {
    const frame = await open('batchNorm', run.id);
    const bnLayers = [...run.graph.generator.layers, ...run.graph.discriminator.layers].filter((l) => l.type === 'batchNorm');
    await waitFor('a section per batch-norm layer', () => frame.locator('section.bn-layer').count(), (n) => n === bnLayers.length, { timeoutMs: 60_000 });
    for (const layer of bnLayers) {
      const section = frame.locator(`section.bn-layer[data-layer="${layer.name}"]`);
      const channels = layer.outputShape.at(-1);
      assert.equal(await section.getAttribute('data-channels'), String(channels), `${layer.name} has ${channels} channels`);
      assert.equal(await section.locator('tr.channel').count(), channels, `${layer.name} lists ${channels} channel rows`);
    }
    return frame;
  }

  async function checkGallery(run) {
    const frame = await open('gallery', run.id);
    const grid = frame.locator('img#grid');
    const scrub = (to) => frame.locator('#scrubber').evaluate((input, to) => {
      input.value = to === 'last' ? input.max : '0';
      input.dispatchEvent(new Event('input'));
    }, to);
    // A restored panel shows the step it was left on; the newest is at the scrubber's right end.
    await waitFor('saved sample grids', () => frame.locator('#scrubber').getAttribute('max'), (max) => Number(max) > 0, { timeoutMs: 30_000 });
    await scrub('last');
    await waitFor('a grid after step 0', () => grid.getAttribute('data-step'), (s) => !!s && Number(s) > 0, { timeoutMs: 15_000 });
    const newest = await grid.getAttribute('src');
    await scrub('first');
    await waitFor('the scrubber to show step 0', () => grid.getAttribute('data-step'), (s) => s === '0', { timeoutMs: 15_000 });
    assert.notEqual(await grid.getAttribute('src'), newest, 'the scrubber changes the image');
    await waitFor('16 real images beside the grid', () => frame.locator('#real canvas').count(), (n) => n === 16, { timeoutMs: 60_000 });
    await scrub('last');
    return frame;
  }

  async function checkMetrics(run) {
    const frame = await open('metrics', run.id);
    const losses = frame.locator('section.chart[data-group="Losses"]');
    const points = await waitFor('the loss chart to have points', () => losses.getAttribute('data-points').catch(() => null), (p) => Number(p) > 0, { timeoutMs: 30_000 });
    assert.ok(Number(points) > 0);
    assert.ok((await losses.locator('canvas').count()) > 0, 'the chart draws on a canvas');
    return frame;
  }

  const checks = { graph: checkGraph, activations: checkActivations, batchNorm: checkBatchNorm, gallery: checkGallery, metrics: checkMetrics };

  it('trains mnist-tiny until it has samples and probe snapshots', async function () {
    const { id, dir } = await startTrainingRun(page, scratch.workspace, ['graph.json', 'probes.jsonl']);
    liveRun = { id, dir, graph: readGraph(dir) };
  });

  for (const kind of Object.keys(checks)) {
    it(`opens the ${kind} panel on the live run (dark theme)`, async function () {
      await checks[kind](liveRun);
      await shoot(kind, 'dark');
    });
  }

  it('interpolates between two latent vectors, does A − B + C, and saves the grid as a PNG', async function () {
    const frame = await open('gallery', liveRun.id);
    // Three cells for each of A, B and C: interpolation walks from mean A to mean B, arithmetic draws A − B + C.
    await pickCells(frame, [0, 1, 2, 8, 9, 10, 16, 17, 18]);
    await frame.locator('#interpolate').click();
    await waitFor('10 interpolated images', () => frame.locator('#latent canvas').count(), (n) => n === 10, { timeoutMs: 60_000 });
    const share = await frame.evaluate(drawnShare, '#latent canvas');
    assert.equal(share.drawn, share.total, 'every interpolated image has content');
    await shoot('gallery-latent', 'dark');
    await frame.locator('#arithmetic').click();
    await waitFor('A, B, C and A − B + C', () => frame.locator('#latent canvas').count(), (n) => n === 4, { timeoutMs: 60_000 });
    await frame.locator('#export-png').click();
    // code-server's save dialog is a quick input that fills in the proposed path once it has read the folder (typing
    // before that is overwritten): wait for the suggested name, then Enter accepts it.
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    const suggested = new RegExp(`${liveRun.id}-step-\\d+\\.png$`);
    await waitFor('the suggested file name in the save dialog', () => input.inputValue(), (v) => suggested.test(v), { timeoutMs: 15_000 });
    await input.press('Enter');
    const saved = () => readdirSync(scratch.workspace).filter((f) => suggested.test(f)).map((f) => readFileSync(join(scratch.workspace, f)).subarray(1, 4).toString());
    await waitFor('the exported PNG on disk', saved, (magic) => magic[0] === 'PNG', { timeoutMs: 15_000 });
  });

  it('opens a layer\'s activations from a click on its box in the graph', async function () {
    const graph = await checkGraph(liveRun);
    const layer = liveRun.graph.generator.layers.find((l) => l.type === 'relu') ?? liveRun.graph.generator.layers[0];
    await graph.locator(`#graph g.layer[data-layer="${layer.name}"]`).click();
    const activations = await panelFrame(page, 'activations', { runId: liveRun.id });
    await waitFor(`${layer.name}'s feature maps to be focused`, () => activations.locator('section.layer.focused').getAttribute('data-layer').catch(() => null), (name) => name === layer.name, { timeoutMs: 60_000 });
  });

  it('draws every panel again in the light theme', async function () {
    // Five panels revealed in turn, each webview loading again: 35–95 s on 2 busy cores.
    this.timeout(420_000);
    await pickColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    for (const kind of Object.keys(checks)) {
      const frame = await checks[kind](liveRun);
      await waitFor(`the ${kind} panel to carry vscode-light`, () => frame.evaluate(() => document.body.className), (c) => c.includes('vscode-light'), { timeoutMs: 15_000 });
      await shoot(kind, 'light');
    }
  });

  it('draws the graph and metrics panels in the high-contrast theme', async function () {
    // Two panels revealed, each webview loading again: up to 165 s on 2 busy cores, a command run again at times.
    this.timeout(420_000);
    await pickColorTheme(page, 'Dark High Contrast');
    await page.locator('.monaco-workbench.hc-black').waitFor({ timeout: 15_000 });
    for (const kind of ['graph', 'metrics']) {
      const frame = await checks[kind](liveRun);
      await waitFor(`the ${kind} panel to carry vscode-high-contrast`, () => frame.evaluate(() => document.body.className), (c) => c.includes('vscode-high-contrast'), { timeoutMs: 15_000 });
      await shoot(kind, 'high-contrast');
    }
    await pickColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
  });

  it('opens a run folder the command-line trainer wrote, with no trainer running', async function () {
    // Trains a run, then opens five panels and starts an inspector: 61 s on 2 quiet cores, 109–125 s in full CI runs. The
    // inspector is ready ~1 s after the gallery asks; what varies is a context menu closed by a panel taking focus.
    this.timeout(360_000);
    // The dashboard's own Stop button: a palette row that moves under its click can close the palette unrun.
    const dashboard = await dashboardFrame(page);
    await dashboard.locator('#stop').click();
    await waitForStatus(dashboard, 'stopped', { timeoutMs: 30_000 });
    // The command-line trainer writes into the runs folder; the Runs tree lists what it finds there.
    execFileSync(process.execPath, [join(repoRoot, 'out', 'cli.js'), '--preset', 'mnist-tiny', '--steps', '20', '--sample-every', '5', '--probe-every', '5', '--out', runsDir()], { stdio: 'ignore', timeout: 120_000 });
    const id = readdirSync(runsDir()).sort().at(-1);
    assert.notEqual(id, liveRun.id, 'the CLI wrote a new run folder');
    const dir = join(runsDir(), id);
    const run = { id, dir, graph: readGraph(dir) };
    await runCommand(page, 'GANscope: Refresh Runs');
    const tree = page.locator('.part.sidebar .monaco-list-row', { hasText: id });
    await tree.first().waitFor({ timeout: 15_000 });
    // Right-click the run in the Runs tree → each panel that needs no live trainer, on that run.
    const menu = [['graph', 'Open Model Graph'], ['gallery', 'Open Sample Gallery'], ['metrics', 'Open Metrics'], ['activations', 'Open Activations'], ['batchNorm', 'Open Batch-Norm Statistics']];
    for (const [kind, label] of menu) {
      // A panel still loading can take focus and close the menu before the click lands: then the menu is opened again.
      // A panel that opens shows its run within 2 s on 2 quiet cores, so a miss is given up on after 8 s, not 15.
      for (let attempt = 1; ; attempt++) {
        await contextMenu(page, tree.first(), label);
        const opened = await panelFrame(page, kind, { runId: id, timeoutMs: attempt < 3 ? 8_000 : 30_000 }).then(() => true, (e) => (attempt < 3 ? false : Promise.reject(e)));
        if (opened) break;
      }
      if (kind === 'graph') {
        const frame = await panelFrame(page, 'graph', { runId: id });
        const expected = run.graph.generator.layers.length + run.graph.discriminator.layers.length;
        await waitFor('one graph node per layer of the CLI run', () => frame.locator('#graph g.layer').count(), (n) => n === expected, { timeoutMs: 30_000 });
      }
      if (kind === 'gallery') {
        const frame = await panelFrame(page, 'gallery', { runId: id });
        await waitFor('the CLI run\'s newest grid', () => frame.locator('img#grid').getAttribute('data-step'), (s) => s === '20', { timeoutMs: 30_000 });
        // No trainer runs: the real images come from an inspector, which starts on this first request.
        await waitFor('the CLI run\'s real images', () => frame.locator('#real canvas').count(), (n) => n === 16, { timeoutMs: 90_000 });
      }
      if (kind === 'metrics') {
        const frame = await panelFrame(page, 'metrics', { runId: id });
        await waitFor('20 steps in the loss chart', () => frame.locator('section.chart[data-group="Losses"]').getAttribute('data-points').catch(() => null), (p) => Number(p) === 20, { timeoutMs: 30_000 });
      }
      if (kind === 'activations') {
        // No trainer runs: an inspector loads the run's last checkpoint to compute them.
        const frame = await panelFrame(page, 'activations', { runId: id });
        const layers = run.graph.generator.layers.length;
        await waitFor('the CLI run\'s feature maps', () => frame.locator('section.layer[data-layer]').count(), (n) => n === layers, { timeoutMs: 90_000 });
        const share = await frame.evaluate(drawnShare, 'canvas.fmap');
        assert.ok(share.drawn / share.total > 0.5, `most feature maps are not blank: ${share.drawn} of ${share.total}`);
      }
      if (kind === 'batchNorm') {
        const frame = await panelFrame(page, 'batchNorm', { runId: id });
        const bn = run.graph.generator.layers.concat(run.graph.discriminator.layers).filter((l) => l.type === 'batchNorm').length;
        await waitFor('the CLI run\'s batch-norm layers', () => frame.locator('section.bn-layer').count(), (n) => n === bn, { timeoutMs: 60_000 });
      }
      await shoot(kind, 'cli');
    }
  });

  it('restores an open panel on the same run after a window reload', async function () {
    const id = readdirSync(runsDir()).sort().at(-1);
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = await panelFrame(page, 'batchNorm', { runId: id, timeoutMs: 90_000 });
    await waitFor('the restored batch-norm sections', () => frame.locator('section.bn-layer').count(), (n) => n > 0, { timeoutMs: 60_000 });
  });

  it('shows a progressive run growing through every resolution: samples at each in the gallery, the side in the graph', async function () {
    execFileSync(process.execPath, [join(repoRoot, 'out', 'cli.js'), '--preset', 'mnist-progressive', '--grow-steps', '2', '--steps', '10', '--sample-every', '1', '--probe-every', '5', '--out', runsDir()], { stdio: 'ignore', timeout: 120_000 });
    const id = readdirSync(runsDir()).filter((d) => d.endsWith('mnist-progressive')).sort().at(-1);
    assert.ok(id, 'the CLI wrote a progressive run');
    await runCommand(page, 'GANscope: Refresh Runs');
    const row = page.locator('.part.sidebar .monaco-list-row', { hasText: id }).first();
    await row.waitFor({ timeout: 15_000 });
    for (let attempt = 1; ; attempt++) {
      await contextMenu(page, row, 'Open Sample Gallery');
      if (await panelFrame(page, 'gallery', { runId: id, timeoutMs: 15_000 }).then(() => true, (e) => (attempt < 3 ? false : Promise.reject(e)))) break;
    }
    const frame = await panelFrame(page, 'gallery', { runId: id });
    await waitFor('the 11 grids of the progressive run', () => frame.locator('#scrubber').getAttribute('max'), (max) => max === '10', { timeoutMs: 30_000 });
    const sides = new Set();
    for (let index = 0; index <= 10; index++) {
      await frame.locator('#scrubber').evaluate((input, to) => {
        input.value = String(to);
        input.dispatchEvent(new Event('input'));
      }, index);
      await waitFor(`the grid of step ${index}`, () => frame.locator('img#grid').getAttribute('data-step'), (s) => s === String(index), { timeoutMs: 15_000 });
      const label = await frame.locator('#step-label').textContent();
      const side = label.match(/made at (\d+)×/)?.[1];
      assert.ok(side, `the label of step ${index} names the side it was made at: "${label}"`);
      sides.add(Number(side));
      if (index === 4) await shoot('gallery', 'progressive');
    }
    assert.deepEqual([...sides].sort((a, b) => a - b), [7, 14, 28], 'samples at every resolution');
    for (let attempt = 1; ; attempt++) {
      await contextMenu(page, row, 'Open Model Graph');
      if (await panelFrame(page, 'graph', { runId: id, timeoutMs: 15_000 }).then(() => true, (e) => (attempt < 3 ? false : Promise.reject(e)))) break;
    }
    const graph = await panelFrame(page, 'graph', { runId: id });
    await waitFor('the graph to show the grown side', () => graph.locator('body').innerText(), (t) => t.includes('28×28, α 1.00'), { timeoutMs: 30_000 });
  });
});
