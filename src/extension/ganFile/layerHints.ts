// What the editor shows beside each layer of a `.gan.json`: its output shape and parameter count, and each network's total.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { GanShapes, LayerShape, NetworkShapes } from '../../ganFile/shapes';

export interface LayerHint {
  /** Where the hint goes: just after the layer's closing brace. */
  offset: number;
  label: string;
}

const NETS = ['generator', 'discriminator'] as const;

/** `14×14×64` or `[1]`. */
export function shapeText(shape: number[]): string {
  return shape.length === 3 ? shape.join('×') : `[${shape.join(', ')}]`;
}

/** 1,234,567 */
const count = (n: number) => n.toLocaleString('en-US');

/** `→ 14×14×64 · 204,864 params`; a layer without weights says only its shape. */
export function layerHintLabel(layer: LayerShape): string {
  return `→ ${shapeText(layer.outputShape)}${layer.params ? ` · ${count(layer.params)} params` : ''}`;
}

/** `G: 100 → 28×28×1, 1,234,567 params` */
export function networkSummary(net: 'generator' | 'discriminator', shapes: NetworkShapes): string {
  const out = shapes.layers.at(-1)?.outputShape;
  return `${net === 'generator' ? 'G' : 'D'}: ${shapeText(shapes.inputShape)} → ${out ? shapeText(out) : '?'}, ${count(shapes.params)} params`;
}

/** One hint per layer written in `text` (a network taken from the file it extends has none here). */
export function layerHints(text: string, shapes: GanShapes): LayerHint[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return [];
  return NETS.flatMap((net) => shapes[net].layers.flatMap((layer, i) => {
    const node = findNodeAtLocation(root, [net, i]);
    return node ? [{ offset: node.offset + node.length, label: layerHintLabel(layer) }] : [];
  }));
}
