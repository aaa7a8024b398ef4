import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
// @ts-expect-error: a build script in plain JavaScript, without type declarations
import { bundledPackageDirs, thirdPartyNotices } from '../../scripts/thirdPartyNotices.mjs';

/** A node_modules folder with a package that ships a LICENSE and a scoped one that only declares its licence. */
function fixture(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ganscope-notices-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  write('node_modules/plain/package.json', JSON.stringify({ name: 'plain', version: '1.2.3', license: 'MIT' }));
  write('node_modules/plain/LICENSE', 'MIT License\n\nCopyright (c) 2020 Plain Author\n');
  write('node_modules/@scope/bare/package.json', JSON.stringify({ name: '@scope/bare', version: '4.5.6', license: 'Apache-2.0' }));
  return root;
}

const metafile = (...inputs: string[]) => ({ inputs: Object.fromEntries(inputs.map((i) => [i, {}])) });

describe('build: third-party notices', () => {
  it('finds each bundled package once, scoped or not, and ignores GANscope\'s own sources', () => {
    const root = fixture();
    const dirs = bundledPackageDirs([
      metafile('src/trainer/main.ts', 'node_modules/plain/index.js', 'node_modules/plain/lib/a.js'),
      metafile('node_modules/@scope/bare/dist/index.js', 'webview-ui/gallery/main.ts'),
    ], root);
    assert.deepEqual([...dirs.keys()].sort(), ['@scope/bare', 'plain']);
    assert.equal(dirs.get('@scope/bare'), path.join(root, 'node_modules/@scope/bare'));
  });

  it('copies a package\'s licence file verbatim under its name and version', () => {
    const text = thirdPartyNotices([metafile('node_modules/plain/index.js')], fixture());
    assert.match(text, /^## plain 1\.2\.3$/m);
    assert.match(text, /### LICENSE\n\n```\nMIT License\n\nCopyright \(c\) 2020 Plain Author\n```/);
  });

  it('says so when a package ships no licence file, and gives the licence its package.json declares', () => {
    const text = thirdPartyNotices([metafile('node_modules/@scope/bare/dist/index.js')], fixture());
    assert.match(text, /^## @scope\/bare 4\.5\.6\n\nLicence \(package\.json\): Apache-2\.0\n\nThis package ships no licence file/m);
  });
});
