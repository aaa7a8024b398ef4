// The live dashboard in the GANscope sidebar: a webview view that renders the state the host pushes.
import * as vscode from 'vscode';
import { DashboardAction, DashboardState, ToWebview, validateFromWebview } from '../protocol/dashboard';
import { webviewHtml } from './webviewHtml';
import { MANAGE_TRUST_COMMAND } from './workspaceTrust';

export class DashboardViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'ganscope.dashboard';
  private view: vscode.WebviewView | undefined;
  /** Why nothing can train in this workspace (Restricted Mode), shown above everything else. */
  private restricted: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly state: () => DashboardState,
    private readonly onAction: (action: DashboardAction) => void,
    private readonly log: (line: string) => void,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'out', 'webview')] };
    view.webview.html = webviewHtml(view.webview, this.extensionUri, 'dashboard', 'GANscope Dashboard');
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw) => {
        const result = validateFromWebview(raw);
        if (!result.ok) return this.log(`Dropped an invalid message from the dashboard: ${result.error}`);
        if (result.value.type === 'ready') this.post(this.state());
        else if (result.value.action === 'manageTrust') void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
        else this.onAction(result.value.action);
      }),
      view.onDidChangeVisibility(() => view.visible && this.post(this.state())),
      view.onDidDispose(() => (this.view = undefined)),
    );
  }

  post(state: DashboardState): void {
    const shown = this.restricted ? { ...state, restricted: this.restricted } : state;
    if (this.view?.visible) void this.view.webview.postMessage({ type: 'state', state: shown } satisfies ToWebview);
  }

  setRestricted(reason: string | undefined): void {
    this.restricted = reason;
    this.post(this.state());
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
