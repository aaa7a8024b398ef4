// A new user follows the GANscope walkthrough from its first step to its last in a real VS Code: each step's button is
// clicked, the step is checked off, and what it promised (a view, a running trainer, a panel, a preset) appears.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/codeServer.mjs';
import { dashboardFrame, pickColorTheme, runCommand, screenshots, sleep, stepOf, trainerProcesses, useWorkbench, waitFor, waitForStatus } from './workbench.mjs';

const settings = {
  // Trains in seconds; the semi-supervised and progressive steps start their own presets.
  'ganscope.trainer.preset': 'mnist-tiny',
  'workbench.colorTheme': 'Default Dark Modern',
  // Nothing else opens at startup: the walkthrough that appears is the one GANscope opens on its first start.
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'window.commandCenter': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const steps = pkg.contributes.walkthroughs.find((w) => w.id === 'welcome').steps.map((step) => ({
  id: step.id,
  svg: !!step.media.svg,
  // The step's button: the description line that is a single command link.
  button: /^\[([^\]]+)\]\(command:/m.exec(step.description)?.[1],
}));

/** What each step's button promises, checked after it is clicked. `ui` holds the page and the scratch folder. */
const promises = {
  'what-is-a-gan': async ({ page }) => {
    await page.locator('.part.sidebar .pane-header', { hasText: 'Dashboard' }).waitFor({ timeout: 15_000 });
  },
  networks: async (ui) => {
    await waitForStatus(await dashboardFrame(ui.page), 'running', { timeoutMs: 60_000 });
    assert.equal(trainerProcesses(ui.scratch.extensionsDir).length, 1, 'one trainer process runs');
  },
  idea: async ({ page }) => {
    await waitFor('the dashboard step to pass 100', async () => stepOf(await dashboardFrame(page)), (n) => n >= 100, { timeoutMs: 90_000 });
  },
  'gan-part-1': async ({ page }) => waitForStatus(await dashboardFrame(page), 'paused', { timeoutMs: 15_000 }),
  'gan-part-2': async ({ page }) => waitForStatus(await dashboardFrame(page), 'running', { timeoutMs: 15_000 }),
  code: async ({ page }) => panelTab(page, 'Model Graph').waitFor({ timeout: 30_000 }),
  architecture: async ({ page }) => panelTab(page, 'Model Graph').waitFor({ timeout: 30_000 }),
  convolutions: async ({ page }) => panelTab(page, 'Activations').waitFor({ timeout: 30_000 }),
  'batch-norm': async ({ page }) => panelTab(page, 'Batch Norm').waitFor({ timeout: 30_000 }),
  'latent-space': async ({ page }) => panelTab(page, 'Sample Gallery').waitFor({ timeout: 30_000 }),
  'semi-supervised': async (ui) => presetRuns(ui, 'mnist-ssgan-100'),
  progressive: async (ui) => presetRuns(ui, 'mnist-progressive'),
  scores: async ({ page }) => panelTab(page, 'Metrics').waitFor({ timeout: 30_000 }),
  pose: async (ui) => {
    await waitForStatus(await dashboardFrame(ui.page), 'stopped', { timeoutMs: 30_000 });
    await waitFor('the trainer process to exit', async () => trainerProcesses(ui.scratch.extensionsDir).length, (n) => n === 0, { timeoutMs: 15_000 });
  },
  future: async ({ page }) => {
    await page.locator('.quick-input-widget', { hasText: 'Install a native backend for GANscope' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Escape');
  },
};

/** An editor tab of a GANscope panel: its title is "<panel> · <run id>". */
function panelTab(page, title) {
  return page.locator('.tabs-container .tab', { hasText: `${title} · ` }).first();
}

/** The dashboard reports the preset the live trainer runs, and it is running. */
async function presetRuns({ page, scratch }, preset) {
  const read = async () => (await (await dashboardFrame(page)).locator('#preset').textContent())?.trim();
  await waitFor(`the dashboard to show preset ${preset}`, read, (p) => p === preset, { timeoutMs: 60_000 });
  await waitForStatus(await dashboardFrame(page), 'running', { timeoutMs: 90_000 });
  assert.equal(trainerProcesses(scratch.extensionsDir).length, 1, `one trainer process runs ${preset}`);
}

describe('The GANscope walkthrough, followed by a new user (packaged VSIX in code-server)', function () {
  const workbench = useWorkbench('walkthrough', settings);
  let scratch;
  let page;
  const ui = {};

  before(function () {
    ({ scratch, page } = workbench);
    Object.assign(ui, { page, scratch });
  });

  const stepButton = (id) => page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);
  const checked = async (id) => (await page.locator(`[data-done-step-id$="#${id}"]`).first().getAttribute('aria-checked')) === 'true';

  /**
   * Brings the walkthrough back to the front and expands the step. Panels open beside the walkthrough, which then
   * hides its media column when narrow; one editor group gives the step its full width again.
   */
  async function showStep(id) {
    if ((await page.locator('.editor-group-container').count()) > 1) await runCommand(page, 'View: Single Column Editor Layout');
    // Steps stay in the page, disabled, when the Welcome editor shows its start page instead (after a theme change).
    const shown = (await stepButton(id).isVisible()) && (await stepButton(id).isEnabled());
    if (!shown) await runCommand(page, 'GANscope: Open Walkthrough');
    await stepButton(id).waitFor({ timeout: 15_000 });
    await stepButton(id).click();
    await waitFor(`step "${id}" to expand`, () => stepButton(id).getAttribute('aria-expanded'), (v) => v === 'true', { timeoutMs: 10_000 });
  }

  /**
   * The inlined SVG of the selected step as drawn: its text's fill, as the theme resolved var(--vscode-foreground), and
   * its smallest text in screen pixels once VS Code has scaled the diagram to the media column.
   */
  async function svgRendering() {
    const read = async () => {
      for (const frame of page.frames()) {
        const drawn = await frame
          .evaluate(() => {
            const svg = document.querySelector('body > svg');
            if (!svg) return undefined;
            const scale = svg.getScreenCTM().a;
            const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
            return { fill: getComputedStyle(svg.querySelector('text')).fill, minTextPx: Math.min(...sizes) };
          })
          .catch(() => undefined);
        if (drawn?.fill) return drawn;
      }
      return undefined;
    };
    return waitFor('the step\'s SVG to render inline', read, (drawn) => !!drawn, { timeoutMs: 15_000 });
  }

  /** Relative luminance of "rgb(r, g, b)", 0 (black) to 1 (white). */
  function luminance(rgb) {
    const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  }

  async function screenshotStep(id, theme) {
    await page.mouse.move(1390, 890);
    await sleep(800);
    await page.screenshot({ path: join(screenshots, `walkthrough-${id}-${theme}.png`) });
  }

  it('opens the walkthrough on the first start after install', async function () {
    await page.locator('.part.activitybar .action-item a[aria-label^="GANscope"]').waitFor({ timeout: 60_000 });
    await page.locator('h2.category-title', { hasText: 'Learn GANs with GANscope' }).waitFor({ timeout: 30_000 });
    await stepButton(steps[0].id).waitFor();
    assert.equal(await page.locator('button.getting-started-step').count(), steps.length, 'every step is listed');
  });

  for (const [index, step] of steps.entries()) {
    it(`step ${index + 1}, "${step.id}": its button does what it says and checks the step`, async function () {
      assert.ok(step.button, `step "${step.id}" has a button`);
      await showStep(step.id);
      if (step.svg) {
        const { fill, minTextPx } = await svgRendering();
        assert.ok(luminance(fill) > 0.5, 'the diagram\'s text is light on the dark theme');
        assert.ok(minTextPx >= 12, `the diagram's smallest text is ${minTextPx.toFixed(1)} px in the media column: at least 12 px reads well`);
      }
      await screenshotStep(step.id, 'dark');
      const button = page.locator(`button.getting-started-step[data-step-id$="#${step.id}"] .button-container .monaco-button`, { hasText: step.button });
      await button.click();
      if (step.id === 'semi-supervised' || step.id === 'progressive') {
        // A run is live: one action stops it and starts the step's preset.
        const toast = page.locator('.notification-toast', { hasText: 'is training (step' });
        await toast.waitFor({ timeout: 15_000 });
        await toast.locator('.monaco-button', { hasText: 'Stop It and Start' }).click();
      }
      await promises[step.id](ui);
      await showStep(step.id);
      await waitFor(`step "${step.id}" to be checked`, () => checked(step.id), (c) => c, { timeoutMs: step.id === 'idea' ? 90_000 : 20_000 });
    });
  }

  it('shows every step in the light theme, its diagrams in the light theme\'s colours', async function () {
    await pickColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs.vscode-theme-defaults-themes-light_modern-json').waitFor({ timeout: 15_000 });
    for (const step of steps) {
      await showStep(step.id);
      if (step.svg) assert.ok(luminance((await svgRendering()).fill) < 0.5, `the diagram of "${step.id}" has dark text on the light theme`);
      assert.ok(await checked(step.id), `step "${step.id}" stays checked`);
      await screenshotStep(step.id, 'light');
    }
  });
});
