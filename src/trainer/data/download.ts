// Downloads Fashion-MNIST or CIFAR-10 from their official homes on request, verifying each file's published checksum.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { gunzipSync } from 'node:zlib';
import { fetch, ProxyAgent } from 'undici';
import { CIFAR_FOLDER } from './cifar10';

export interface RemoteFile {
  url: string;
  /** The official MD5 (as the datasets' authors publish it). */
  md5: string;
  /** The size, for the progress message. */
  bytes: number;
}

export interface DownloadableDataset {
  files: RemoteFile[];
  /** The dataset spec that trains on what was downloaded into `dir`. */
  spec(dir: string): string;
}

const FASHION = 'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/';

export const DOWNLOADABLE: Record<'fashion-mnist' | 'cifar10', DownloadableDataset> = {
  // MD5s from github.com/zalandoresearch/fashion-mnist (README, "Get the Data").
  'fashion-mnist': {
    files: [
      { url: `${FASHION}train-images-idx3-ubyte.gz`, md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d', bytes: 26421880 },
      { url: `${FASHION}train-labels-idx1-ubyte.gz`, md5: '25c81989df183df01b3e8a0aad5dffbe', bytes: 29515 },
      { url: `${FASHION}t10k-images-idx3-ubyte.gz`, md5: 'bef4ecab320f06d8554ea6380940ec79', bytes: 4422102 },
      { url: `${FASHION}t10k-labels-idx1-ubyte.gz`, md5: 'bb300cfdad3c16e7a12a480ee83cd310', bytes: 5148 },
    ],
    spec: (dir) => `fashion-mnist:${dir}`,
  },
  // The "CIFAR-10 binary version" of www.cs.toronto.edu/~kriz/cifar.html, with the MD5 that page lists.
  cifar10: {
    files: [{ url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530', bytes: 170052171 }],
    spec: (dir) => `cifar10:${dir}`,
  },
};

export interface DownloadOptions {
  /** Fetch from this folder URL instead of the official one (a mirror; tests use a local server). */
  baseUrl?: string;
  /** Progress and status lines for the user. */
  log?: (message: string) => void;
  /** Give up when no byte arrives for this long. */
  idleTimeoutMs?: number;
}

/**
 * Downloads `name` into `dir` (skipping files already there with the right checksum), checks every file and, for
 * CIFAR-10, extracts the binary batches. Returns the dataset spec to train on it.
 */
export async function downloadDataset(name: string, dir: string, options: DownloadOptions = {}): Promise<string> {
  const dataset = DOWNLOADABLE[name as keyof typeof DOWNLOADABLE];
  if (!dataset) throw new Error(`Cannot download "${name}": downloadable datasets are ${Object.keys(DOWNLOADABLE).join(', ')}`);
  const log = options.log ?? (() => undefined);
  fs.mkdirSync(dir, { recursive: true });
  for (const remote of dataset.files) {
    const url = options.baseUrl ? new URL(path.posix.basename(new URL(remote.url).pathname), withSlash(options.baseUrl)).href : remote.url;
    const file = path.join(dir, path.posix.basename(new URL(url).pathname));
    if (fs.existsSync(file) && (await fileDigest(file, 'md5')) === remote.md5) {
      log(`${file}: already downloaded, checksum OK`);
    } else {
      log(`Downloading ${url} (${(remote.bytes / 1e6).toFixed(1)} MB)…`);
      const tmp = `${file}.part-${process.pid}`;
      try {
        await fetchToFile(url, tmp, options.idleTimeoutMs ?? 30_000);
        await verifyChecksum(tmp, { md5: remote.md5 }, url);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
      }
      fs.renameSync(tmp, file);
      log(`${file}: checksum OK`);
    }
    if (file.endsWith('.tar.gz')) extractTarGz(file, dir, (entry) => entry.startsWith(`${CIFAR_FOLDER}/`));
  }
  return dataset.spec(dir);
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export async function fileDigest(file: string, algorithm: 'md5' | 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Throws, naming the file (and where it came from), when a digest differs from the expected one. */
export async function verifyChecksum(file: string, expected: { md5?: string; sha256?: string }, source = file): Promise<void> {
  for (const algorithm of ['sha256', 'md5'] as const) {
    const want = expected[algorithm];
    if (want === undefined) continue;
    const got = await fileDigest(file, algorithm);
    if (got !== want.toLowerCase()) {
      throw new Error(`${source}: ${algorithm.toUpperCase()} is ${got}, expected ${want}; the file is corrupt or not the official one`);
    }
  }
}

const MAX_REDIRECTS = 5;

/**
 * The proxy a request to `url` goes through, from the environment as curl reads it: https_proxy or HTTPS_PROXY for https,
 * http_proxy or HTTP_PROXY for http; none for a host that NO_PROXY names (itself or a parent domain, or `*`).
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const proxy = url.protocol === 'https:' ? env.https_proxy ?? env.HTTPS_PROXY : env.http_proxy ?? env.HTTP_PROXY;
  if (!proxy) return undefined;
  const host = url.hostname.toLowerCase();
  const bypassed = (env.no_proxy ?? env.NO_PROXY ?? '').split(/[\s,]+/).filter(Boolean).some((entry) => {
    if (entry === '*') return true;
    const name = entry.toLowerCase().replace(/:\d+$/, '').replace(/^\*?\./, '');
    return host === name || host.endsWith(`.${name}`);
  });
  return bypassed ? undefined : proxy;
}

/**
 * GETs `url` into `file` through the environment's proxy, following up to five redirects but never from https to http;
 * rejects on HTTP errors, network errors and stalls.
 */
export async function fetchToFile(url: string, file: string, idleTimeoutMs: number): Promise<void> {
  const fail = (why: string) => new Error(`Cannot download ${url}: ${why}. Check the network connection, or download the file yourself and point the dataset at it`);
  let current: URL | undefined = new URL(url);
  if (current.protocol !== 'https:' && current.protocol !== 'http:') throw new Error(`Cannot download ${url}: only http and https URLs are supported`);
  const idle = new IdleAbort(idleTimeoutMs);
  try {
    for (let redirects = 0; current; redirects++) {
      if (redirects > MAX_REDIRECTS) throw fail(`more than ${MAX_REDIRECTS} redirects`);
      const from: URL = current;
      current = await getOnce(from, file, idle, fail);
      if (from.protocol === 'https:' && current && current.protocol !== 'https:') {
        throw new Error(`Cannot download ${url}: the server redirected ${from.href} to ${current.href}, which is not HTTPS, and a secure download never continues insecurely. Download the file from the dataset's official page yourself and point the dataset at it`);
      }
    }
  } finally {
    idle.stop();
  }
}

/** One GET, through the proxy the environment names for that URL: saves the body, or returns where a redirect points. */
async function getOnce(url: URL, file: string, idle: IdleAbort, fail: (why: string) => Error): Promise<URL | undefined> {
  const proxy = proxyFor(url);
  const dispatcher = proxy ? new ProxyAgent(proxy) : undefined;
  try {
    const response = await fetch(url, { redirect: 'manual', signal: idle.signal, dispatcher }).catch((e) => {
      throw fail(idle.why(e));
    });
    idle.touch();
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      return new URL(location, url);
    }
    if (response.status !== 200 || !response.body) {
      await response.body?.cancel();
      throw fail(`the server answered HTTP ${response.status}`);
    }
    await saveBody(response.body as NodeReadableStream, file, idle, fail);
    return undefined;
  } finally {
    await dispatcher?.close();
  }
}

async function saveBody(body: NodeReadableStream, file: string, idle: IdleAbort, fail: (why: string) => Error): Promise<void> {
  const out = fs.createWriteStream(file);
  let writeError: Error | undefined;
  out.once('error', (e) => (writeError = e));
  try {
    await pipeline(Readable.fromWeb(body), idle.passThrough(), out);
  } catch (e) {
    if (writeError) throw new Error(`Cannot write ${file}: ${writeError.message}`);
    throw fail(idle.why(e));
  }
}

/** Aborts a download when no byte has arrived for `ms`. */
class IdleAbort {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  readonly signal = this.controller.signal;

  constructor(private readonly ms: number) {
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }

  /** Restarts the clock: something arrived. */
  touch(): void {
    this.timer.refresh();
  }

  /** A pipeline stage that passes the body through, restarting the clock at every chunk. */
  passThrough(): (source: AsyncIterable<Buffer>) => AsyncGenerator<Buffer> {
    const touch = () => this.touch();
    return async function* (source) {
      for await (const chunk of source) {
        touch();
        yield chunk;
      }
    };
  }

  /** What went wrong, as the user should read it: the stall, else the network error's code or message. */
  why(error: unknown): string {
    if (this.signal.aborted) return `no data for ${this.ms / 1000} s`;
    const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
    return cause?.code ?? cause?.message ?? (error as Error).message;
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Extracts the regular files of a .tar.gz whose names `want` accepts, refusing names that would leave `dir`. */
export function extractTarGz(archive: string, dir: string, want: (name: string) => boolean): string[] {
  const tar = gunzipSync(fs.readFileSync(archive));
  const written: string[] = [];
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive blocks
    const field = (start: number, length: number) => header.toString('latin1', start, start + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const body = at + 512;
    if (!Number.isFinite(size) || body + size > tar.length) throw new Error(`${archive}: truncated or corrupt tar entry "${name}" at byte ${at}`);
    if ((type === '0' || type === '') && want(name)) {
      const target = path.resolve(dir, name);
      if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`${archive}: refusing entry "${name}", which points outside ${dir}`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(`${target}.tmp`, tar.subarray(body, body + size));
      fs.renameSync(`${target}.tmp`, target);
      written.push(target);
    }
    at = body + Math.ceil(size / 512) * 512;
  }
  return written;
}
