// Problems for every open `.gan.json`: what the schema cannot say (shapes, losses, `extends`), each at its exact place.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GanProblem } from '../../ganFile/types';
import { isGanDocument, resolveDocument } from './editorHost';
import { problemRange } from './problemRange';

/** Typing pauses this long before a file is checked again. */
const DEBOUNCE_MS = 300;

export function toDiagnostic(doc: vscode.TextDocument, problem: GanProblem): vscode.Diagnostic {
  const { offset, length } = problemRange(doc.getText(), problem);
  const range = new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + length));
  const severity = problem.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
  const diagnostic = new vscode.Diagnostic(range, problem.message, severity);
  diagnostic.source = 'GANscope';
  return diagnostic;
}

export class GanDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ganscope');
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly presetsDir: string) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((doc) => this.check(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => this.soon(e.document)),
      vscode.workspace.onDidSaveTextDocument((doc) => this.recheckAll(doc)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)),
    ];
    vscode.workspace.textDocuments.forEach((doc) => this.check(doc));
  }

  /** Checks one file now. */
  check(doc: vscode.TextDocument): void {
    if (!isGanDocument(doc)) return;
    const resolved = resolveDocument(doc, this.presetsDir);
    const file = path.resolve(doc.fileName);
    // A problem inside a file this one extends is already summed up at this file's `extends`.
    const own = resolved.problems.filter((p) => p.file === undefined || p.file === file);
    this.collection.set(doc.uri, own.map((p) => toDiagnostic(doc, p)));
  }

  dispose(): void {
    this.pending.forEach((t) => clearTimeout(t));
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }

  private soon(doc: vscode.TextDocument): void {
    if (!isGanDocument(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      this.check(doc);
    }, DEBOUNCE_MS));
  }

  /** A saved file may be one that others extend: they are checked again too. */
  private recheckAll(saved: vscode.TextDocument): void {
    if (isGanDocument(saved)) vscode.workspace.textDocuments.forEach((doc) => this.check(doc));
  }
}
