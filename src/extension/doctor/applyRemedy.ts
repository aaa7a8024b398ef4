// "Apply and continue": writes a finding's remedy into the run's GAN file (or a copy, as the user chooses) and starts a
// run that branches from the run's newest checkpoint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { STRUCTURAL_FIELDS } from '../../ganFile/liveChanges';
import { GAN_FILE_SUFFIX } from '../../ganFile/presets';
import { mergeIntoGanFile } from '../../ganFile/remedyEdit';
import { Finding, Remedy } from '../../protocol/findings';
import { RunRecord } from '../../protocol/runDir';
import { readRunRecord } from '../../runFolder/reader';
import { LiveRun } from '../liveRun';

/** Whether a change rebuilds the networks (then the new run cannot take the old weights and starts from step 0). */
export function rebuildsNetworks(change: Record<string, unknown>): boolean {
  return Object.keys(change).some((key) => (STRUCTURAL_FIELDS as readonly string[]).includes(key));
}

/** A GAN file for a run trained from a built-in preset: it extends the preset and keeps the run's own loss settings. */
export function presetGanFileText(record: RunRecord): string {
  const { preset, loss, labelSmoothing } = record.config;
  return `${JSON.stringify({ extends: preset, ...(loss && { loss }), ...(labelSmoothing !== undefined && { labelSmoothing }) }, null, 2)}\n`;
}

/** `<dir>/<base>-<kind>.gan.json`, numbered when taken. */
export function copyPath(dir: string, base: string, kind: string, exists: (file: string) => boolean = fs.existsSync): string {
  for (let n = 1; ; n++) {
    const file = path.join(dir, `${base}-${kind}${n === 1 ? '' : `-${n}`}${GAN_FILE_SUFFIX}`);
    if (!exists(file)) return file;
  }
}

interface Target {
  file: string;
  /** The text the change is merged into. */
  text: string;
}

export async function applyRemedy(live: LiveRun, runDir: string, finding: Finding, index: number): Promise<void> {
  const remedy = finding.remedies[index];
  let record: RunRecord;
  try {
    record = await readRunRecord(runDir);
  } catch (err) {
    void vscode.window.showErrorMessage(`Cannot apply the remedy: ${(err as Error).message}`);
    return;
  }
  const target = await chooseTarget(record, runDir, finding.kind, remedy);
  if (!target) return;
  // A live run stops first (its GAN file is about to change), writing the checkpoint the branch starts from.
  if (live.runDir && path.resolve(live.runDir) === path.resolve(runDir)) await live.stop();
  try {
    await writeGanFile(target.file, mergeIntoGanFile(target.text, remedy.change));
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not write ${target.file}: ${(err as Error).message}. Check that the folder is writable and try again.`);
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(target.file), { preview: true, preserveFocus: true });
  await live.start({ gan: target.file, replace: true, ...(!rebuildsNetworks(remedy.change) && { branchFrom: runDir }) });
}

/** The file to change, picked by the user: the run's own GAN file or a copy (a new file for a preset's run). */
async function chooseTarget(record: RunRecord, runDir: string, kind: Finding['kind'], remedy: Remedy): Promise<Target | undefined> {
  const source = record.config.gan && fs.existsSync(record.config.gan) ? record.config.gan : undefined;
  const folder = source ? path.dirname(source) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? path.dirname(path.dirname(runDir));
  const base = source ? path.basename(source, GAN_FILE_SUFFIX) : record.config.preset;
  const copy = copyPath(folder, base, kind);
  const sourceText = source ? await fs.promises.readFile(source, 'utf8') : presetGanFileText(record);
  const items: (vscode.QuickPickItem & Target)[] = [
    ...(source ? [{ label: `Change ${path.basename(source)}`, description: vscode.workspace.asRelativePath(source), file: source, text: sourceText }] : []),
    { label: source ? `Change a copy: ${path.basename(copy)}` : `Write a new GAN file: ${path.basename(copy)}`, description: vscode.workspace.asRelativePath(copy), file: copy, text: sourceText },
  ];
  const then = rebuildsNetworks(remedy.change) ? 'then train it from step 0 (the change rebuilds the networks)' : 'then branch from the newest checkpoint';
  return vscode.window.showQuickPick(items, { title: `Apply "${remedy.title}"`, placeHolder: `Where to write the change; ${then}` });
}

/** Writes through an open editor when there is one (so the change can be undone there), else to disk. */
async function writeGanFile(file: string, text: string): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => path.resolve(d.uri.fsPath) === path.resolve(file));
  if (!open) {
    await fs.promises.writeFile(file, text);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(open.uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
  await vscode.workspace.applyEdit(edit);
  await open.save();
}
