// The packaged VSIX holds what the extension needs at run time, and nothing else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from '../harness/codeServer.mjs';

const vsix = resolve(process.env.GANSCOPE_VSIX || join(repoRoot, 'out', 'ganscope.vsix'));

/** The entries of a zip file's central directory: each name, and a function that reads its (stored or deflated) bytes. */
function zipEntries(buffer) {
  const eocd = buffer.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, `${vsix} is not a zip file`);
  const count = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    assert.equal(buffer.readUInt32LE(offset), 0x02014b50, `central directory entry ${i} is damaged`);
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const local = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    const read = () => {
      const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
      const data = buffer.subarray(start, start + compressedSize);
      return method === 8 ? inflateRawSync(data) : data;
    };
    entries.push({ name, read });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('the packaged VSIX', () => {
  const entries = zipEntries(readFileSync(vsix)).filter((e) => e.name.startsWith('extension/'));
  const files = entries.map((e) => e.name.slice('extension/'.length));

  it('contains the bundles, the CLI, the wasm binaries, every webview, the embedded MNIST, the media, the icon, the README screenshot and the credits', () => {
    const required = [
      'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', 'NOTICE.md',
      'out/extension.js', 'out/trainer.js', 'out/cli.js', 'out/THIRD-PARTY-NOTICES.md',
      ...['dashboard', 'graph', 'activations', 'batchNorm', 'gallery', 'metrics', 'diagnosis', 'gradients'].flatMap((app) => [`out/webview/${app}.js`, `out/webview/${app}.css`]),
      'out/wasm/tfjs-backend-wasm.wasm', 'out/wasm/tfjs-backend-wasm-simd.wasm', 'out/wasm/tfjs-backend-wasm-threaded-simd.wasm',
      'data/mnist/train-images-idx3-ubyte.gz', 'data/mnist/train-labels-idx1-ubyte.gz',
      'data/mnist/t10k-images-idx3-ubyte.gz', 'data/mnist/t10k-labels-idx1-ubyte.gz',
      'media/ganscope.svg', 'media/ganscope-light.svg', 'media/ganscope-dark.svg', 'media/icon.png', 'docs/images/dashboard-dark.png',
      // The walkthrough's recorded run, opened beside the learner's
      'media/reference-runs/mnist-ssgan-100/run.json', 'media/reference-runs/mnist-ssgan-100/metrics.jsonl',
      'media/reference-runs/mnist-ssgan-100/samples/step-000400.png',
    ];
    for (const file of required) assert.ok(files.includes(file), `${file} is missing from the VSIX`);
  });

  it('ships the GAN file of every "Break It, Then Fix It" experiment, which the experiment command copies', () => {
    const pkg = JSON.parse(entries.find((e) => e.name === 'extension/package.json').read().toString('utf8'));
    const ids = pkg.contributes.walkthroughs.find((w) => w.id === 'experiments').steps.map((s) => s.id);
    for (const id of ids) assert.ok(files.includes(`media/experiments/${id}.gan.json`), `media/experiments/${id}.gan.json is missing from the VSIX`);
  });

  it('leaves out sources, tests, source maps and node_modules', () => {
    const unwanted = files.filter((f) => /^(src|test|bench|scripts|webview-ui|node_modules)\/|\.map$|\.ts$/.test(f));
    assert.deepEqual(unwanted, []);
  });

  it('ships the licence texts of the packages bundled into the extension, the trainer, the CLI and the webviews', () => {
    const notices = entries.find((e) => e.name === 'extension/out/THIRD-PARTY-NOTICES.md')?.read().toString('utf8') ?? '';
    for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@vscode/webview-ui-toolkit', '@microsoft/fast-element', 'uplot', 'gifenc', 'pngjs', 'jpeg-js', 'seedrandom', 'long', 'tslib', 'undici']) {
      assert.match(notices, new RegExp(`^## ${name.replace(/\./g, '\\.')} \\d`, 'm'), `${name} has no section in THIRD-PARTY-NOTICES.md`);
    }
    assert.match(notices, /Copyright \(c\) \d{4} Leon Sorokin/, "uPlot's licence text itself is there");
  });
});
