// Writes a remedy's change (a partial `.gan.json`) into a GAN file's text, as the resolver merges: objects field by
// field, lists and values replaced. Edits only the places the change names, so comments and layout elsewhere stay.
import { applyEdits, modify, parseTree, findNodeAtLocation, JSONPath } from 'jsonc-parser';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The leaves of `change` to write, by path: an object is walked into, anything else (a list too) is one leaf. */
function leaves(change: Record<string, unknown>, prefix: JSONPath, out: [JSONPath, unknown][]): [JSONPath, unknown][] {
  for (const [key, value] of Object.entries(change)) {
    if (isPlainObject(value) && Object.keys(value).length) leaves(value, [...prefix, key], out);
    else out.push([[...prefix, key], value]);
  }
  return out;
}

/** The indentation the file uses: that of its first indented line, else two spaces. */
function indentation(text: string): { insertSpaces: boolean; tabSize: number } {
  const first = /\n([ \t]+)\S/.exec(text)?.[1];
  if (first?.startsWith('\t')) return { insertSpaces: false, tabSize: 1 };
  return { insertSpaces: true, tabSize: first?.length ?? 2 };
}

/**
 * `text` with `change` merged in. A path whose parent holds something other than an object (a field written as a
 * number where the change has an object) is replaced whole at the parent, which is what merging would do.
 */
export function mergeIntoGanFile(text: string, change: Record<string, unknown>): string {
  const formattingOptions = { ...indentation(text), eol: text.includes('\r\n') ? '\r\n' : '\n' };
  let out = text;
  for (const [path, value] of leaves(change, [], [])) {
    const target = writablePath(out, path);
    const written = target.length === path.length ? value : valueAt(change, target);
    out = applyEdits(out, modify(out, target, written, { formattingOptions }));
  }
  return out;
}

/** The longest prefix of `path` whose parents are all objects in the text (or missing, which modify creates). */
function writablePath(text: string, path: JSONPath): JSONPath {
  const root = parseTree(text);
  if (!root) return path;
  for (let i = 1; i < path.length; i++) {
    const node = findNodeAtLocation(root, path.slice(0, i));
    if (node && node.type !== 'object') return path.slice(0, i);
  }
  return path;
}

function valueAt(change: Record<string, unknown>, path: JSONPath): unknown {
  return path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key as string], change);
}
