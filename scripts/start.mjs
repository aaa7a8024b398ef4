// Opens a demo workspace, with GANscope installed from the freshly built VSIX, in a real VS Code:
// the desktop `code` when it is on PATH, else code-server on 127.0.0.1 (its URL is printed).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vsix = join(root, 'out', 'ganscope.vsix');
const workspace = process.env.GANSCOPE_DEMO_WORKSPACE || join(homedir(), 'ganscope-demo');

// Training starts as soon as the workspace opens. A workspace's own settings may only ask for that (GANscope asks once
// before a cloned repository could keep the CPU busy), so the code-server demo sets it in its user settings instead.
const startOnOpen = { 'ganscope.trainer.startOnOpen': true };
mkdirSync(workspace, { recursive: true });

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(startOnOpen, null, 2));
  execFileSync('code', ['--install-extension', vsix, '--force'], { stdio: 'inherit' });
  execFileSync('code', [workspace], { stdio: 'inherit' });
  console.log(`Opened ${workspace} in VS Code: GANscope asks once, then starts training there; open the GANscope view in the activity bar.`);
} else {
  const { createScratch, installVsix, removeScratch, startCodeServer, writeUserSettings } = await import('../test/harness/codeServer.mjs');
  const scratch = createScratch('demo');
  writeUserSettings(scratch, startOnOpen);
  await installVsix(scratch, vsix);
  const server = await startCodeServer(scratch);
  console.log(`\nGANscope is running in VS Code (code-server) at:\n\n  ${server.workbenchUrl(workspace)}\n`);
  console.log('Open that URL in a browser: training starts when the window opens (runs are saved under');
  console.log(`${join(workspace, '.ganscope', 'runs')}). Press Ctrl+C to stop.`);
  const stop = async () => {
    await server.stop();
    removeScratch(scratch);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await new Promise(() => undefined);
}
