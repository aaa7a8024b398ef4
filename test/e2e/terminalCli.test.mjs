// Someone who installed the VSIX opens the integrated terminal and runs ganscope-train, which the extension put on PATH.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../harness/codeServer.mjs';
import { quietWorkbench, runCommand, screenshots, useWorkbench, waitFor } from './workbench.mjs';

const settings = {
  ...quietWorkbench,
  // The DOM renderer keeps the terminal's text in the page, where the test can read it.
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.defaultProfile.linux': 'sh',
  'terminal.integrated.profiles.linux': { sh: { path: '/bin/sh' } },
};

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));

describe('ganscope-train in the integrated terminal (packaged VSIX in code-server)', function () {
  const workbench = useWorkbench('terminal-cli', settings);

  it('writes the launcher into its global storage when it activates', async function () {
    const launcher = join(workbench.scratch.userDataDir, 'User', 'globalStorage', `${pkg.publisher}.${pkg.name}`, 'bin', 'ganscope-train');
    // GANscope activates on startup finished, which on a loaded machine can be minutes after the page loads.
    await waitFor(`${launcher} to exist`, () => existsSync(launcher), (found) => found, { timeoutMs: 180_000 });
  });

  it('runs ganscope-train --help in a new terminal and shows its usage', async function () {
    const { page } = workbench;
    await runCommand(page, 'Terminal: Create New Terminal');
    const terminal = page.locator('.part.panel .xterm-rows').first();
    await terminal.waitFor({ timeout: 90_000 });
    // The shell prompt shows when the terminal is ready for input.
    await waitFor('a shell prompt', async () => (await terminal.innerText()).trim(), (text) => /[$#]\s*$/.test(text), { timeoutMs: 90_000 });
    await page.locator('.part.panel .xterm-helper-textarea').first().focus();
    await page.keyboard.type('ganscope-train --help');
    await page.keyboard.press('Enter');
    // The panel shows the usage's last lines: the options' tail and the note on Ctrl-C.
    const usage = (t) => /-h, --help\s+show this help/.test(t) && /Ctrl-C stops after the current step/.test(t);
    const text = await waitFor('the usage of ganscope-train', () => terminal.innerText(), usage, { timeoutMs: 90_000 });
    await page.screenshot({ path: join(screenshots, 'terminal-cli-help.png') });
    assert.doesNotMatch(text, /not found/);
  });
});
