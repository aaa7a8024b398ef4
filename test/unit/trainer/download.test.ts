import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import { fetchToFile, proxyFor } from '../../../src/trainer/data/download';
import { tempDir } from './helpers';

function listen<S extends net.Server>(server: S): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as net.AddressInfo).port}`)));
}

/** Runs `body` with environment variables set, restoring them after. */
async function withEnv(vars: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    await body();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('trainer/data: the download transport', function () {
  this.timeout(30_000);

  it('takes the proxy for https from https_proxy or HTTPS_PROXY, and for http from http_proxy or HTTP_PROXY', () => {
    const url = new URL('https://example.org/data.gz');
    assert.equal(proxyFor(url, { HTTPS_PROXY: 'http://proxy:3128' }), 'http://proxy:3128');
    assert.equal(proxyFor(url, { https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128' }), 'http://lower:3128');
    assert.equal(proxyFor(url, { HTTP_PROXY: 'http://proxy:3128' }), undefined);
    assert.equal(proxyFor(new URL('http://example.org/data.gz'), { HTTP_PROXY: 'http://proxy:3128' }), 'http://proxy:3128');
  });

  it('goes direct to a host NO_PROXY names, itself or by a parent domain', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'localhost, .toronto.edu' };
    assert.equal(proxyFor(new URL('https://www.cs.toronto.edu/x'), env), undefined);
    assert.equal(proxyFor(new URL('https://localhost/x'), env), undefined);
    assert.equal(proxyFor(new URL('https://raw.githubusercontent.com/x'), env), 'http://proxy:3128');
    assert.equal(proxyFor(new URL('https://raw.githubusercontent.com/x'), { ...env, NO_PROXY: '*' }), undefined);
  });

  it('downloads through the proxy the environment names', async () => {
    const origin = http.createServer((_req, res) => res.end('through the proxy'));
    const tunnels: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(client).on('error', () => undefined);
        client.pipe(upstream).on('error', () => undefined);
      });
    });
    const originAt = await listen(origin);
    const proxyAt = await listen(proxy);
    try {
      const file = path.join(tempDir('proxy'), 'data');
      await withEnv({ http_proxy: `http://${proxyAt}`, no_proxy: '' }, () => fetchToFile(`http://${originAt}/data`, file, 5000));
      assert.equal(fs.readFileSync(file, 'utf8'), 'through the proxy');
      assert.deepEqual(tunnels, [originAt]);
    } finally {
      origin.closeAllConnections();
      proxy.closeAllConnections();
      origin.close();
      proxy.close();
    }
  });

  it('refuses a redirect from https to http, naming both addresses and what to do instead', async () => {
    const dir = tempDir('tls');
    // A certificate made for this test only; the download trusts it through NODE_TLS_REJECT_UNAUTHORIZED below.
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const plain = http.createServer((_req, res) => res.end('insecure copy'));
    const plainAt = await listen(plain);
    const secure = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) =>
      res.writeHead(302, { location: `http://${plainAt}/data.gz` }).end());
    const secureAt = await listen(secure);
    try {
      const file = path.join(dir, 'data.gz');
      await withEnv({ NODE_TLS_REJECT_UNAUTHORIZED: '0' }, () =>
        assert.rejects(
          fetchToFile(`https://${secureAt}/data.gz`, file, 5000),
          new RegExp(`Cannot download https://${secureAt}/data\\.gz: the server redirected https://${secureAt}/data\\.gz to http://${plainAt}/data\\.gz, which is not HTTPS, .*Download the file from the dataset's official page yourself`),
        ),
      );
      assert.equal(fs.existsSync(file), false, 'nothing was written');
    } finally {
      secure.closeAllConnections();
      plain.closeAllConnections();
      secure.close();
      plain.close();
    }
  });
});
