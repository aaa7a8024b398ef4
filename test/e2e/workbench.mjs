// What a user does in the VS Code workbench, as Playwright steps: run a palette command, find GANscope's dashboard.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchBrowser } from '../harness/browser.mjs';
import { createScratch, installVsix, removeScratch, repoRoot, startCodeServer, writeUserSettings } from '../harness/codeServer.mjs';

export const vsix = resolve(process.env.GANSCOPE_VSIX || join(repoRoot, 'out', 'ganscope.vsix'));
export const screenshots = resolve(process.env.GANSCOPE_SCREENSHOTS || join(repoRoot, 'test', 'screenshots'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The hooks every e2e suite shares, registered in the calling `describe`: a scratch code-server with the packaged VSIX
 * and the user `settings`, and a Chromium page on its workbench. A failed suite leaves `<name>-failure.png` (the screen at
 * its first failure) and keeps its scratch folder for a look at code-server.log. Returns an object whose `scratch` and `page` are set by `before`.
 */
/**
 * Settings for a workbench that opens nothing by itself, so a scenario begins with an empty editor and its screenshots
 * show GANscope: no start page, no tips, no command center, no Chat side bar, and no walkthrough on install.
 */
export const quietWorkbench = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function useWorkbench(name, settings) {
  const ctx = { scratch: undefined, page: undefined };
  let server;
  let browser;
  let failed = false;
  before(async function () {
    ctx.scratch = createScratch(name);
    writeUserSettings(ctx.scratch, settings);
    await installVsix(ctx.scratch, vsix);
    server = await startCodeServer(ctx.scratch);
    browser = await launchBrowser();
    ctx.page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // E2E_CONSOLE=1 prints the workbench's and the webviews' console, for debugging a scenario.
    if (process.env.E2E_CONSOLE) ctx.page.on('console', (m) => console.log(`[browser ${m.type()}]`, m.text().slice(0, 300)));
    await ctx.page.goto(server.workbenchUrl());
    await ctx.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    mkdirSync(screenshots, { recursive: true });
  });
  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    // The first failure's screen says most: later scenarios often fail because of it.
    if (!failed && ctx.page) await ctx.page.screenshot({ path: join(screenshots, `${name}-failure.png`) }).catch(() => {});
    failed = true;
  });
  after(async function () {
    await browser?.close();
    await server?.stop();
    if (ctx.scratch && !failed) removeScratch(ctx.scratch);
    else if (ctx.scratch) console.log(`${name} scratch (code-server.log, extensions, runs) kept at ${ctx.scratch.root}`);
  });
  return ctx;
}

/** Runs a command by its palette title. The palette's list is built when it opens, so a missing entry (or a palette closed
 * before it could be typed in) is retried. */
export async function runCommand(page, title, { attempts = 15, opensPicker = false } = {}) {
  const input = page.locator('.quick-input-widget input');
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name').getByText(title, { exact: true }) })
    .first();
  const succeeds = (promise) => promise.then(() => true, () => false);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await page.keyboard.press('F1');
    // A webview that finishes loading can take focus and close the palette under us: then try again.
    const typed = (await succeeds(input.waitFor({ state: 'visible', timeout: 5_000 }))) &&
      (await succeeds(input.fill(`>${title}`, { timeout: 5_000 })));
    // The palette can also close between listing the row and the click: then the click times out and we try again.
    if (typed && (await succeeds(row.waitFor({ timeout: 2_000 }))) && (await succeeds(row.click({ timeout: 5_000 })))) {
      if (!opensPicker) await input.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('Escape');
    await sleep(1_000);
  }
  throw new Error(`The command palette never listed "${title}", or closed each time before it could be typed in.`);
}

/** Picks an entry of an open quick pick by typing its label and pressing Enter: under load a list row can keep moving
 * (it is "not stable") long enough for a click to time out. */
export async function pickQuickItem(page, label, { timeoutMs = 15_000 } = {}) {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ timeout: timeoutMs });
  await page.locator('.quick-input-widget input').fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 5_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: timeoutMs });
}

/** Switches the color theme through "Preferences: Color Theme", picking it by its label (e.g. "Light Modern"). */
export async function pickColorTheme(page, label, attempts = 3) {
  const input = page.locator('.quick-input-widget input');
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name').getByText(label, { exact: true }) })
    .first();
  for (let attempt = 1; ; attempt++) {
    await runCommand(page, 'Preferences: Color Theme', { opensPicker: true });
    try {
      // As in runCommand: a webview taking focus can close the picker before the theme is clicked.
      await input.fill(label, { timeout: 5_000 });
      // Enter on the focused match, not a click: while the theme is previewed every open webview redraws, and the row
      // may not hold still long enough for a click.
      await row.waitFor({ timeout: 5_000 });
      await waitFor(`"${label}" to be the focused match`, () => row.getAttribute('class'), (c) => c.includes('focused'), { timeoutMs: 5_000 });
      await input.press('Enter');
      await input.waitFor({ state: 'hidden' });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await page.keyboard.press('Escape');
      await sleep(1_000);
    }
  }
}

/** The innermost webview frame of the GANscope dashboard, found by its content. */
export async function dashboardFrame(page, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const isDashboard = await frame
        .evaluate(() => !!document.querySelector('#status') && !!document.querySelector('#step'))
        .catch(() => false);
      if (isDashboard) return frame;
    }
    await sleep(250);
  }
  throw new Error('No webview frame with #status and #step (the GANscope dashboard) appeared.');
}

/** Polls a value until the predicate holds; fails naming what it waited for and the last value seen. */
export async function waitFor(what, read, predicate, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (predicate(last)) return last;
    await sleep(intervalMs);
  }
  throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}; last value: ${JSON.stringify(last)?.slice(0, 200)}`);
}

/** Waits for the dashboard's #status to read the status; a run that ends first ("stopped", "crashed") fails at once. */
export async function waitForStatus(frame, status, { timeoutMs = 60_000 } = {}) {
  const ended = ['stopped', 'crashed'];
  const read = async () => (await frame.locator('#status').textContent())?.trim();
  const seen = await waitFor(`#status to read "${status}"`, read, (s) => s === status || ended.includes(s), { timeoutMs });
  if (seen !== status) {
    const text = (await frame.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300);
    throw new Error(`The dashboard shows "${seen}" while waiting for "${status}": ${text}`);
  }
}

export async function stepOf(frame) {
  const text = (await frame.locator('#step').textContent())?.trim() ?? '';
  if (!/^\d+$/.test(text)) throw new Error(`#step shows "${text}", not an integer.`);
  return Number(text);
}

/** Trainer processes (node …/out/trainer.js) started from the extensions under extensionsDir. */
export function trainerProcesses(extensionsDir) {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m) => m && m[2].includes(extensionsDir) && /out\/trainer\.js(\s|$)/.test(m[2]))
    .map((m) => ({ pid: Number(m[1]), args: m[2] }));
}

export { sleep };

/**
 * The innermost webview frame of a GANscope panel, found by its bundle name (`<main id="app" data-app="graph">`) and,
 * when given, the run id its header shows.
 */
export async function panelFrame(page, app, { runId, timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached()) continue;
      const found = await frame
        .evaluate(({ app, runId }) => {
          const main = document.querySelector('main#app');
          if (main?.getAttribute('data-app') !== app) return false;
          return !runId || (document.querySelector('#run')?.textContent ?? '').includes(runId);
        }, { app, runId })
        .catch(() => false);
      if (found) return frame;
    }
    await sleep(250);
  }
  throw new Error(`No webview frame of the GANscope ${app} panel${runId ? ` on run ${runId}` : ''} appeared.`);
}

/** Right-clicks a row (e.g. of the Runs tree) and picks a context-menu entry, retrying while the tree re-renders the row. */
export async function contextMenu(page, row, label, { attempts = 5 } = {}) {
  const item = page.locator('.context-view .action-label', { hasText: label }).first();
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await row.click({ button: 'right' }).catch(() => {});
    if (await item.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) {
      await item.click().catch(() => {});
      if (await closes(item)) return;
      // A click can miss while webviews redraw (a theme change): a hovered entry is focused, and Enter picks it.
      await item.hover().catch(() => {});
      const focused = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('focused')).catch(() => false);
      if (focused) await page.keyboard.press('Enter');
      if (await closes(item)) return;
    }
    await page.keyboard.press('Escape');
    await sleep(500);
  }
  throw new Error(`The context menu never offered "${label}".`);
}

/** Whether a context-menu entry goes away within 2 s (its menu closed because the entry was picked). */
function closes(item) {
  return item.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false);
}

/** Clicks cells of the gallery's 8×8 fixed-noise grid, by index, once the grid has loaded. */
export async function pickCells(gallery, cells) {
  const grid = gallery.locator('#grid');
  await waitFor('the sample grid to load', () => grid.evaluate((img) => img.naturalWidth), (w) => w > 0, { timeoutMs: 120_000 });
  const box = await grid.boundingBox();
  for (const cell of cells) {
    await grid.click({ position: { x: ((cell % 8) + 0.5) * (box.width / 8), y: (Math.floor(cell / 8) + 0.5) * (box.height / 8) } });
  }
}

/**
 * Starts training the default run from the palette with the GANscope view open, waits for step 30 on the dashboard and
 * for `files` in the new run folder (the workspace's first), and returns the run's id and folder.
 */
export async function startTrainingRun(page, workspace, files) {
  await page.locator('.part.activitybar .action-item a[aria-label^="GANscope"]').click();
  await runCommand(page, 'GANscope: Start Training');
  const dashboard = await dashboardFrame(page, { timeoutMs: 60_000 });
  await waitForStatus(dashboard, 'running');
  await waitFor('step 30', () => stepOf(dashboard), (n) => n >= 30, { timeoutMs: 120_000 });
  const runsDir = join(workspace, '.ganscope', 'runs');
  const id = readdirSync(runsDir)[0];
  const dir = join(runsDir, id);
  await waitFor(`${files.join(' and ')} in the run folder`, () => files.every((f) => existsSync(join(dir, f))), Boolean);
  return { id, dir };
}
