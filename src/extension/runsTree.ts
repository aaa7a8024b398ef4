// The Runs tree: every run in the runs folder, the live one first-class, with its files underneath.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { METRICS_FILE, RUN_FILE } from '../protocol/runDir';
import { listRuns, RunSummary } from './runStore';

export type RunNode = { kind: 'run'; run: RunSummary };
type Node = RunNode | { kind: 'file'; label: string; file: string; icon: string };

export class RunsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private liveRunId: string | undefined;

  constructor(private readonly runsDir: () => string) {}

  setLiveRun(runId: string | undefined): void {
    this.liveRunId = runId;
    this.refresh();
  }

  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: Node): Node[] {
    if (!node) return listRuns(this.runsDir()).map((run) => ({ kind: 'run', run }));
    if (node.kind === 'file') return [];
    const { dir, latestSample } = node.run;
    const files: Node[] = [
      { kind: 'file', label: 'Run configuration', file: path.join(dir, RUN_FILE), icon: 'settings-gear' },
      { kind: 'file', label: 'Metrics log', file: path.join(dir, METRICS_FILE), icon: 'graph-line' },
    ];
    if (latestSample) files.unshift({ kind: 'file', label: `Latest samples (${path.basename(latestSample, '.png')})`, file: latestSample, icon: 'file-media' });
    return files;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.resourceUri = vscode.Uri.file(node.file);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.file)] };
      return item;
    }
    const { run } = node;
    const live = run.id === this.liveRunId;
    const item = new vscode.TreeItem(run.id, live ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = run.dir;
    item.contextValue = live ? 'run.live' : 'run';
    const step = run.lastMetrics ? `step ${run.lastMetrics.step}` : 'no steps yet';
    if (run.problem) {
      item.iconPath = new vscode.ThemeIcon('warning');
      item.description = 'unreadable';
      item.tooltip = `${run.dir}\n${run.problem}`;
    } else {
      item.iconPath = new vscode.ThemeIcon(live ? 'pulse' : 'history');
      item.description = `${run.record?.config.preset} · ${step}${live ? ' · live' : ''}`;
      item.tooltip = `${run.dir}\nBackend: ${run.record?.backend} (${run.record?.device})\nCreated: ${run.record?.createdAt}`;
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
