// Writes the licence texts of the npm packages whose files esbuild put into GANscope's bundles, from the builds' metafiles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LICENCE_FILE = /^(licen[cs]e|copying|notices?)([.-].*)?$/i;

/** The folders of the npm packages that supplied at least one input of the metafiles, keyed by package name. */
export function bundledPackageDirs(metafiles, cwd = process.cwd()) {
  const dirs = new Map();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      const parts = input.split(/[\\/]/);
      const at = parts.lastIndexOf('node_modules');
      if (at < 0) continue;
      const depth = parts[at + 1]?.startsWith('@') ? 2 : 1;
      const dir = resolve(cwd, parts.slice(0, at + 1 + depth).join('/'));
      const name = parts.slice(at + 1, at + 1 + depth).join('/');
      dirs.set(name, dir);
    }
  }
  return dirs;
}

/** One package's section: name, version, declared licence, then each licence or notice file it ships, verbatim. */
function section(name, dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licence = typeof manifest.license === 'string' ? manifest.license : manifest.license?.type ?? 'not declared';
  const files = readdirSync(dir).filter((f) => LICENCE_FILE.test(f)).sort();
  const head = [`## ${name} ${manifest.version}`, '', `Licence (package.json): ${licence}`, ''];
  if (files.length === 0) {
    return [...head, `This package ships no licence file; the licence above is the one its package.json declares` +
      (licence === 'not declared' ? '.' : ` (https://spdx.org/licenses/${licence}.html).`), ''].join('\n');
  }
  const texts = files.flatMap((f) => [`### ${f}`, '', '```', readFileSync(join(dir, f), 'utf8').trimEnd(), '```', '']);
  return [...head, ...texts].join('\n');
}

/** The notices file for everything bundled from the metafiles, packages in name order. */
export function thirdPartyNotices(metafiles, cwd = process.cwd()) {
  const dirs = bundledPackageDirs(metafiles, cwd);
  const names = [...dirs.keys()].sort();
  const intro = [
    '# Third-party notices',
    '',
    'GANscope bundles code from these npm packages into out/extension.js, out/trainer.js, out/cli.js and out/webview/',
    '(and copies the WebAssembly binaries of @tensorflow/tfjs-backend-wasm into out/wasm/). The list is made at build time',
    'from what the bundler actually put in. Each section gives the licence the package declares and the text of every',
    'licence or notice file it ships. The data GANscope embeds and the scoring classifier are credited in NOTICE.md.',
    '',
    `Packages: ${names.join(', ')}.`,
    '',
  ];
  return [...intro, ...names.filter((n) => existsSync(join(dirs.get(n), 'package.json'))).map((n) => section(n, dirs.get(n)))].join('\n');
}
