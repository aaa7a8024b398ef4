// `ganscope-train check FILE`: resolves a `.gan.json` and prints each layer's output shape and parameter count, or its problems.
import { resolveGanFile } from '../ganFile/resolve';
import { NetworkShapes } from '../ganFile/shapes';
import { GanDefinition } from '../ganFile/types';
import { describeProblems, diskHost } from './presets';

const shape = (s: number[]) => (s.length === 3 ? `${s[0]}×${s[1]}×${s[2]}` : `[${s.join(', ')}]`);
const count = (n: number) => n.toLocaleString('en');

function networkTable(title: string, specs: GanDefinition['generator'], net: NetworkShapes): string[] {
  const rows = net.layers.map((l, i) => `  [${i}] ${specs[i].type.padEnd(16)} ${shape(l.outputShape).padEnd(14)} ${count(l.params).padStart(12)}`);
  return [`${title} (input ${shape(net.inputShape)})`, ...rows, `  ${'total'.padEnd(36)} ${count(net.params).padStart(12)}`];
}

/** The report and the exit code: 0 for a file that trains, 2 for one with errors (each with its JSON path and reason). */
export function checkGanFile(file: string): { code: number; report: string } {
  const resolved = resolveGanFile(file, diskHost());
  const errors = resolved.problems.filter((p) => p.severity === 'error');
  const warnings = resolved.problems.filter((p) => p.severity === 'warning');
  if (!resolved.definition) return { code: 2, report: describeProblems(errors) };
  const def = resolved.definition;
  const lines = [`${def.name}: ${def.description || '(no description)'}`, `dataset ${def.dataset}, latentDim ${def.latentDim}, batchSize ${def.batchSize}, loss ${def.loss}`];
  if (def.progressive) {
    const p = def.progressive;
    lines.push(`progressive: ${p.startSize}×${p.startSize} doubling to ${p.startSize * 2 ** (p.channels.length - 1)}, channels ${p.channels.join('/')}; its blocks are built by the trainer`);
  } else if (resolved.shapes) {
    lines.push(...networkTable('generator', def.generator, resolved.shapes.generator), ...networkTable('discriminator', def.discriminator, resolved.shapes.discriminator));
  } else {
    lines.push(`shapes depend on the images of "${def.dataset}": set imageSize to see them here`);
  }
  if (warnings.length) lines.push('warnings:', describeProblems(warnings));
  return { code: 0, report: lines.join('\n') };
}
