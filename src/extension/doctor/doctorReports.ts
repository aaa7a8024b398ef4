// The live run's findings outside its panels: Problems entries on the `.gan.json` it trains (when that file is in the
// workspace), and a notification for each new error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPLANATIONS } from '../../protocol/findingExplanations';
import { Finding, Severity } from '../../protocol/findings';
import { readRunRecord } from '../../runFolder/reader';
import { problemRange } from '../ganFile/problemRange';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information,
};

/** Where in the GAN file a finding belongs: the field its first remedy changes, else `extends`, else the first brace. */
export function findingPath(finding: Finding): (string | number)[] {
  const change = finding.remedies[0]?.change;
  const pathOf = (value: unknown, prefix: string[]): string[] => {
    const first = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value)[0] : undefined;
    return first ? pathOf(first[1], [...prefix, first[0]]) : prefix;
  };
  return change ? pathOf(change, []) : ['extends'];
}

export class DoctorReports implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ganscope-doctor');
  /** Findings already told about, by run folder and `kind@step`. */
  private readonly told = new Set<string>();
  private seen = '';
  /** The GAN file of each run folder looked up so far (undefined: a preset's run, or a file outside the workspace). */
  private readonly ganFiles = new Map<string, Promise<vscode.Uri | undefined>>();

  constructor(private readonly openDiagnosis: (runDir: string) => void) {}

  /** The live run's findings as they stand; cheap when nothing changed. */
  update(doctor: { runDir: string; findings: Finding[] } | undefined): void {
    if (!doctor) return;
    const key = `${doctor.runDir}\n${doctor.findings.map((f) => `${f.kind}@${f.step}-${f.lastStep}`).join(',')}`;
    if (key === this.seen) return;
    this.seen = key;
    for (const f of doctor.findings) {
      const id = `${doctor.runDir}\n${f.kind}@${f.step}`;
      if (this.told.has(id)) continue;
      this.told.add(id);
      if (f.severity === 'error') this.notify(doctor.runDir, f);
    }
    void this.problems(doctor.runDir, doctor.findings);
  }

  dispose(): void {
    this.collection.dispose();
  }

  private notify(runDir: string, finding: Finding): void {
    const action = 'Open Diagnosis';
    void vscode.window.showErrorMessage(`GANscope: ${finding.summary}`, action).then((choice) => choice === action && this.openDiagnosis(runDir));
  }

  private async problems(runDir: string, findings: Finding[]): Promise<void> {
    let file = this.ganFiles.get(runDir);
    if (!file) this.ganFiles.set(runDir, (file = ganFileInWorkspace(runDir)));
    const uri = await file;
    if (!uri) return;
    const text = await fs.promises.readFile(uri.fsPath, 'utf8').catch(() => '');
    this.collection.set(uri, findings.map((f) => {
      const { offset, length } = problemRange(text, { path: findingPath(f) });
      const diagnostic = new vscode.Diagnostic(new vscode.Range(positionAt(text, offset), positionAt(text, offset + length)),
        `${EXPLANATIONS[f.kind].title} (run ${path.basename(runDir)}, step ${f.step}${f.lastStep > f.step ? `–${f.lastStep}` : ''}): ${f.summary}`, SEVERITY[f.severity]);
      diagnostic.source = 'GANscope doctor';
      diagnostic.code = f.kind;
      return diagnostic;
    }));
  }
}

/** The `.gan.json` a run trained, from its run.json, when it is inside a workspace folder. */
async function ganFileInWorkspace(runDir: string): Promise<vscode.Uri | undefined> {
  const gan = (await readRunRecord(runDir).catch(() => undefined))?.config.gan;
  if (!gan) return undefined;
  const uri = vscode.Uri.file(gan);
  return vscode.workspace.getWorkspaceFolder(uri) ? uri : undefined;
}

function positionAt(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset).split(/\r?\n/);
  return new vscode.Position(before.length - 1, before[before.length - 1].length);
}
