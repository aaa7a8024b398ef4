// The Runs tree: every run in the runs folder, the live one first-class, with its files underneath.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LayerInfo, NetworkName } from '../protocol/probes';
import { METRICS_FILE, RUN_FILE } from '../protocol/runDir';
import { readGraph } from '../runFolder/reader';
import { debounce } from './debounce';
import { branchesOf, topLevelRuns } from './runBranches';
import { listRunDirs, readRun, RunSummary } from './runStore';

/** Asks whether the runs folder outside the workspace may be used (the consent item's click). */
export const ALLOW_RUNS_FOLDER_COMMAND = 'ganscope.allowRunsFolder';

export type RunNode = { kind: 'run'; run: RunSummary };
export type NetworkNode = { kind: 'network'; run: RunSummary; network: NetworkName; layers: LayerInfo[] };
/** A layer of a run's network: the panels' commands accept it and open on that layer. */
export type LayerNode = { kind: 'layer'; run: RunSummary; layer: LayerInfo };
/** The runs folder lies outside the workspace and was not allowed yet: listed only once the user allows it. */
type ConsentNode = { kind: 'consent'; dir: string };
type Node = RunNode | NetworkNode | LayerNode | ConsentNode | { kind: 'file'; label: string; file: string; icon: string };

/** The quiet interval before the tree refreshes: a trainer writing grids many times a second redraws it a few times. */
const REFRESH_MS = 300;

export class RunsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private liveRunId: string | undefined;
  /** Run folders opened from elsewhere (a CLI run on another path), listed after the runs folder's. */
  private readonly extraDirs: string[] = [];
  /** What each run folder held when last read: a refresh reads again only the folders it names. */
  private readonly summaries = new Map<string, RunSummary>();
  private readonly stale = new Set<string>();
  private allStale = true;
  private readonly fire = debounce(() => this.changed.fire(), REFRESH_MS);
  /** Every run the last listing found, for the branches under each. */
  private listed: RunSummary[] = [];

  constructor(private readonly runsDir: () => string, private readonly mayList: (dir: string) => boolean = () => true) {}

  addRunDir(dir: string): void {
    if (!this.extraDirs.includes(dir)) this.extraDirs.push(dir);
    this.refresh();
  }

  setLiveRun(runId: string | undefined): void {
    this.liveRunId = runId;
    this.refresh();
  }

  /** Shows the runs again soon: those in `dir` read again, or every run without one. */
  refresh(dir?: string): void {
    if (dir) this.stale.add(path.resolve(dir));
    else this.allStale = true;
    this.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (!this.mayList(this.runsDir())) return [{ kind: 'consent', dir: this.runsDir() }];
      const listed = await listRunDirs(this.runsDir());
      const extra = this.extraDirs.filter((d) => !listed.some((r) => path.resolve(r) === path.resolve(d)));
      this.listed = await Promise.all([...listed, ...extra].map((dir) => this.summary(dir)));
      this.allStale = false;
      this.stale.clear();
      return topLevelRuns(this.listed).map((run) => ({ kind: 'run', run }));
    }
    if (node.kind === 'file' || node.kind === 'layer' || node.kind === 'consent') return [];
    if (node.kind === 'network') return node.layers.map((layer) => ({ kind: 'layer', run: node.run, layer }));
    const { dir, latestSample } = node.run;
    // A run from before probes has no graph.json; an unreadable one shows the run's files only.
    const graph = await readGraph(dir).catch(() => undefined);
    const networks: Node[] = graph
      ? (['generator', 'discriminator'] as const).map((network) => ({ kind: 'network', run: node.run, network, layers: graph[network].layers }))
      : [];
    const files: Node[] = [
      { kind: 'file', label: 'Run configuration', file: path.join(dir, RUN_FILE), icon: 'settings-gear' },
      { kind: 'file', label: 'Metrics log', file: path.join(dir, METRICS_FILE), icon: 'graph-line' },
    ];
    if (latestSample) files.unshift({ kind: 'file', label: `Latest samples (${path.basename(latestSample, '.png')})`, file: latestSample, icon: 'file-media' });
    const branches: Node[] = branchesOf(this.listed, node.run.id).map((run) => ({ kind: 'run', run }));
    return [...branches, ...networks, ...files];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'consent') return consentItem(node.dir);
    if (node.kind === 'network') {
      const label = node.network === 'generator' ? 'Generator' : 'Discriminator';
      const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `${node.run.dir}#${node.network}`;
      item.iconPath = new vscode.ThemeIcon(node.network === 'generator' ? 'wand' : 'eye');
      item.description = `${node.layers.length} layers · ${node.layers.reduce((n, l) => n + l.params, 0).toLocaleString('en-US')} params`;
      item.contextValue = 'network';
      return item;
    }
    if (node.kind === 'layer') {
      const { layer } = node;
      const item = new vscode.TreeItem(layer.name, vscode.TreeItemCollapsibleState.None);
      item.id = `${node.run.dir}#${layer.name}`;
      item.iconPath = new vscode.ThemeIcon(layer.type === 'batchNorm' ? 'symbol-ruler' : 'symbol-field');
      item.description = `${layer.type} → ${layer.outputShape.join('×')}`;
      item.tooltip = `${layer.name}: ${layer.type}${layer.detail ? ` (${layer.detail})` : ''}\nOutput ${layer.outputShape.join('×')}, ${layer.params.toLocaleString('en-US')} parameters`;
      item.contextValue = layer.type === 'batchNorm' ? 'layer.batchNorm' : 'layer';
      item.command = { command: 'ganscope.openActivations', title: 'Open Activations', arguments: [node] };
      return item;
    }
    if (node.kind === 'file') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.resourceUri = vscode.Uri.file(node.file);
      item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(node.file)] };
      return item;
    }
    const { run } = node;
    const live = run.id === this.liveRunId;
    // A run whose branch trains now opens, so the live branch shows.
    const open = live || branchesOf(this.listed, run.id).some((b) => b.id === this.liveRunId);
    const item = new vscode.TreeItem(run.id, open ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = run.dir;
    item.contextValue = live ? 'run.live' : 'run';
    const step = run.lastMetrics ? `step ${run.lastMetrics.step}` : 'no steps yet';
    if (run.problem) {
      item.iconPath = new vscode.ThemeIcon('warning');
      item.description = 'unreadable';
      item.tooltip = `${run.dir}\n${run.problem}`;
    } else {
      item.iconPath = new vscode.ThemeIcon(live ? 'pulse' : 'history');
      const parent = run.record?.parent;
      item.description = `${run.record?.config.preset} · ${step}${parent ? ` · from step ${parent.step}` : ''}${live ? ' · live' : ''}`;
      item.tooltip = `${run.dir}\nBackend: ${run.record?.backend} (${run.record?.device})\nCreated: ${run.record?.createdAt}`;
    }
    return item;
  }

  private async summary(dir: string): Promise<RunSummary> {
    const key = path.resolve(dir);
    const known = this.summaries.get(key);
    if (known && !this.allStale && !this.stale.has(key)) return known;
    const run = await readRun(dir);
    this.summaries.set(key, run);
    return run;
  }

  dispose(): void {
    this.fire.dispose();
    this.changed.dispose();
  }
}

function consentItem(dir: string): vscode.TreeItem {
  const item = new vscode.TreeItem('Runs folder outside this workspace', vscode.TreeItemCollapsibleState.None);
  item.description = dir;
  item.tooltip = `ganscope.runsFolder points outside this workspace, to ${dir}. Click to allow GANscope to read and write there.`;
  item.iconPath = new vscode.ThemeIcon('warning');
  item.command = { title: 'Allow the Runs Folder', command: ALLOW_RUNS_FOLDER_COMMAND, arguments: [dir] };
  return item;
}
