// The `dataset` field of a RunConfig: which images a run trains on. Parsed here so the extension can check a setting
// before it starts a run; the trainer loads it (src/trainer/data/dataset.ts).

export const DATASET_KINDS = ['mnist', 'fashion-mnist', 'idx', 'cifar10', 'folder'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

/** `path` is as written (the trainer resolves `~` and relative paths); absent only for the embedded MNIST. */
export interface DatasetSpec {
  kind: DatasetKind;
  path?: string;
}

export const DATASET_SYNTAX = [
  'mnist                    the embedded MNIST digits (60,000 training images, 28×28)',
  'mnist:<folder>           MNIST IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]) in <folder>',
  'fashion-mnist:<folder>   Fashion-MNIST IDX files, same names, in <folder>',
  'idx:<file>               one IDX images file (magic 2051, raw or .gz); no labels needed',
  'cifar10:<folder>         CIFAR-10 binary batches data_batch_1…5.bin in <folder> or <folder>/cifar-10-batches-bin',
  'folder:<folder>          PNG/JPEG images under <folder>, subfolders included; one square size for all',
].join('\n');

/** Parses a dataset spec, or throws an error that shows the syntax. */
export function parseDatasetSpec(spec: string): DatasetSpec {
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  const path = colon < 0 ? undefined : spec.slice(colon + 1).trim();
  const bad = (why: string) => new Error(`Dataset "${spec}": ${why}. Use one of:\n${DATASET_SYNTAX}`);
  if (!(DATASET_KINDS as readonly string[]).includes(kind)) throw bad(`unknown kind "${kind}"`);
  if (path === undefined || path === '') {
    if (kind === 'mnist') return { kind };
    throw bad(`"${kind}" needs a path after the colon`);
  }
  return { kind: kind as DatasetKind, path };
}
