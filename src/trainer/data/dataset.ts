// Loads the images a RunConfig's `dataset` names (syntax: src/protocol/dataset.ts), as one ImageSet.
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDatasetSpec } from '../../protocol/dataset';
import { mnistDir } from '../assets';
import { loadCifar10 } from './cifar10';
import { loadImageFolder } from './folder';
import { ImageSet, loadIdxImages, loadMnist } from './mnist';

/** Loads the training split of `spec`; every failure names the file and what is wrong with it. */
export function loadDataset(spec: string): ImageSet {
  const parsed = parseDatasetSpec(spec);
  const where = parsed.path === undefined ? undefined : resolvePath(parsed.path);
  switch (parsed.kind) {
    case 'mnist':
      return where === undefined ? loadMnist(mnistDir(), 'train') : loadMnist(where, 'train', `give the folder that holds the MNIST IDX files`);
    case 'fashion-mnist':
      return loadMnist(where!, 'train', 'run `ganscope-train download fashion-mnist --to <folder>` when online, '
        + 'or on Debian `apt-get install dataset-fashion-mnist` and use /usr/share/datasets/fashion-mnist');
    case 'idx':
      return loadIdxImages(where!);
    case 'cifar10':
      return loadCifar10(where!, 'train');
    case 'folder':
      return loadImageFolder(where!);
  }
}

/** `~/x` is the home folder's x; a relative path is relative to the trainer's working folder. */
export function resolvePath(p: string): string {
  return path.resolve(p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p);
}
