// What the editor shows on an open `.gan.json`: ▶ Train and Open Model Graph at the top, each layer's shape and parameters beside it.
import * as vscode from 'vscode';
import { isGanDocument, resolveDocument } from './editorHost';
import { layerHints, networkSummary } from './layerHints';

export const GAN_FILE_SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/*.gan.json' };

export class GanCodeLenses implements vscode.CodeLensProvider {
  constructor(private readonly presetsDir: string) {}

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isGanDocument(doc)) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: '▶ Train', command: 'ganscope.trainGanFile', arguments: [doc.uri], tooltip: 'Train this GAN (a running run is stopped first, after asking)' }),
      new vscode.CodeLens(top, { title: 'Open Model Graph', command: 'ganscope.openGanFileGraph', arguments: [doc.uri], tooltip: 'The graph of this file\'s live or latest run' }),
    ];
    const shapes = resolveDocument(doc, this.presetsDir).shapes;
    if (shapes) {
      const summary = `${networkSummary('generator', shapes.generator)} · ${networkSummary('discriminator', shapes.discriminator)}`;
      lenses.push(new vscode.CodeLens(top, { title: summary, command: '' }));
    }
    return lenses;
  }
}

export class GanInlayHints implements vscode.InlayHintsProvider {
  constructor(private readonly presetsDir: string) {}

  provideInlayHints(doc: vscode.TextDocument, range: vscode.Range): vscode.InlayHint[] {
    if (!isGanDocument(doc)) return [];
    const shapes = resolveDocument(doc, this.presetsDir).shapes;
    if (!shapes) return [];
    return layerHints(doc.getText(), shapes)
      .map((h) => new vscode.InlayHint(doc.positionAt(h.offset), h.label))
      .filter((h) => range.contains(h.position))
      .map((h) => Object.assign(h, { paddingLeft: true }));
  }
}
