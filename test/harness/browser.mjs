// Launches the system Chromium headless through playwright-core, with no network beyond loopback.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

const executablePath = process.env.GANSCOPE_CHROMIUM || '/usr/bin/chromium';

export async function launchBrowser() {
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: apt-get install chromium (or set GANSCOPE_CHROMIUM).`);
  }
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
