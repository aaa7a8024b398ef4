// Panels opened from walkthrough steps: they land in one group below the walkthrough, which keeps its own group, its
// text and its media, and no editor group is left empty.
import assert from 'node:assert/strict';
import { assertReadable, editorGroups, showStep, stepButton } from './walkthroughPage.mjs';
import { dashboardFrame, panelFrame, screenshots, sleep, useWorkbench, waitForStatus } from './workbench.mjs';
import { join } from 'node:path';

describe('Panels opened from the walkthrough (packaged VSIX in code-server)', function () {
  const workbench = useWorkbench('walkthrough-panels', {
    'ganscope.trainer.startOnOpen': true,
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'window.commandCenter': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  });

  /** Presses the button of the walkthrough step `id`, whose label is `label`. */
  async function press(id, label) {
    const { page } = workbench;
    await showStep(page, id);
    await stepButton(page, id).locator('.button-container .monaco-button', { hasText: label }).click();
  }

  /** The walkthrough alone in the first group, every GANscope panel in the second, and nothing else. */
  async function assertPlaced(panels) {
    const groups = await editorGroups(workbench.page);
    assert.equal(groups.length, 2, `two editor groups: ${JSON.stringify(groups)}`);
    assert.ok(groups[0].walkthrough, 'the walkthrough is the visible editor of the first group');
    for (const title of panels) assert.ok(groups[1].tabs.some((t) => t.startsWith(title)), `the ${title} panel is in the second group: ${JSON.stringify(groups)}`);
  }

  it('opens the first run\'s walkthrough with the run training', async function () {
    const { page } = workbench;
    await page.locator('h2.category-title', { hasText: 'Learn GANs with GANscope' }).waitFor({ timeout: 60_000 });
    // The view may already be open (training started on open): a click on its icon then would close the side bar.
    if (!(await page.locator('.part.sidebar .pane-header', { hasText: 'Dashboard' }).isVisible())) {
      await page.locator('.part.activitybar .action-item a[aria-label^="GANscope"]').click();
    }
    await waitForStatus(await dashboardFrame(page, { timeoutMs: 60_000 }), 'running', { timeoutMs: 120_000 });
  });

  it('opens the model graph below the walkthrough, leaving its text and media readable', async function () {
    await press('code', 'Open the Model Graph');
    const graph = await panelFrame(workbench.page, 'graph', { timeoutMs: 60_000 });
    await graph.locator('g[data-layer]').first().waitFor({ timeout: 60_000 });
    await assertPlaced(['Model Graph']);
    await assertReadable(workbench.page, 'code');
  });

  it('opens the sample gallery in the same group as the graph, not in a third one', async function () {
    await press('latent-space', 'Open the Sample Gallery');
    const gallery = await panelFrame(workbench.page, 'gallery', { timeoutMs: 60_000 });
    await gallery.locator('#step-label').waitFor({ timeout: 60_000 });
    await assertPlaced(['Model Graph', 'Sample Gallery']);
    await assertReadable(workbench.page, 'latent-space');
    await workbench.page.mouse.move(1390, 890);
    await sleep(500);
    await workbench.page.screenshot({ path: join(screenshots, 'walkthrough-panels-dark.png') });
  });

  it('opens batch norm there too after the learner worked in a panel (its group active)', async function () {
    const gallery = await panelFrame(workbench.page, 'gallery');
    await gallery.locator('#clear').click();
    await press('batch-norm', 'Open Batch-Norm Statistics');
    const bn = await panelFrame(workbench.page, 'batchNorm', { timeoutMs: 60_000 });
    await bn.locator('section.bn-layer').first().waitFor({ timeout: 120_000 });
    await assertPlaced(['Model Graph', 'Sample Gallery', 'Batch Norm']);
    await assertReadable(workbench.page, 'batch-norm');
  });
});
