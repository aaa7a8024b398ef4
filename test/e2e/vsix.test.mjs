// The packaged VSIX holds what the extension needs at run time, and nothing else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../harness/codeServer.mjs';

const vsix = resolve(process.env.GANSCOPE_VSIX || join(repoRoot, 'out', 'ganscope.vsix'));

/** The names in a zip file's central directory. */
function zipEntries(buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${vsix} is not a zip file`);
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buffer.readUInt32LE(offset), 0x02014b50, `central directory entry ${i} is damaged`);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    names.push(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('the packaged VSIX', () => {
  const files = zipEntries(readFileSync(vsix)).filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));

  it('contains the bundles, the wasm binaries, every webview, the embedded MNIST, the media, the README screenshot and the credits', () => {
    const required = [
      'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'NOTICE.md',
      'out/extension.js', 'out/trainer.js',
      ...['dashboard', 'graph', 'activations', 'batchNorm', 'gallery', 'metrics'].flatMap((app) => [`out/webview/${app}.js`, `out/webview/${app}.css`]),
      'out/wasm/tfjs-backend-wasm.wasm', 'out/wasm/tfjs-backend-wasm-simd.wasm', 'out/wasm/tfjs-backend-wasm-threaded-simd.wasm',
      'data/mnist/train-images-idx3-ubyte.gz', 'data/mnist/train-labels-idx1-ubyte.gz',
      'data/mnist/t10k-images-idx3-ubyte.gz', 'data/mnist/t10k-labels-idx1-ubyte.gz',
      'media/ganscope.svg', 'media/ganscope-light.svg', 'media/ganscope-dark.svg', 'docs/images/dashboard-dark.png',
    ];
    for (const file of required) assert.ok(files.includes(file), `${file} is missing from the VSIX`);
  });

  it('leaves out sources, tests, source maps, node_modules and the CLI', () => {
    const unwanted = files.filter((f) => /^(src|test|bench|scripts|webview-ui|node_modules)\/|\.map$|\.ts$|^out\/cli\.js$/.test(f));
    assert.deepEqual(unwanted, []);
  });
});
