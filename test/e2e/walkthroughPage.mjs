// The walkthrough as the e2e scenarios read it: a step's row, its checkmark, and whether it can still be read beside
// the panels its steps open.
import assert from 'node:assert/strict';
import { waitFor } from './workbench.mjs';

/** Narrowest the walkthrough's step text and media may get beside the panels, in CSS pixels, and still read. */
export const MIN_TEXT_PX = 240;
export const MIN_MEDIA_PX = 240;

export const stepButton = (page, id) => page.locator(`button.getting-started-step[data-step-id$="#${id}"]`);

export async function checked(page, id) {
  return (await page.locator(`[data-done-step-id$="#${id}"]`).first().getAttribute('aria-checked')) === 'true';
}

/**
 * Expands the step in the walkthrough, which stays open in its own group beside the panels. Each click waits until the
 * step holds still: the steps list scrolls to it, the step before it collapses as it expands, and a click while they
 * move can land on another step's link.
 */
export async function showStep(page, id) {
  await stepButton(page, id).waitFor({ timeout: 15_000 });
  await stepButton(page, id).scrollIntoViewIfNeeded();
  await holdsStill(page, id);
  await stepButton(page, id).click();
  await waitFor(`step "${id}" to expand`, () => stepButton(page, id).getAttribute('aria-expanded'), (v) => v === 'true', { timeoutMs: 10_000 });
  await holdsStill(page, id);
}

/** Waits until the step's row is where it was half a second before. */
async function holdsStill(page, id) {
  let last;
  const unmoved = async () => {
    const box = await stepButton(page, id).boundingBox();
    const same = !!box && !!last && ['x', 'y', 'width', 'height'].every((k) => Math.abs(box[k] - last[k]) < 0.5);
    last = box;
    return same;
  };
  await waitFor(`step "${id}" to hold still`, unmoved, (same) => same, { timeoutMs: 30_000, intervalMs: 500 });
}

/** The editor groups, top to bottom, then left to right: each one's tab labels, and whether the walkthrough is its visible editor. */
export function editorGroups(page) {
  return page.evaluate(() => [...document.querySelectorAll('.part.editor .editor-group-container')]
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top || a.getBoundingClientRect().left - b.getBoundingClientRect().left)
    .map((group) => ({
      tabs: [...group.querySelectorAll('.tabs-container .tab')].map((tab) => tab.getAttribute('aria-label') ?? tab.textContent ?? ''),
      walkthrough: (() => {
        const w = group.querySelector('.gettingStartedContainer');
        return !!w && w.getBoundingClientRect().width > 0;
      })(),
    })));
}

/** The walkthrough is the visible editor of its group, its step text and media wide enough to read, and no group is empty. */
export async function assertReadable(page, id) {
  const layout = await page.evaluate(() => {
    const width = (el) => (el ? el.getBoundingClientRect().width : 0);
    const visible = (el) => !!el && el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height > 0;
    const groups = [...document.querySelectorAll('.part.editor .editor-group-container')];
    const walkthrough = document.querySelector('.gettingStartedContainer');
    const step = document.querySelector('.getting-started-step.expanded .step-description-container, .getting-started-step.expanded');
    const media = document.querySelector('.gettingStartedSlideDetails .getting-started-media');
    return {
      groups: groups.length,
      empty: groups.filter((g) => !g.querySelector('.tabs-container .tab')).length,
      walkthroughVisible: visible(walkthrough),
      text: width(step),
      media: visible(media) ? width(media) : 0,
    };
  });
  assert.equal(layout.empty, 0, `an empty editor group is left (${layout.groups} groups)`);
  assert.ok(layout.walkthroughVisible, 'the walkthrough is on screen, not covered by a panel');
  assert.ok(layout.text >= MIN_TEXT_PX, `step "${id}": the step text is ${layout.text} px wide`);
  assert.ok(layout.media >= MIN_MEDIA_PX, `step "${id}": the media is ${layout.media} px wide`);
}
