// "Break It, Then Fix It" as a learner meets it: the walkthrough's first experiment (D learns 25× faster than G) asks for
// a prediction, trains the shipped GAN file copied into the workspace, and its step is checked only once the doctor's
// finding arrives, with a notification that recalls the prediction and offers the remedy. Screenshots dark and light.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardFrame, pickColorTheme, quietWorkbench, runCommand, screenshots, sleep, stepOf, useWorkbench, waitFor, waitForStatus } from './workbench.mjs';

const STEP = 'd-much-faster';
const KIND = 'discriminator-wins';
/** Steps by which the run has trained but the doctor cannot have found a winning D yet: it needs 100 steps to see one. */
const BEFORE_FINDING = 60;

const settings = {
  ...quietWorkbench,
  'ganscope.trainer.sampleEvery': 25,
  'ganscope.trainer.checkpointEvery': 50,
  'ganscope.trainer.probeEvery': 0,
};

describe('Break It, Then Fix It: an experiment step checked by its finding (packaged VSIX in code-server)', function () {
  // Training to the finding takes a minute or two on two shared cores.
  this.timeout(300_000);
  const workbench = useWorkbench('experiments', settings);
  let page;
  let scratch;

  before(function () {
    ({ page, scratch } = workbench);
  });

  const runsDir = () => join(scratch.workspace, '.ganscope', 'runs');
  const findings = () => readdirSync(runsDir()).flatMap((id) => {
    const file = join(runsDir(), id, 'findings.jsonl');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  });
  const stepButton = () => page.locator(`button.getting-started-step[data-step-id$="#${STEP}"]`);
  const checked = async () => (await page.locator(`[data-done-step-id$="#${STEP}"]`).first().getAttribute('aria-checked')) === 'true';
  const toast = () => page.locator('.notification-toast', { hasText: 'You predicted' }).first();
  /**
   * The notification that recalls the prediction: its toast, or, once that has hidden itself (a fast run finds the
   * finding well before this looks), its entry in the notification centre, expanded so that it shows its buttons.
   */
  async function prediction() {
    if (await toast().waitFor({ timeout: 10_000 }).then(() => true, () => false)) return toast();
    await runCommand(page, 'Notifications: Show Notifications');
    const entry = page.locator('.notifications-list-container .monaco-list-row', { hasText: 'You predicted' }).first();
    await entry.waitFor({ timeout: 30_000 });
    const expand = entry.locator('.codicon-notifications-expand');
    if (await expand.count()) await expand.first().click();
    return entry;
  }
  const shoot = async (name) => {
    // Over the walkthrough's empty lower part: no hover on a button or on the notification bell.
    await page.mouse.move(600, 760);
    await sleep(500);
    await page.screenshot({ path: join(screenshots, `${name}.png`) });
  };

  it('opens the walkthrough at its first experiment, unchecked', async function () {
    await page.locator('.part.activitybar .action-item a[aria-label^="GANscope"]').click();
    await runCommand(page, 'Welcome: Open Walkthrough...', { opensPicker: true });
    const input = page.locator('.quick-input-widget input');
    await input.fill('Break It, Then Fix It');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Break It, Then Fix It' }).first().click({ timeout: 10_000 });
    await page.locator('h2.category-title', { hasText: 'Break It, Then Fix It' }).waitFor({ timeout: 30_000 });
    await stepButton().click();
    await waitFor('the step to expand', () => stepButton().getAttribute('aria-expanded'), (v) => v === 'true', { timeoutMs: 10_000 });
    assert.equal(await checked(), false);
    await shoot('experiments-step-dark');
  });

  it('asks for a prediction, then trains a copy of the shipped GAN file', async function () {
    await stepButton().locator('.button-container .monaco-button', { hasText: 'Predict and Run' }).click();
    const outcome = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Nothing much' }).first();
    await outcome.click({ timeout: 30_000 });
    const copy = join(scratch.workspace, 'ganscope-experiments', `${STEP}.gan.json`);
    assert.equal(JSON.parse(readFileSync(copy, 'utf8')).optimizer.discriminator.learningRate, 0.0025);
    const dashboard = await dashboardFrame(page, { timeoutMs: 60_000 });
    await waitForStatus(dashboard, 'running', { timeoutMs: 90_000 });
  });

  it(`leaves the step unchecked while no ${KIND} finding has arrived`, async function () {
    const dashboard = await dashboardFrame(page);
    await waitFor(`step ${BEFORE_FINDING}`, () => stepOf(dashboard), (n) => n >= BEFORE_FINDING, { timeoutMs: 120_000 });
    // Read in this order, so a finding that arrives in between cannot make it fail: a run fast enough to pass step 100
    // before this look may already have its finding, and then its check.
    const isChecked = await checked();
    const found = findings().filter((f) => f.kind === KIND);
    assert.ok(!isChecked || found.length > 0, 'the step is checked only once a finding has arrived');
  });

  it('checks the step once the finding arrives, and recalls the prediction with the remedy', async function () {
    await waitFor(`the ${KIND} finding in findings.jsonl`, () => findings().some((f) => f.kind === KIND), Boolean, { timeoutMs: 180_000 });
    await waitFor('the step to be checked', checked, Boolean, { timeoutMs: 30_000 });
    const recall = await prediction();
    const text = await recall.innerText();
    assert.match(text, /You predicted: "Nothing much: Adam evens out the learning rates"/);
    assert.match(text, /the doctor found "The discriminator wins" at step \d+/);
    assert.match(text, /Remedy: Lower D's learning rate/);
    assert.equal(await recall.locator('.monaco-button', { hasText: 'Apply and Continue' }).count(), 1, 'it offers the remedy');
    await shoot('experiments-dark');
  });

  it('draws the checked step and the finding in the light theme', async function () {
    await pickColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    // The toast may have hidden itself by now: the notification centre keeps it.
    if (!(await toast().isVisible())) await runCommand(page, 'Notifications: Show Notifications');
    await page.locator('.notifications-list-container, .notification-toast', { hasText: 'You predicted' }).first().waitFor({ timeout: 15_000 });
    assert.equal(await checked(), true);
    await shoot('experiments-light');
  });
});
