// Step mode: pause a run, press Step D, Step G and Step both on the dashboard (and one from the palette), each moving the
// step by exactly one and showing the grid and D's verdicts before and after; the gallery's timeline holds the new grids.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardFrame, panelFrame, pickColorTheme, quietWorkbench, runCommand, screenshots, sleep, stepOf, useWorkbench, waitFor, waitForStatus } from './workbench.mjs';

const settings = { ...quietWorkbench, 'ganscope.trainer.preset': 'mnist-tiny' };

/** Each button, the words the dashboard says of its step. */
const BUTTONS = [
  ['stepDiscriminator', 'one update of D; G is unchanged'],
  ['stepGenerator', 'one update of G; D is unchanged'],
  ['stepBoth', 'one update of D, then one of G'],
];

describe('Step mode (packaged VSIX in code-server)', function () {
  const workbench = useWorkbench('stepmode', settings);
  let scratch;
  let page;
  let dashboard;
  let runDir;
  /** The steps the step-mode presses made. */
  const stepped = [];

  before(function () {
    ({ scratch, page } = workbench);
  });

  const shoot = async (theme) => {
    await page.mouse.move(1390, 890);
    await sleep(500);
    await page.screenshot({ path: join(screenshots, `stepmode-${theme}.png`) });
  };

  /** Waits until the step has held still for 2 s (a step under way when Pause was pressed still finishes). */
  async function settledStep() {
    let last = await stepOf(dashboard);
    for (;;) {
      await sleep(2_000);
      const now = await stepOf(dashboard);
      if (now === last) return now;
      last = now;
    }
  }

  /** Presses `press` (a click or a command) and checks the step moved by exactly one and the dashboard shows its views. */
  async function stepsOnce(press, words) {
    const from = await stepOf(dashboard);
    await press();
    await waitFor(`the dashboard to show step ${from + 1}'s views`, () => dashboard.locator('#stepped-what').textContent(), (t) => t === `Step ${from + 1}: ${words}.`, { timeoutMs: 60_000 });
    await waitFor(`#step to read ${from + 1}`, () => stepOf(dashboard), (n) => n === from + 1, { timeoutMs: 15_000 });
    await sleep(2_000);
    assert.equal(await stepOf(dashboard), from + 1, 'one press, one step: still paused after it');
    await waitForStatus(dashboard, 'paused', { timeoutMs: 5_000 });
    for (const which of ['before', 'after']) {
      const loaded = await dashboard.locator(`#stepped-${which}-grid`).evaluate((img) => img.complete && img.naturalWidth > 0);
      assert.ok(loaded, `the ${which} grid decodes as an image`);
      assert.match(await dashboard.locator(`#stepped-${which}`).textContent(), new RegExp(`step ${which === 'before' ? from : from + 1}(?!\\d).*D\\(x\\) 0\\.\\d{3}.*D\\(G\\(z\\)\\) 0\\.\\d{3}`));
    }
    stepped.push(from + 1);
  }

  it('pauses a running mnist-tiny run and offers the step buttons', async function () {
    await page.locator('.part.activitybar .action-item a[aria-label^="GANscope"]').click();
    await runCommand(page, 'GANscope: Start Training');
    dashboard = await dashboardFrame(page);
    await waitForStatus(dashboard, 'running');
    // Far enough that G draws strokes, so one update visibly changes them.
    await waitFor('#step to pass 300', () => stepOf(dashboard), (n) => n > 300, { timeoutMs: 240_000 });
    assert.equal(await dashboard.locator('#step-mode').isVisible(), false, 'no step buttons while training runs');
    await dashboard.locator('#pause').click();
    await waitForStatus(dashboard, 'paused', { timeoutMs: 15_000 });
    await settledStep();
    await dashboard.locator('#step-mode').waitFor({ state: 'visible', timeout: 5_000 });
    const runsDir = join(scratch.workspace, '.ganscope', 'runs');
    runDir = join(runsDir, readdirSync(runsDir)[0]);
  });

  for (const [button, words] of BUTTONS) {
    it(`moves the step by exactly one on ${button} and shows the grid and D's verdicts before and after`, async function () {
      await stepsOnce(() => dashboard.locator(`#${button}`).click(), words);
    });
  }

  it('steps once from the command palette too', async function () {
    await stepsOnce(() => runCommand(page, 'GANscope: Step Generator (One Update of G)'), 'one update of G; D is unchanged');
  });

  it('writes each stepped grid to the run, and the gallery\'s timeline ends at the last one', async function () {
    for (const step of stepped) assert.ok(existsSync(join(runDir, 'samples', `step-${String(step).padStart(6, '0')}.png`)), `samples/ holds step ${step}`);
    await runCommand(page, 'GANscope: Open Sample Gallery');
    const gallery = await panelFrame(page, 'gallery', { timeoutMs: 60_000 });
    const last = stepped[stepped.length - 1];
    await waitFor('the gallery to list the stepped grids', () => gallery.locator('#step-label').textContent(), (t) => /of \d+/.test(t ?? ''), { timeoutMs: 30_000 });
    await gallery.locator('#scrubber').evaluate((input) => {
      input.value = input.max;
      input.dispatchEvent(new Event('input'));
    });
    await waitFor(`the gallery's newest grid to be step ${last}`, () => gallery.locator('img#grid').getAttribute('data-step'), (s) => s === String(last), { timeoutMs: 30_000 });
    await waitFor('the gallery to show the last step\'s views', () => gallery.locator('#stepped-what').textContent(), (t) => t === `Step ${last}: one update of G; D is unchanged.`, { timeoutMs: 30_000 });
    for (const which of ['before', 'after']) {
      assert.ok(await gallery.locator(`#stepped-${which}-grid`).evaluate((img) => img.complete && img.naturalWidth > 0), `the gallery's ${which} grid decodes`);
      assert.match(await gallery.locator(`#stepped-${which}`).textContent(), /D\(x\) 0\.\d{3}.*D\(G\(z\)\) 0\.\d{3}/);
    }
    await shoot('dark');
  });

  it('shows the same in the light theme', async function () {
    await pickColorTheme(page, 'Light Modern');
    await waitFor('the dashboard body to carry vscode-light', () => dashboard.evaluate(() => document.body.className), (c) => c.includes('vscode-light'), { timeoutMs: 15_000 });
    await sleep(1_000);
    await shoot('light');
  });
});
