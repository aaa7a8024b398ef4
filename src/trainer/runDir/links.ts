// Refuses symbolic links where the trainer writes, so a run never appends to, cuts or deletes inside a link's target.
import * as fs from 'node:fs';

/**
 * Throws naming the first of `paths` that is a symbolic link (checked with lstat, so the link itself, not its target);
 * paths that do not exist yet pass.
 */
export function refuseLinks(...paths: string[]): void {
  for (const p of paths) {
    let link = false;
    try {
      link = fs.lstatSync(p).isSymbolicLink();
    } catch {
      continue;
    }
    if (link) {
      throw new Error(`${p} is a symbolic link: GANscope writes, cuts back and deletes in a run folder only where nothing is linked. `
        + `Replace the link with the folder or file it points to (move it into the run folder), or start a new run`);
    }
  }
}
