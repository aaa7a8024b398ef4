// A new user's first run: install the VSIX, open the GANscope view, train mnist-tiny, watch samples, pause, stop.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dashboardFrame, pickColorTheme, quietWorkbench, runCommand, screenshots, sleep, stepOf, trainerProcesses, useWorkbench, waitFor, waitForStatus } from './workbench.mjs';

const settings = {
  ...quietWorkbench,
  'ganscope.trainer.preset': 'mnist-tiny',
};

describe('GANscope for a new user (packaged VSIX in code-server)', function () {
  const workbench = useWorkbench('dashboard', settings);
  let scratch;
  let page;
  let dashboard;

  before(function () {
    ({ scratch, page } = workbench);
  });

  const statusBarStep = () => page.locator('.part.statusbar .statusbar-item', { hasText: /\bstep \d+/i });

  it('shows GANscope in the activity bar and opens its view', async function () {
    const item = page.locator('.part.activitybar .action-item a[aria-label^="GANscope"]');
    await item.waitFor({ timeout: 60_000 });
    await item.click();
    await page.locator('.part.sidebar .pane-header', { hasText: 'Dashboard' }).waitFor();
    await page.locator('.part.sidebar .pane-header', { hasText: 'Runs' }).waitFor();
  });

  it('starts training from the command palette and the dashboard step rises', async function () {
    await runCommand(page, 'GANscope: Start Training');
    dashboard = await dashboardFrame(page);
    await waitForStatus(dashboard, 'running');
    const first = await waitFor('#step to pass 0', () => stepOf(dashboard), (n) => n > 0);
    await waitFor(`#step to rise past ${first}`, () => stepOf(dashboard), (n) => n > first);
    assert.equal(trainerProcesses(scratch.extensionsDir).length, 1, 'one trainer process runs from the installed extension');
  });

  it('shows the live step in the status bar', async function () {
    await statusBarStep().waitFor({ timeout: 15_000 });
  });

  it('shows a sample grid as a PNG data URI', async function () {
    await waitFor('img#samples to get a data: PNG', () => dashboard.locator('img#samples').getAttribute('src'), (src) => !!src?.startsWith('data:image/png'));
    const loaded = await dashboard.locator('img#samples').evaluate((img) => img.complete && img.naturalWidth > 0);
    assert.ok(loaded, 'the sample grid decodes as an image');
    for (const id of ['#d-loss', '#g-loss', '#d-real', '#d-fake', '#ips', '#backend']) {
      assert.notEqual((await dashboard.locator(id).textContent())?.trim() ?? '', '', `${id} shows a value`);
    }
    await page.mouse.move(700, 450);
    await sleep(500);
    await page.screenshot({ path: join(screenshots, 'dashboard-dark.png') });
    await page.locator('.part.sidebar').screenshot({ path: join(screenshots, 'dashboard-dark-sidebar.png') });
  });

  it('follows a switch to the light theme', async function () {
    // The picker lists the theme "Default Light Modern" by its label, "Light Modern".
    await pickColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs.vscode-theme-defaults-themes-light_modern-json').waitFor({ timeout: 15_000 });
    await waitFor('the dashboard body to carry vscode-light', () => dashboard.evaluate(() => document.body.className), (c) => c.includes('vscode-light'), { timeoutMs: 15_000 });
    await sleep(1_000);
    await page.screenshot({ path: join(screenshots, 'dashboard-light.png') });
    await page.locator('.part.sidebar').screenshot({ path: join(screenshots, 'dashboard-light-sidebar.png') });
  });

  it('freezes the step while paused', async function () {
    await runCommand(page, 'GANscope: Pause Training');
    await waitForStatus(dashboard, 'paused', { timeoutMs: 15_000 });
    const paused = await stepOf(dashboard);
    await sleep(3_000);
    assert.equal(await stepOf(dashboard), paused, 'the step does not move while paused');
  });

  it('ends the trainer process on stop', async function () {
    assert.equal(trainerProcesses(scratch.extensionsDir).length, 1, 'the paused trainer is still alive before stop');
    await runCommand(page, 'GANscope: Stop Training');
    await waitForStatus(dashboard, 'stopped', { timeoutMs: 15_000 });
    await waitFor('the trainer process to exit', async () => trainerProcesses(scratch.extensionsDir), (list) => list.length === 0, { timeoutMs: 15_000 });
    await statusBarStep().waitFor({ state: 'hidden', timeout: 15_000 });
  });
});
