// The frame every inspection panel shares: the header with its title and run tag, the notice line, and the channel to
// the host, so a panel's main.ts holds only its own view.
import { PanelRun } from '../../src/protocol/panels';
import { byId } from './dom';
import { connectPanel, PanelHost, PanelMessage } from './panelHost';
import { tag } from './toolkit';
import './panel.css';

export interface PanelShellOptions {
  /** The panel's heading. */
  title: string;
  /** Markup after the run tag in the header: a summary, a button. */
  header?: string;
  /** Markup between the header and the notice: controls that choose what the view shows. */
  controls?: string;
  /** The panel's own view, below the notice. */
  body: string;
}

/** What the shell passes on to the panel: the run (once the header shows it) and the panel's data; notices it shows itself. */
export type ViewMessage = Exclude<PanelMessage, { type: 'notice' }>;

export interface PanelShell<S> extends PanelHost<S> {
  /** Shows `text` in the notice line; an empty text hides the line. */
  notice(text: string): void;
  noticeText(): string;
}

export function panelShell<S>(options: PanelShellOptions, onMessage: (message: ViewMessage) => void): PanelShell<S> {
  byId('app').innerHTML = `
  <header class="panel-header">
    <h1>${options.title}</h1>
    ${tag('run', 'no run')}
    ${options.header ?? ''}
  </header>
  ${options.controls ?? ''}
  <p id="notice" class="notice"></p>
  ${options.body}`;
  const notice = (text: string) => (byId('notice').textContent = text);
  const host = connectPanel<S>((message) => {
    if (message.type === 'notice') return notice(message.message);
    if (message.type === 'run') byId('run').textContent = runLabel(message.run);
    onMessage(message);
  });
  return { ...host, notice, noticeText: () => byId('notice').textContent ?? '' };
}

function runLabel(run: PanelRun): string {
  return `${run.runId}${run.live ? ' · live' : ''}`;
}
