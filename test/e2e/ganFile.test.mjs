// A user writes their own GAN: New GAN from Preset, a layer that does not fit, its Problem, the fix, ▶ Train, the graph
// with the new layer, and a learning rate changed while it trains.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { panelFrame, pickColorTheme, quietWorkbench, runCommand, screenshots, sleep, useWorkbench, waitFor } from './workbench.mjs';

// Typing goes into the editor as typed: no closing brackets or quotes added, no suggestion taken by Enter.
const settings = {
  ...quietWorkbench,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.acceptSuggestionOnEnter': 'off',
  'ganscope.trainer.sampleEvery': 10,
};

const FILE = 'my-mnist-tiny.gan.json';
/** mnist-tiny's generator with one more convolution, and a last layer whose stride makes 56×56 images instead of 28×28. */
const GENERATOR = [
  '"generator": [',
  '  { "type": "project", "channels": 16, "side": 7 },',
  '  { "type": "batchNorm" },',
  '  { "type": "relu" },',
  '  { "type": "conv2dTranspose", "filters": 8, "kernel": 4, "stride": 2 },',
  '  { "type": "batchNorm" },',
  '  { "type": "relu" },',
  '  { "type": "conv2d", "filters": 8, "kernel": 3, "stride": 1 },',
  '  { "type": "relu" },',
  '  { "type": "conv2dTranspose", "filters": "image", "kernel": 4, "stride": 4 },',
  '  { "type": "tanh" }',
  ']',
];

describe('A GAN file of your own (packaged VSIX in code-server)', function () {
  const workbench = useWorkbench('ganFile', settings);
  let scratch;
  let page;

  before(async function () {
    ({ scratch, page } = workbench);
    // Tall enough for the file, its lenses, the layer that does not fit and the Problems panel in one screenshot.
    await page.setViewportSize({ width: 1400, height: 1000 });
  });

  const file = () => join(scratch.workspace, FILE);
  /** The 1-based line of the saved file that holds `text`. */
  const lineOf = (text) => readFileSync(file(), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
  const editor = () => page.locator('.editor-instance .monaco-editor').first();
  const problems = () => page.locator('.markers-panel .monaco-list-row');
  const lens = (title) => page.locator('.codelens-decoration a', { hasText: title }).first();
  /** The lens that sums up the generator (drawn as text, not a link): `G: [100] → <side>×<side>×1, <params> params`. */
  const generatorLens = (side, params) => page.locator('.codelens-decoration', { hasText: new RegExp(`G: \\[100\\] → ${side}×${side}×1,\\s${params}\\sparams`) }).first();
  const runsDir = () => join(scratch.workspace, '.ganscope', 'runs');

  /** Focuses the file's editor and puts the cursor at the end of `line`, through Go to Line. */
  async function goToLine(line) {
    await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
    await editor().locator('.view-lines').click();
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').fill(`:${line}`);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
  }

  /** Replaces the whole of `line` with `text` and saves. */
  async function replaceLine(line, text) {
    await goToLine(line);
    await page.keyboard.press('Shift+Home');
    await page.keyboard.press('Shift+Home');
    await page.keyboard.type(text);
    await page.keyboard.press('Control+S');
    await waitFor(`${FILE} to be saved with the new line ${line}`, () => readFileSync(file(), 'utf8').split('\n')[line - 1].trim(), (l) => l === text.trim());
  }

  it('writes a new GAN file from a preset and opens it', async function () {
    await runCommand(page, 'GANscope: New GAN from Preset…', { opensPicker: true });
    const input = page.locator('.quick-input-widget input');
    await input.fill('mnist-tiny');
    await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name').getByText('mnist-tiny', { exact: true }) }).first().click();
    // The second question is the file name, proposed as my-<preset>.
    await waitFor('the file-name box to propose my-mnist-tiny', () => input.inputValue(), (v) => v === 'my-mnist-tiny');
    await page.keyboard.press('Enter');
    await waitFor(`${FILE} in the workspace`, () => existsSync(file()), Boolean);
    await page.locator('.tabs-container .tab', { hasText: FILE }).first().waitFor({ timeout: 30_000 });
    await lens('▶ Train').waitFor({ timeout: 30_000 });
  });

  it('puts the Problem of a layer that makes the wrong image size on that layer\'s line', async function () {
    await goToLine(lineOf('"latentDim"'));
    await page.keyboard.type(',');
    for (const line of GENERATOR) {
      // Escape first: a hint or suggestion the comma brought up would otherwise take the Enter.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Enter');
      await page.keyboard.type(`  ${line}`);
    }
    await page.keyboard.press('Control+S');
    await waitFor(`${FILE} saved with its generator`, () => lineOf('"stride": 4'), (n) => n > 0);
    const line = lineOf('"stride": 4');
    // The lens at the top sums up the networks as typed: the generator's extra convolution adds 576 parameters.
    await page.keyboard.press('Control+Home');
    await generatorLens(56, '81,984').waitFor({ timeout: 30_000 });
    await page.keyboard.press('Control+Shift+M');
    const row = problems().filter({ hasText: '56×56' }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.textContent(), new RegExp(`generator\\[8\\] conv2dTranspose makes 56×56.*\\[Ln ${line}, Col`), 'the Problem names the layer and sits on its line');
    await page.mouse.move(1390, 890);
    await sleep(500);
    await page.screenshot({ path: join(screenshots, 'ganfile-problem-dark.png') });
    await pickColorTheme(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    await sleep(500);
    await page.screenshot({ path: join(screenshots, 'ganfile-problem-light.png') });
  });

  it('trains the fixed file, and its graph shows the layer it added', async function () {
    this.timeout(240_000);
    await replaceLine(lineOf('"stride": 4'), `  ${GENERATOR[9].replace('"stride": 4', '"stride": 2')}`);
    await waitFor('the size Problem to go', () => problems().filter({ hasText: '56×56' }).count(), (n) => n === 0, { timeoutMs: 30_000 });
    await page.mouse.move(1390, 890);
    await page.keyboard.press('Control+Home');
    await generatorLens(28, '81,984').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(screenshots, 'ganfile-hints-light.png') });
    await lens('▶ Train').click();
    // The run is named for the file, and trains: its metrics.jsonl grows.
    const steps = () => (existsSync(runsDir()) ? readdirSync(runsDir()).filter((id) => id.endsWith('-my-mnist-tiny')) : [])
      .map((id) => join(runsDir(), id, 'metrics.jsonl')).filter(existsSync).map((f) => readFileSync(f, 'utf8').split('\n').length - 1);
    await waitFor('the file\'s run to train', steps, (n) => n.length === 1 && n[0] > 0, { timeoutMs: 120_000 });
    await lens('Open Model Graph').click();
    const graph = await panelFrame(page, 'graph', { timeoutMs: 60_000 });
    // The run's graph holds the convolution the file added, and the panel draws a node for each of its layers.
    const run = join(runsDir(), readdirSync(runsDir()).sort().at(-1));
    await waitFor('graph.json of the run', () => existsSync(join(run, 'graph.json')), Boolean);
    const { generator, discriminator } = JSON.parse(readFileSync(join(run, 'graph.json'), 'utf8'));
    assert.deepEqual(generator.layers.filter((l) => l.type === 'conv2d').map((l) => l.outputShape), [[14, 14, 8]]);
    const expected = generator.layers.length + discriminator.layers.length;
    await waitFor('one graph node per layer of the file', () => graph.locator('#graph g.layer').count(), (n) => n === expected, { timeoutMs: 60_000 });
    await graph.locator('#graph g.layer', { hasText: 'conv2d' }).first().waitFor({ timeout: 15_000 });
  });

  it('applies a saved learning-rate change to the running run and marks it on the metrics chart', async function () {
    this.timeout(240_000);
    const run = join(runsDir(), readdirSync(runsDir()).sort().at(-1));
    const line = lineOf('"discriminator": { "type": "adam"');
    const text = readFileSync(file(), 'utf8').split('\n')[line - 1].replace(/"learningRate": [\d.e-]+/, '"learningRate": 0.0001');
    await replaceLine(line, text);
    const changed = () => readFileSync(join(run, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"changed"'));
    await waitFor('metrics.jsonl to record the change', () => changed().length, (n) => n > 0, { timeoutMs: 60_000 });
    assert.deepEqual(JSON.parse(changed()[0]).changed, { 'optimizer.discriminator.learningRate': 0.0001 });
    await page.keyboard.press('Control+J'); // The Problems panel has had its say: give the charts the room.
    await runCommand(page, 'GANscope: Open Metrics');
    const metrics = await panelFrame(page, 'metrics', { timeoutMs: 60_000 });
    await waitFor('the change marker under the charts', () => metrics.locator('#changes li').allTextContents(), (t) => t.some((s) => s.includes('optimizer.discriminator.learningRate 0.0001')), { timeoutMs: 60_000 });
    await page.mouse.move(1390, 890);
    await sleep(500);
    await page.screenshot({ path: join(screenshots, 'ganfile-change-marker-light.png') });
    await runCommand(page, 'GANscope: Stop Training');
  });
});
