// Compiles the integration suite (TypeScript) into CommonJS that an extension host can load as extensionTestsPath.
import { writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

/** Compiles with the extension's esbuild; `vscode` and `mocha` stay runtime requires. */
export async function compileSuite(outDir) {
  const esbuild = createRequire(join(repoRoot, 'package.json'))('esbuild');
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(here, 'suite', '*.ts')],
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // The harness's package.json says "type": "module"; the suite is CommonJS, as VS Code requires it.
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
}
