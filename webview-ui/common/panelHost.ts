// A panel webview's side of the channel to the extension host: validated messages, probes as promises, persisted state.
import { FromPanel, PanelState, ToPanel, validateToPanel } from '../../src/protocol/panels';
import { ProbeQuery, ProbeResult } from '../../src/protocol/probes';
import { onHostMessage, vscodeApi } from './vscodeApi';

/** What a panel saves: the run it shows (for the serializer) plus its own controls. */
export type SavedState<S> = PanelState & { ui?: S };

/** The messages a panel sees: probe replies are answered here, as the promises `probe` returned. */
export type PanelMessage = Exclude<ToPanel, { type: 'probeResult' | 'probeError' }>;

export function connectPanel<S>(onMessage: (message: PanelMessage) => void) {
  const api = vscodeApi();
  const pending = new Map<number, { resolve: (r: ProbeResult) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let saved = (api.getState() ?? undefined) as SavedState<S> | undefined;

  onHostMessage(validateToPanel, (message) => {
    if (message.type === 'probeResult' || message.type === 'probeError') {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.type === 'probeResult') waiter?.resolve(message.result);
      else waiter?.reject(new Error(message.message));
      return;
    }
    if (message.type === 'run') {
      saved = { ...saved, runDir: message.run.runDir, layer: message.layer ?? saved?.layer, ...(message.run.compare && { compare: message.run.compare }) };
      api.setState(saved);
    }
    onMessage(message);
  });

  return {
    post: (message: FromPanel) => api.postMessage(message),
    probe(query: ProbeQuery): Promise<ProbeResult> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        api.postMessage({ type: 'probe', id, query } satisfies FromPanel);
      });
    },
    /** The panel's own controls as saved before a reload. */
    ui: (): S | undefined => saved?.ui,
    saveUi(ui: S): void {
      if (!saved) return; // no run yet: nothing the serializer could restore
      saved = { ...saved, ui };
      api.setState(saved);
    },
    ready: () => api.postMessage({ type: 'ready' } satisfies FromPanel),
  };
}

export type PanelHost<S> = ReturnType<typeof connectPanel<S>>;
