// The inspection panels: one editor panel per kind and run, each fed by its run's RunFeed, probes answered by the live
// trainer or by an inspector (a trainer that loads the run's checkpoint); restored after a window reload.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { exportFileName, FromPanel, PANEL_KINDS, PANEL_TITLES, PanelKind, PanelState, panelStateProblem, ToPanel, validateFromPanel } from '../../protocol/panels';
import { Stepped } from '../../protocol/dashboard';
import { Finding } from '../../protocol/findings';
import { ProbeQuery, ProbeResult } from '../../protocol/probes';
import { RUN_FILE, SAMPLES_DIR, sampleFileName } from '../../protocol/runDir';
import { TrainerHost } from '../trainerHost';
import { LearnerAction, probeAction } from '../walkthroughProgress';
import { webviewHtml } from '../webviewHtml';
import { InspectorPool, MAX_INSPECTORS } from './inspectorPool';
import { RunFeed } from './runFeed';
import { GROUPS } from './series';

export interface PanelManagerOptions {
  extensionUri: vscode.Uri;
  /** The trainer training now and its run directory, if any. */
  live(): { host: TrainerHost; runDir: string } | undefined;
  /** A new, unstarted trainer host to serve as an inspector of a past run. */
  newTrainer(): TrainerHost;
  /** Why no inspector may open the run in `runDir` (its run.json names a path the user did not allow), or undefined. */
  mayInspect(runDir: string): Promise<string | undefined>;
  log(line: string): void;
  /** A panel of this kind was shown, on `layer` when one was asked for (for the walkthrough's context keys). */
  onOpened(kind: PanelKind, layer?: string): void;
  /** A panel showed the learner something a walkthrough step asks for. */
  onLearnerAction(action: LearnerAction): void;
  /** The Diagnosis panel's "Apply and continue": remedy `remedy` of `finding` of the run in `runDir`. */
  onApplyRemedy(runDir: string, finding: Finding, remedy: number): void;
  /** The Diagnosis panel's link to the walkthrough step `step`. */
  onOpenWalkthrough(step: string): void;
}

/** Where a new panel opens: a column (the active group when absent), and whether the focus stays where it was. */
export interface Placement {
  column?: vscode.ViewColumn;
  preserveFocus?: boolean;
}

/** The panels whose webview asks a probe once it has loaded (the activations, the gallery's real images, the gradients). */
const PROBES_ON_LOAD: readonly PanelKind[] = ['activations', 'gallery', 'gradients'];

export function viewType(kind: PanelKind): string {
  return `ganscope.${kind}`;
}

export class PanelManager implements vscode.Disposable {
  private readonly panels = new Map<string, InspectPanel>();
  private readonly feeds = new Map<string, RunFeed>();
  private readonly inspectors = new InspectorPool<TrainerHost>((runDir) => this.startInspector(runDir), (runDir, inspector, why) => {
    if (why === 'evicted') this.options.log(`Closing the inspector on ${runDir}: at most ${MAX_INSPECTORS} run at once, and it was used least recently`);
    inspector.then((host) => void host.stop(), () => undefined);
  });
  private readonly disposables: vscode.Disposable[] = [];
  /** Step mode's last step on the live run, for its galleries, until the run resumes. */
  private stepped: { runDir: string; views: Stepped } | undefined;

  constructor(private readonly options: PanelManagerOptions) {
    for (const kind of PANEL_KINDS) {
      this.disposables.push(
        vscode.window.registerWebviewPanelSerializer(viewType(kind), {
          deserializeWebviewPanel: async (panel, state: unknown) => {
            if (panelStateProblem(state, 'state')) {
              // Nothing to restore from (a panel closed before it got a run): close it rather than show an empty one.
              panel.dispose();
              return;
            }
            const { runDir, layer } = state as PanelState;
            this.attach(kind, panel, runDir, layer);
          },
        }),
      );
    }
  }

  /**
   * Shows the panel of `kind` on the run in `runDir`, revealing it when open; a new one goes to `placement` (the active
   * group unless told). Returns the column the panel is in.
   */
  open(kind: PanelKind, runDir: string, layer?: string, placement: Placement = {}): vscode.ViewColumn | undefined {
    if (layer) this.options.onOpened(kind, layer);
    const existing = this.panels.get(key(kind, runDir));
    if (existing) {
      existing.panel.reveal(placement.column, placement.preserveFocus);
      if (layer) existing.focusLayer(layer);
      return existing.panel.viewColumn;
    }
    this.options.log(`Opening the ${PANEL_TITLES[kind]} panel on ${runDir}${layer ? ` at ${layer}` : ''}`);
    const show = { viewColumn: placement.column ?? vscode.ViewColumn.Active, preserveFocus: placement.preserveFocus ?? false };
    const panel = vscode.window.createWebviewPanel(viewType(kind), PANEL_TITLES[kind], show, {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.options.extensionUri, 'out', 'webview')],
    });
    this.attach(kind, panel, runDir, layer);
    return panel.viewColumn;
  }

  /** The live run started or ended: its panels switch between the live trainer and an inspector for probes. */
  setLive(runDir: string | undefined): void {
    for (const feed of this.feeds.values()) feed.setLive(runDir !== undefined && samePath(feed.dir, runDir));
    if (runDir) this.disposeInspector(runDir);
  }

  /** Step mode stepped the live run in `runDir` (`views`), or its step is over (undefined): its galleries show it. */
  showStepped(runDir: string | undefined, views: Stepped | undefined): void {
    if (views === this.stepped?.views) return;
    this.stepped = runDir && views ? { runDir, views } : undefined;
    for (const panel of this.panels.values()) if (panel.kind === 'gallery') this.sendStepped(panel);
  }

  sendStepped(panel: InspectPanel): void {
    const views = this.stepped && samePath(this.stepped.runDir, panel.feed.dir) ? this.stepped.views : undefined;
    panel.post({ type: 'stepped', stepped: views });
  }

  /** The live trainer reported progress on `runDir`: its panels read the new records soon. */
  poke(runDir: string): void {
    for (const feed of this.feeds.values()) if (samePath(feed.dir, runDir)) feed.poke();
  }

  async probe(runDir: string, query: ProbeQuery): Promise<ProbeResult> {
    const live = this.options.live();
    if (live && samePath(live.runDir, runDir)) return live.host.probe(query);
    return (await this.inspector(runDir)).probe(query);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.panel.dispose();
    for (const feed of this.feeds.values()) feed.dispose();
    for (const dir of this.inspectors.runDirs) this.inspectors.close(dir);
    vscode.Disposable.from(...this.disposables).dispose();
  }

  private attach(kind: PanelKind, panel: vscode.WebviewPanel, runDir: string, layer?: string): void {
    const id = key(kind, runDir);
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.options.extensionUri, 'out', 'webview')] };
    // Two colourings: a tab icon is an image, so it cannot follow the theme's foreground as the activity bar's does.
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.options.extensionUri, 'media', 'ganscope-light.svg'),
      dark: vscode.Uri.joinPath(this.options.extensionUri, 'media', 'ganscope-dark.svg'),
    };
    let feed = this.feeds.get(runDir);
    if (!feed) {
      feed = new RunFeed(runDir);
      feed.setLive(samePath(this.options.live()?.runDir, runDir));
      this.feeds.set(runDir, feed);
    }
    panel.title = `${PANEL_TITLES[kind]} · ${path.basename(runDir)}`;
    panel.webview.html = webviewHtml(panel.webview, this.options.extensionUri, kind, panel.title);
    // These panels probe as soon as they load: on a past run, its inspector starts while the webview loads.
    if (panel.visible && PROBES_ON_LOAD.includes(kind) && !samePath(this.options.live()?.runDir, runDir)) void this.inspector(runDir).catch(() => undefined);
    const inspectPanel = new InspectPanel(kind, panel, feed, layer, this);
    this.panels.set(id, inspectPanel);
    this.options.onOpened(kind);
    panel.onDidDispose(() => {
      this.panels.delete(id);
      feed.unsubscribe(inspectPanel);
      if ([...this.panels.values()].some((p) => p.feed === feed)) return;
      feed.dispose();
      this.feeds.delete(runDir);
      this.disposeInspector(runDir);
    });
  }

  /**
   * One inspector per past run, started by its first probe (or a panel that probes on load) and kept until its last
   * panel closes, or until more inspectors than the pool allows are open.
   */
  private inspector(runDir: string): Promise<TrainerHost> {
    return this.inspectors.get(runDir);
  }

  private async startInspector(runDir: string): Promise<TrainerHost> {
    const refused = await this.options.mayInspect(runDir);
    if (refused) throw new Error(refused);
    const host = this.options.newTrainer();
    host.onLog((line) => this.options.log(`[inspector] ${line}`));
    this.options.log(`Starting an inspector on ${runDir}`);
    const startedAt = Date.now();
    return host.inspect(runDir).then(
      (event) => {
        this.options.log(`Inspecting ${event.runId} at step ${event.step}: the inspector was ready in ${Date.now() - startedAt} ms`);
        return host;
      },
      (err: Error) => {
        host.dispose();
        throw new Error(`Cannot inspect ${runDir}: ${err.message}`);
      },
    );
  }

  private disposeInspector(runDir: string): void {
    this.inspectors.close(runDir);
  }

  /**
   * Called by a panel: the graph's "open this layer". A new Activations panel goes to the graph's own group, not the
   * active one: a click in a webview does not always make its group active, and the active group can be a walkthrough's.
   */
  openLayer(runDir: string, layer: string, graphColumn: vscode.ViewColumn | undefined): void {
    const isOpen = this.panels.has(key('activations', runDir));
    this.open('activations', runDir, layer, isOpen ? {} : { column: graphColumn });
  }

  /** Called by a panel: save what it exported, through a save dialog. */
  async save(format: 'png' | 'gif', suggestedName: string, data: Uint8Array): Promise<void> {
    const target = await this.exportTarget(format, suggestedName);
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, data);
    void vscode.window.showInformationMessage(`Saved ${path.basename(target.fsPath)} (${Math.round(data.length / 1024)} KB).`);
  }

  /** Called by the gallery: copy the grid of `step` from the run's samples/ to where the user chooses. */
  async exportSample(runDir: string, runId: string, step: number): Promise<void> {
    const source = path.join(runDir, SAMPLES_DIR, sampleFileName(step));
    if (!fs.existsSync(source)) {
      void vscode.window.showErrorMessage(`${source} is not there (the grid of step ${step}): pick another step in the gallery.`);
      return;
    }
    const target = await this.exportTarget('png', `${runId}-step-${step}.png`);
    if (!target) return;
    try {
      await vscode.workspace.fs.copy(vscode.Uri.file(source), target, { overwrite: true });
      void vscode.window.showInformationMessage(`Saved ${path.basename(target.fsPath)} (${Math.round(fs.statSync(source).size / 1024)} KB).`);
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not copy ${source} to ${target.fsPath}: ${(err as Error).message}. Check that the folder is writable and try again.`);
    }
  }

  /** Where to save an export, from a save dialog that proposes `suggestedName` (made safe) in the workspace. */
  private async exportTarget(format: 'png' | 'gif', suggestedName: string): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, exportFileName(suggestedName)) : undefined,
      filters: format === 'png' ? { 'PNG image': ['png'] } : { 'Animated GIF': ['gif'] },
      title: format === 'png' ? 'Save the grid as PNG' : 'Save the timeline as an animated GIF',
    });
  }

  log(line: string): void {
    this.options.log(line);
  }

  learnerAction(action: LearnerAction): void {
    this.options.onLearnerAction(action);
  }

  applyRemedy(runDir: string, finding: Finding, remedy: number): void {
    this.options.onApplyRemedy(runDir, finding, remedy);
  }

  openWalkthrough(step: string): void {
    this.options.onOpenWalkthrough(step);
  }
}

/** One editor panel: relays its webview's requests and the feed's pushes. */
class InspectPanel {
  private layer: string | undefined;

  constructor(
    readonly kind: PanelKind,
    readonly panel: vscode.WebviewPanel,
    readonly feed: RunFeed,
    layer: string | undefined,
    private readonly manager: PanelManager,
  ) {
    this.layer = layer;
    panel.webview.onDidReceiveMessage((raw) => {
      const result = validateFromPanel(raw);
      if (!result.ok) return manager.log(`Dropped an invalid message from the ${kind} panel: ${result.error}`);
      void this.receive(result.value);
    });
  }

  post(message: ToPanel): void {
    void this.panel.webview.postMessage(message);
    const scores = message.type === 'series' && message.series.some((s) => s.group.startsWith(GROUPS.scores) && s.steps.length > 0);
    if (this.kind === 'metrics' && scores && this.panel.visible) this.manager.learnerAction('scoresShown');
  }

  focusLayer(layer: string): void {
    this.layer = layer;
    this.post({ type: 'run', run: this.feed.run, layer });
  }

  private async receive(message: FromPanel): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A reloaded webview subscribes again: the feed sends it everything.
        this.feed.unsubscribe(this);
        this.feed.subscribe(this, this.layer);
        if (this.kind === 'gallery') this.manager.sendStepped(this);
        return;
      case 'probe':
        try {
          this.post({ type: 'probeResult', id: message.id, result: await this.manager.probe(this.feed.dir, message.query) });
          const action = probeAction(message.query);
          if (action && this.panel.visible) this.manager.learnerAction(action);
        } catch (err) {
          this.post({ type: 'probeError', id: message.id, message: (err as Error).message });
        }
        return;
      case 'sample':
        try {
          this.post({ type: 'sample', step: message.step, uri: await this.feed.files.sampleUri(message.step), growth: this.feed.growthAt(message.step) });
        } catch (err) {
          this.post({ type: 'notice', message: `Cannot read the grid of step ${message.step}: ${(err as Error).message}` });
        }
        return;
      case 'openLayer':
        return this.manager.openLayer(this.feed.dir, message.layer, this.panel.viewColumn);
      case 'export':
        return this.manager.save(message.format, message.suggestedName, message.data);
      case 'exportSample':
        return this.manager.exportSample(this.feed.dir, this.feed.run.runId, message.step);
      case 'seriesRange':
        try {
          const { group, from, to } = message;
          this.post({ type: 'seriesDetail', group, from, to, series: await this.feed.detail(group, from, to) });
        } catch (err) {
          this.post({ type: 'notice', message: `Cannot read the steps ${message.from}–${message.to}: ${(err as Error).message}` });
        }
        return;
      case 'openWalkthrough':
        return this.manager.openWalkthrough(message.step);
      case 'applyRemedy': {
        const finding = this.feed.findings.find((f) => f.kind === message.kind && f.step === message.step);
        if (finding?.remedies[message.remedy]) this.manager.applyRemedy(this.feed.dir, finding, message.remedy);
        else this.post({ type: 'notice', message: `That remedy is no longer in ${this.feed.dir}'s findings: reopen the panel.` });
        return;
      }
    }
  }
}

function key(kind: PanelKind, runDir: string): string {
  return `${kind}\n${path.resolve(runDir)}`;
}

function samePath(a: string | undefined, b: string): boolean {
  return a !== undefined && path.resolve(a) === path.resolve(b);
}

/** A folder a panel can open: it must hold a run.json. */
export function checkRunDir(dir: string): string | undefined {
  return fs.existsSync(path.join(dir, RUN_FILE)) ? undefined : `${dir} has no ${RUN_FILE}: pick a run folder (one folder per run, e.g. .ganscope/runs/<id>).`;
}
