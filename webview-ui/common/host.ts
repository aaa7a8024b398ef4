// The webview's side of the channel to the extension host: typed, validated, with persisted state.
import { FromWebview, ToWebview, validateToWebview } from '../../src/protocol/dashboard';

interface VsCodeApi<S> {
  postMessage(message: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}
declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export function connect<S>(onMessage: (message: ToWebview) => void) {
  const api = acquireVsCodeApi<S>();
  window.addEventListener('message', (event) => {
    const result = validateToWebview(event.data);
    if (result.ok) onMessage(result.value);
    else console.warn(`GANscope: dropped an invalid message: ${result.error}`);
  });
  return {
    post: (message: FromWebview) => api.postMessage(message),
    saved: () => api.getState(),
    save: (state: S) => api.setState(state),
  };
}
