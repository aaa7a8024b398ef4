// Resolves `.gan.json` files as the editor sees them: an open file's unsaved text, others from disk, presets beside the extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GAN_FILE_SUFFIX } from '../../ganFile/presets';
import { GanFileHost, Resolved, resolveGanText } from '../../ganFile/resolve';

export const isGanDocument = (doc: vscode.TextDocument): boolean => doc.uri.scheme === 'file' && doc.fileName.endsWith(GAN_FILE_SUFFIX);

export function editorHost(presetsDir: string): GanFileHost {
  return {
    readFile: (file) => {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && path.resolve(d.fileName) === file);
      if (open) return open.getText();
      try {
        return fs.readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    },
    presetsDir,
  };
}

/** Resolves an open `.gan.json` with what it extends. */
export function resolveDocument(doc: vscode.TextDocument, presetsDir: string): Resolved {
  return resolveGanText(doc.getText(), doc.fileName, editorHost(presetsDir));
}
