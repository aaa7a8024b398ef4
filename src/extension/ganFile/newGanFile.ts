// "GANscope: New GAN from Preset…": writes a `.gan.json` that extends a preset into the workspace and opens it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BUILTIN_PRESETS, presetFile } from '../../ganFile/presets';
import { resolveGanFile } from '../../ganFile/resolve';
import { editorHost } from './editorHost';
import { ganFileName, ganFileNameProblem, newGanFileText } from './newGanFileText';

export async function newGanFile(presetsDir: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('A new GAN file goes into the workspace: open a folder first (File > Open Folder…).');
    return;
  }
  const host = editorHost(presetsDir);
  const items = BUILTIN_PRESETS.map((name) => ({ label: name, detail: resolveGanFile(presetFile(presetsDir, name), host).definition?.description }));
  const preset = (await vscode.window.showQuickPick(items, { title: 'New GAN from Preset: start from which preset?' }))?.label;
  if (!preset) return;
  const typed = await vscode.window.showInputBox({
    title: 'New GAN from Preset: file name', value: `my-${preset}`, prompt: `Written to ${folder.uri.fsPath}`, validateInput: ganFileNameProblem,
  });
  if (typed === undefined) return;
  const file = path.join(folder.uri.fsPath, ganFileName(typed));
  if (fs.existsSync(file)) {
    void vscode.window.showErrorMessage(`${file} already exists: choose another name, or open that file.`);
    return;
  }
  const definition = resolveGanFile(presetFile(presetsDir, preset), host).definition;
  if (!definition) {
    void vscode.window.showErrorMessage(`The preset ${preset} cannot be read: reinstall GANscope.`);
    return;
  }
  await fs.promises.writeFile(file, newGanFileText(preset, definition));
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}
