// Where in a `.gan.json`'s text a problem is: its JSON path mapped to the characters an editor underlines.
import { findNodeAtLocation, Node, parseTree } from 'jsonc-parser';
import { GanProblem, JsonPath } from '../../ganFile/types';

export interface TextRange {
  offset: number;
  length: number;
}

/** A key's whole `"key": value` when the value is short; just the key when the value spans lines (a layer list). */
function propertyRange(property: Node, text: string): TextRange {
  const [key, value] = property.children ?? [];
  const whole = { offset: property.offset, length: property.length };
  if (!key || !value) return whole;
  return text.slice(value.offset, value.offset + value.length).includes('\n') ? { offset: key.offset, length: key.length } : whole;
}

/** The place for a node: an object in a list (a layer) is shown at its `"type": …`, a field at its key and value. */
function nodeRange(node: Node, text: string): TextRange {
  if (node.parent?.type === 'property') return propertyRange(node.parent, text);
  if (node.type === 'object') {
    const type = node.children?.find((p) => p.children?.[0]?.value === 'type');
    if (type) return propertyRange(type, text);
    return { offset: node.offset, length: 1 };
  }
  return { offset: node.offset, length: node.length };
}

/**
 * The range of `problem` in `text`: a syntax error at its offset, a path at its node; a path that is not in the text
 * (a field left out, a layer from the file it extends) at the deepest part of it that is, else at the opening brace.
 */
export function problemRange(text: string, problem: Pick<GanProblem, 'path' | 'offset' | 'length'>): TextRange {
  if (problem.offset !== undefined) return { offset: problem.offset, length: Math.max(1, problem.length ?? 1) };
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return { offset: 0, length: 0 };
  for (let n = problem.path.length; n > 0; n--) {
    const node = findNodeAtLocation(root, problem.path.slice(0, n) as JsonPath);
    if (node) return nodeRange(node, text);
  }
  return { offset: root.offset, length: 1 };
}
