// The comparison of 2–4 runs: one Metrics view overlaying their lines by step (a branch with its parent's history) and
// their fixed-noise grids side by side at one step; followed as the runs grow, restored after a window reload.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PanelRun, PanelState, panelStateProblem, Series, ToPanel, validateFromPanel } from '../../protocol/panels';
import { RUN_FILE, RunRecord } from '../../protocol/runDir';
import { readRunRecord, readSampleUri, RunFolderReader } from '../../runFolder/reader';
import { webviewHtml } from '../webviewHtml';
import { ComparedRun, compareSeries, gridAt, gridSteps, lineage, shortLabels } from './compareSeries';

export const COMPARE_VIEW_TYPE = 'ganscope.compare';
/** How often the compared runs' files are looked at (a live one grows). */
const POLL_MS = 2_000;
/** Ancestors followed at most: a longer chain (or a loop in hand-edited run.json files) stops there. */
const MAX_ANCESTORS = 16;

export class ComparePanels implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly open = new Set<ComparePanel>();

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: (line: string) => void) {
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        const dirs = (state as PanelState | undefined)?.compare;
        if (panelStateProblem(state, 'state') || !dirs || dirs.length < 2) return panel.dispose();
        this.attach(panel, dirs);
      },
    }));
  }

  /** Opens a comparison of the runs in `dirs` (2–4 folders holding run.json). */
  show(dirs: string[]): void {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare Runs', vscode.ViewColumn.Active, { enableScripts: true });
    this.attach(panel, dirs);
  }

  dispose(): void {
    for (const panel of [...this.open]) panel.panel.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private attach(panel: vscode.WebviewPanel, dirs: string[]): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'out', 'webview')] };
    const labels = shortLabels(dirs.map((d) => path.basename(d)));
    panel.title = `Compare · ${labels.join(' · ')}`;
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'metrics', panel.title);
    const compare = new ComparePanel(panel, dirs, labels, this.log);
    this.open.add(compare);
    panel.onDidDispose(() => {
      compare.dispose();
      this.open.delete(compare);
    });
  }
}

/** One comparison: reads each compared run and its ancestors, and pushes what changed. */
class ComparePanel {
  /** Every run read, compared or ancestor, by id. */
  private readonly runs = new Map<string, ComparedRun & { reader: RunFolderReader }>();
  private readonly compared: string[] = [];
  private readonly poller: NodeJS.Timeout;
  private ready: Promise<void>;
  private step: number | undefined;
  private version = '';
  /** The last step of each chart line the webview has, so a push sends only what is new. */
  private readonly sent = new Map<string, number>();
  /** The step and steps of the grids last sent: the same again is not sent. */
  private gridsShown = '';

  constructor(readonly panel: vscode.WebviewPanel, private readonly dirs: string[], private readonly labels: string[], private readonly log: (line: string) => void) {
    this.ready = this.load();
    panel.webview.onDidReceiveMessage((raw) => {
      const result = validateFromPanel(raw);
      if (!result.ok) return log(`Dropped an invalid message from the comparison: ${result.error}`);
      if (result.value.type === 'ready') void this.push(true);
      if (result.value.type === 'sample') {
        this.step = result.value.step;
        void this.pushGrids(true);
      }
    });
    this.poller = setInterval(() => void this.push(false), POLL_MS);
  }

  dispose(): void {
    clearInterval(this.poller);
  }

  /** The compared runs and their ancestors (run.json's parent, a folder beside the branch's). */
  private async load(): Promise<void> {
    for (const dir of this.dirs) {
      let next: string | undefined = dir;
      for (let depth = 0; next && depth <= MAX_ANCESTORS; depth++) {
        const record: RunRecord | undefined = await readRunRecord(next).catch(() => undefined);
        const id = record?.id ?? path.basename(next);
        if (depth === 0) this.compared.push(id);
        if (this.runs.has(id)) break;
        this.runs.set(id, { id, dir: next, parent: record?.parent, steps: [], scores: [], sampleSteps: [], reader: new RunFolderReader(next) });
        const parentDir: string | undefined = record?.parent && path.join(path.dirname(next), record.parent.run);
        next = parentDir && fs.existsSync(path.join(parentDir, RUN_FILE)) ? parentDir : undefined;
      }
    }
  }

  /** Reads what is new; posts the lines and grids again when anything changed (or `all`: a webview that just loaded). */
  private async push(all: boolean): Promise<void> {
    await this.ready;
    for (const run of this.runs.values()) {
      const update = await run.reader.read().catch((err: Error) => void this.log(`Cannot read ${run.dir}: ${err.message}`));
      if (!update) continue;
      if (update.reset) [run.steps, run.scores, all] = [[], [], true];
      run.steps = run.steps.concat(update.steps);
      run.scores = run.scores.concat(update.scores);
      if (update.sampleSteps) run.sampleSteps = update.sampleSteps;
    }
    const version = [...this.runs.values()].map((r) => `${r.steps.length}/${r.scores.length}/${r.sampleSteps.length}`).join(',');
    if (!all && version === this.version) return;
    this.version = version;
    const compared = this.compared.map((id) => this.runs.get(id)!);
    const label = (run: ComparedRun) => this.labels[this.compared.indexOf(run.id)] ?? run.id;
    this.post({ type: 'run', run: this.panelRun(compared) });
    const series = compareSeries(compared, this.runs, label);
    this.post({ type: 'series', reset: all, series: all ? series : series.flatMap((line) => this.unsent(line)) });
    for (const line of series) if (line.steps.length) this.sent.set(line.name, line.steps[line.steps.length - 1]);
    await this.pushGrids(all);
  }

  /** The part of a chart line after the last step the webview has of it. */
  private unsent(line: Series): Series[] {
    const from = this.sent.get(line.name) ?? -Infinity;
    const first = line.steps.findIndex((step) => step > from);
    return first < 0 ? [] : [{ ...line, steps: line.steps.slice(first), values: line.values.slice(first) }];
  }

  private panelRun(compared: ComparedRun[]): PanelRun {
    const step = Math.max(0, ...compared.map((r) => r.steps.at(-1)?.step ?? 0));
    return { runId: this.labels.join(' vs '), runDir: this.dirs[0], preset: '', live: false, step, compare: this.dirs };
  }

  /** Each compared run's grid at the chosen step (the newest step any has a grid at, until the user picks one). */
  private async pushGrids(always: boolean): Promise<void> {
    const lines = this.compared.map((id) => lineage(this.runs.get(id)!, this.runs));
    const steps = gridSteps(lines);
    if (!steps.length) return;
    const step = this.step !== undefined && steps.includes(this.step) ? this.step : steps[steps.length - 1];
    const shown = `${step}/${steps.length}`;
    if (!always && shown === this.gridsShown) return;
    this.gridsShown = shown;
    const grids = await Promise.all(lines.map(async (line, i) => {
      const at = gridAt(line, step);
      const uri = at && (await readSampleUri(at.dir, at.step).catch(() => undefined));
      return { label: this.labels[i], ...(at && uri && { step: at.step, uri }) };
    }));
    this.post({ type: 'grids', step, steps, grids });
  }

  private post(message: ToPanel): void {
    void this.panel.webview.postMessage(message);
  }
}
