// `ganscope.startExperiment`: the walkthrough's "Break it, then fix it" steps, wired to VS Code and the live run.
import * as vscode from 'vscode';
import { applyRemedy } from '../doctor/applyRemedy';
import { LiveRun } from '../liveRun';
import { vscodeTrust } from '../runGuard';
import { gateCommand } from '../workspaceTrust';
import { Experiment, EXPERIMENTS } from './catalogue';
import { ExperimentRuns } from './experimentRuns';

export const START_EXPERIMENT = 'ganscope.startExperiment';

export function experimentRuns(context: vscode.ExtensionContext, live: LiveRun): ExperimentRuns {
  return new ExperimentRuns({
    shippedDir: vscode.Uri.joinPath(context.extensionUri, 'media', 'experiments').fsPath,
    workspaceDir: () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    store: context.globalState,
    pickExperiment: async () => (await vscode.window.showQuickPick(EXPERIMENTS.map((e) => ({ label: e.title, detail: e.question, experiment: e })),
      { title: 'Break it, then fix it: which experiment?' }))?.experiment,
    pickPrediction,
    openFile: (file) => vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.Beside, preview: false }),
    startRun: (file) => live.start({ gan: file }),
    liveGanFile: () => live.ganFile?.file,
    setContext: (key, value) => void vscode.commands.executeCommand('setContext', key, value),
    tell: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
    fail: (message) => void vscode.window.showErrorMessage(message),
    applyRemedy: (runDir, finding, index) => void applyRemedy(live, runDir, finding, index),
    openDiagnosis: (runDir) => void vscode.commands.executeCommand('ganscope.openDiagnosis', runDir),
  });
}

export function registerExperiments(experiments: ExperimentRuns): vscode.Disposable {
  return vscode.commands.registerCommand(START_EXPERIMENT, gateCommand(vscodeTrust, START_EXPERIMENT, (id?: unknown) => experiments.start(id)));
}

async function pickPrediction(experiment: Experiment): Promise<string | undefined> {
  const picked = await vscode.window.showQuickPick(experiment.outcomes.map((label) => ({ label })), {
    title: `Predict: ${experiment.question}`,
    placeHolder: 'Any answer is fine: it is kept, and the doctor\'s finding will tell what happened',
    ignoreFocusOut: true,
  });
  return picked?.label;
}
