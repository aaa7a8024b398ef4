// What G learns from: mnist-tiny trains, the gradients panel draws non-zero ∂L_G/∂x and ∂L_D/∂x maps and follows new
// probe snapshots; paused, its slider steps the samples, and the Metrics panel shows D's verdicts as distributions;
// then, the run stopped, the panel opens from the Runs tree on an inspector. Screenshots dark and light.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { contextMenu, dashboardFrame, panelFrame, pickColorTheme, quietWorkbench, runCommand, screenshots, sleep, startTrainingRun, useWorkbench, waitFor, waitForStatus } from './workbench.mjs';

const settings = {
  ...quietWorkbench,
  'ganscope.trainer.preset': 'mnist-tiny',
  'ganscope.trainer.probeEvery': 10,
  'ganscope.trainer.sampleEvery': 10,
};

/** In the page: how many canvases matching `selector` hold more than one colour (not blank), of how many. */
function drawnShare(selector) {
  const canvases = [...document.querySelectorAll(selector)];
  const drawn = canvases.filter((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    for (let i = 4; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
    return false;
  });
  return { total: canvases.length, drawn: drawn.length };
}

describe('What G learns from: the gradients panel and D\'s verdict histograms (packaged VSIX in code-server)', function () {
  this.timeout(300_000);
  const workbench = useWorkbench('gradients', settings);
  let scratch;
  let page;
  let run; // { id, dir }

  before(async function () {
    ({ scratch, page } = workbench);
    // Tall enough for both sets of images, their maps and the step's verdicts in one screenshot.
    await page.setViewportSize({ width: 1400, height: 1050 });
  });

  const shoot = async (name) => {
    await page.mouse.move(1390, 1040);
    await sleep(500);
    await page.screenshot({ path: join(screenshots, `${name}.png`) });
  };
  const maxGradient = (frame, set) => frame.locator(`section#${set}`).getAttribute('data-max-gradient').then(Number, () => 0);

  /** Waits until both sets show non-zero gradient maps and every map and image is drawn. */
  async function checkMaps(frame) {
    for (const set of ['generated', 'real']) {
      await waitFor(`a non-zero ∂L/∂x on the ${set} images`, () => maxGradient(frame, set), (m) => m > 0, { timeoutMs: 90_000 });
    }
    const generated = await frame.evaluate(drawnShare, '#generated-grid canvas');
    assert.equal(generated.total, 18, 'six samples, their maps and the samples after the step');
    assert.equal(generated.drawn, generated.total, `every generated image and map is drawn: ${generated.drawn} of ${generated.total}`);
    const real = await frame.evaluate(drawnShare, '#real-grid canvas');
    assert.equal(real.drawn, 12, `six real images and their maps: ${real.drawn} of ${real.total}`);
  }

  it('trains mnist-tiny until it has probe snapshots', async function () {
    run = await startTrainingRun(page, scratch.workspace, ['probes.jsonl']);
  });

  it('draws non-zero gradient maps of the live run, and follows its new probe snapshots', async function () {
    await runCommand(page, 'GANscope: Open Gradients: What G Learns From');
    const frame = await panelFrame(page, 'gradients', { runId: run.id, timeoutMs: 60_000 });
    await checkMaps(frame);
    const first = Number(await frame.locator('section#generated').getAttribute('data-step'));
    await waitFor('the maps of a later step', () => frame.locator('section#generated').getAttribute('data-step'), (s) => Number(s) > first, { timeoutMs: 60_000 });
  });

  it('moves the samples of a paused run further as the step size slider goes up', async function () {
    const dashboard = await dashboardFrame(page);
    await dashboard.locator('#pause').click();
    await waitForStatus(dashboard, 'paused', { timeoutMs: 60_000 });
    const frame = await panelFrame(page, 'gradients', { runId: run.id });
    await frame.locator('#step-size').evaluate((input) => {
      input.value = '0.5';
      input.dispatchEvent(new Event('input'));
    });
    await waitFor('the samples after a step of 0.5', () => frame.locator('section#generated').getAttribute('data-step-size'), (s) => s === '0.5', { timeoutMs: 30_000 });
    assert.equal(await frame.locator('#generated-grid .verdict').count(), 12, 'D(G(z)) before and after the step, for six samples');
    await shoot('gradients-dark');
  });

  it('shows D\'s verdicts as distributions beside the means in the Metrics panel', async function () {
    await runCommand(page, 'GANscope: Open Metrics');
    const frame = await panelFrame(page, 'metrics', { runId: run.id, timeoutMs: 60_000 });
    const section = frame.locator('section.verdicts');
    await waitFor('a histogram of D\'s outputs for each probe snapshot', () => section.getAttribute('data-snapshots').catch(() => null), (n) => Number(n) >= 3, { timeoutMs: 30_000 });
    assert.deepEqual(await section.locator('figcaption').allTextContents(), ['D(x) on real images', 'D(G(z)) on generated images']);
    const maps = await frame.evaluate(drawnShare, 'section.verdicts canvas');
    assert.equal(maps.drawn, 2, 'both heatmaps are drawn');
    await section.evaluate((box) => box.scrollIntoView({ block: 'end' }));
    await shoot('metrics-verdicts-dark');
  });

  it('opens on the stopped run from the Runs tree, through an inspector, in the light theme', async function () {
    await runCommand(page, 'GANscope: Stop Training');
    await waitForStatus(await dashboardFrame(page), 'stopped', { timeoutMs: 60_000 });
    await pickColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    // The panels of the live run close so that the one from the Runs tree is a new one, on an inspector.
    await runCommand(page, 'View: Close All Editors');
    const row = page.locator('.part.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: run.id }) }).first();
    await row.waitFor({ timeout: 15_000 });
    await contextMenu(page, row, 'Open Gradients: What G Learns From');
    const frame = await panelFrame(page, 'gradients', { runId: run.id, timeoutMs: 60_000 });
    await waitFor('the panel to carry vscode-light', () => frame.evaluate(() => document.body.className), (c) => c.includes('vscode-light'), { timeoutMs: 15_000 });
    await checkMaps(frame);
    await shoot('gradients-light');
    await contextMenu(page, row, 'Open Metrics');
    const metrics = await panelFrame(page, 'metrics', { runId: run.id, timeoutMs: 60_000 });
    await waitFor('the verdict heatmaps', () => metrics.locator('section.verdicts').getAttribute('data-snapshots').catch(() => null), (n) => Number(n) >= 3, { timeoutMs: 30_000 });
    await metrics.locator('section.verdicts').evaluate((box) => box.scrollIntoView({ block: 'end' }));
    await shoot('metrics-verdicts-light');
  });
});
