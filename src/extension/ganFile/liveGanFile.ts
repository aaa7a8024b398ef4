// Saving the `.gan.json` of the live run: its live fields go to the trainer, a structural change offers a new run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { liveChanges, applyLiveChanges } from '../../ganFile/liveChanges';
import { LiveRun } from '../liveRun';
import { resolveDocument } from './editorHost';
import { problemLine } from './ganRun';

export function onSavedGanFile(doc: vscode.TextDocument, live: LiveRun, presetsDir: string): void {
  const running = live.ganFile;
  if (!running || path.resolve(doc.fileName) !== running.file) return;
  const name = path.basename(running.file);
  const resolved = resolveDocument(doc, presetsDir);
  const error = resolved.problems.find((p) => p.severity === 'error');
  if (!resolved.definition || error) {
    void vscode.window.showWarningMessage(`${name} has errors, so the running run keeps its settings: ${error ? problemLine(error) : ''}. See Problems.`);
    return;
  }
  const changes = liveChanges(running.definition, resolved.definition);
  if (Object.keys(changes.changed).length) live.applyGanFile(applyLiveChanges(running.definition, changes), changes.changed);
  if (!changes.structural.length) return;
  const action = 'Start a New Run';
  void vscode.window
    .showInformationMessage(`${name}: ${changes.structural.join(', ')} changed. A running run cannot take that; a new run can (this one stops, with a checkpoint).`, action)
    .then((choice) => {
      if (choice === action) void live.start({ gan: running.file, replace: true });
    });
}
