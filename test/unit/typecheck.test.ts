import { execFileSync } from 'node:child_process';

describe('TypeScript', () => {
  it('typechecks the extension, the trainer, the protocol, the tests and the webviews', () => {
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { encoding: 'utf8' });
      execFileSync('npx', ['tsc', '-p', 'webview-ui/tsconfig.json', '--noEmit'], { encoding: 'utf8' });
    } catch (err) {
      throw new Error(`tsc reported errors:\n${(err as { stdout?: string }).stdout}`);
    }
  });
});
