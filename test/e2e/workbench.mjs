// What a user does in the VS Code workbench, as Playwright steps: run a palette command, find GANscope's dashboard.
import { execFileSync } from 'node:child_process';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
    if (typed && (await succeeds(row.waitFor({ timeout: 2_000 })))) {
      await row.click();
      if (!opensPicker) await input.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('Escape');
    await sleep(1_000);
  }
  throw new Error(`The command palette never listed "${title}", or closed each time before it could be typed in.`);
}

/** Switches the color theme through "Preferences: Color Theme", picking it by its label (e.g. "Light Modern"). */
export async function pickColorTheme(page, label) {
  await runCommand(page, 'Preferences: Color Theme', { opensPicker: true });
  const input = page.locator('.quick-input-widget input');
  await input.fill(label);
  await page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name').getByText(label, { exact: true }) })
    .first()
    .click();
  await input.waitFor({ state: 'hidden' });
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
