// "Delete Run" and "Prune Run" on a run of the Runs tree: confirm in a modal dialog, then remove only what the plan allows.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINTS_DIR, SAMPLES_DIR } from '../protocol/runDir';
import { trainingHolder } from '../trainer/runDir/lock';
import { deleteRunProblem, formatBytes, prunePlan, readRunEntries, runFolderFacts } from './housekeepingPlan';
import { RunNode } from './runsTree';

export interface HousekeepingContext {
  /** The runs folder now (the setting may change). */
  runsDir: () => string;
  /** The id of the run training now, if any. */
  liveRunId: () => string | undefined;
  /** Called after files went, so the Runs view and panels can re-read. */
  changed: () => void;
}

const DEFAULT_EVERY = 10;

/** Trained now: by this window, or by another trainer (a terminal's, another window's) that holds its lock. */
function training({ run }: RunNode, ctx: HousekeepingContext): boolean {
  return run.id === ctx.liveRunId() || trainingHolder(run.dir) !== undefined;
}

/** Moves a run folder to the trash (or, where there is none and the user agrees, deletes it) after a modal confirmation. */
export async function deleteRun(node: RunNode, ctx: HousekeepingContext): Promise<void> {
  const { dir, id } = node.run;
  const problem = deleteRunProblem(runFolderFacts(dir, ctx.runsDir(), training(node, ctx)));
  if (problem) return void vscode.window.showErrorMessage(problem);
  const choice = await vscode.window.showWarningMessage(`Move run ${id} to the trash?`, { modal: true, detail: `${dir}\nIts samples, metrics and checkpoints go with it.` }, 'Move to Trash');
  if (choice !== 'Move to Trash') return;
  const uri = vscode.Uri.file(dir);
  try {
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: true });
  } catch (e) {
    // A remote or browser file system may have no trash: then deleting for good needs its own yes.
    const forGood = await vscode.window.showWarningMessage(
      `Run ${id} could not be moved to the trash (${(e as Error).message}). Delete it permanently?`, { modal: true, detail: dir }, 'Delete Permanently');
    if (forGood !== 'Delete Permanently') return;
    await vscode.workspace.fs.delete(uri, { recursive: true, useTrash: false });
  }
  ctx.changed();
}

/** Asks for n, then deletes all but the newest checkpoint and every n-th sample grid after a modal confirmation. */
export async function pruneRun(node: RunNode, ctx: HousekeepingContext): Promise<void> {
  const { dir, id } = node.run;
  if (training(node, ctx)) return void vscode.window.showErrorMessage(`Run ${id} is training. Stop it first, then prune it.`);
  const answer = await vscode.window.showInputBox({
    title: `Prune run ${id}`,
    prompt: 'Keep every n-th sample grid (and the newest checkpoint); n =',
    value: String(DEFAULT_EVERY),
    validateInput: (text) => (/^[1-9]\d*$/.test(text.trim()) ? undefined : 'A whole number, 1 or more (1 keeps every sample grid).'),
  });
  if (answer === undefined) return;
  const every = Number(answer.trim());
  const plan = prunePlan(readRunEntries(dir), every);
  if (plan.checkpoints.length + plan.samples.length === 0) return void vscode.window.showInformationMessage(`Run ${id} has nothing to prune: it has one checkpoint at most, and keeping one sample grid in every ${every} keeps them all.`);
  const choice = await vscode.window.showWarningMessage(
    `Delete ${plan.checkpoints.length} older checkpoints and ${plan.samples.length} sample grids of run ${id} (${formatBytes(plan.bytes)}) for good?`, {
      modal: true,
      detail: `Kept: the newest checkpoint${plan.keptCheckpoint ? ` (${plan.keptCheckpoint})` : ''} and ${plan.keptSamples} sample grids (one in every ${every}, and the newest).\n${dir}`,
    }, 'Prune');
  if (choice !== 'Prune') return;
  const doomed = [
    ...plan.checkpoints.map((e) => path.join(dir, CHECKPOINTS_DIR, e.name)),
    ...plan.samples.map((e) => path.join(dir, SAMPLES_DIR, e.name)),
  ];
  for (const file of doomed) await vscode.workspace.fs.delete(vscode.Uri.file(file), { recursive: true, useTrash: false });
  ctx.changed();
}
