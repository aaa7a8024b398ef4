// Keeps runs out of version control: a runs folder inside a `.ganscope` folder gets `.ganscope/.gitignore` (`*`).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const GANSCOPE_FOLDER = '.ganscope';
export const GITIGNORE_TEXT = '# Written by GANscope: runs (samples, checkpoints) stay out of version control. Delete this file to track them.\n*\n';

/**
 * On the first run in `runsDir` (it holds nothing yet), writes `.gitignore` into the nearest `.ganscope` folder that holds
 * it (or is it), unless one is there already. Later runs leave it alone, so a user may edit or delete it. Returns the
 * file written, if any.
 */
export function ignoreRunsInGit(runsDir: string): string | undefined {
  if (fs.readdirSync(runsDir).length > 0) return undefined;
  for (let dir = path.resolve(runsDir); ; dir = path.dirname(dir)) {
    if (path.basename(dir) === GANSCOPE_FOLDER) {
      const file = path.join(dir, '.gitignore');
      try {
        fs.writeFileSync(file, GITIGNORE_TEXT, { flag: 'wx' }); // wx: never over an existing file
        return file;
      } catch {
        return undefined; // there already, or not writable: neither should stop a run
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
