// A panel webview's side of the channel to the extension host: validated messages, probes as promises, persisted state.
import { FromPanel, PanelState, ToPanel, validateToPanel } from '../../src/protocol/panels';
import { ProbeQuery, ProbeResult } from '../../src/protocol/probes';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What a panel saves: the run it shows (for the serializer) plus its own controls. */
export type SavedState<S> = PanelState & { ui?: S };

export function connectPanel<S>(onMessage: (message: ToPanel) => void) {
  const api = acquireVsCodeApi();
  const pending = new Map<number, { resolve: (r: ProbeResult) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let saved = (api.getState() ?? undefined) as SavedState<S> | undefined;

  window.addEventListener('message', (event) => {
    const result = validateToPanel(event.data);
    if (!result.ok) return console.warn(`GANscope: dropped an invalid message: ${result.error}`);
    const message = result.value;
    if (message.type === 'probeResult' || message.type === 'probeError') {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.type === 'probeResult') waiter?.resolve(message.result);
      else waiter?.reject(new Error(message.message));
      return;
    }
    if (message.type === 'run') {
      saved = { ...saved, runDir: message.run.runDir, layer: message.layer ?? saved?.layer };
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
