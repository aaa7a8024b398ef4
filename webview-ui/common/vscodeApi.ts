// The webview's handle on VS Code: the one acquireVsCodeApi() a page may make, and messages from the host validated on arrival.

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

let api: VsCodeApi | undefined;

/** VS Code allows one acquireVsCodeApi() call per page: every module shares its result. */
export function vscodeApi(): VsCodeApi {
  return (api ??= acquireVsCodeApi());
}

type Validate<T> = (value: unknown) => { ok: true; value: T } | { ok: false; error: string };

/** Calls `handle` with each message from the host that `validate` accepts; the others are dropped with a warning. */
export function onHostMessage<T>(validate: Validate<T>, handle: (message: T) => void): void {
  window.addEventListener('message', (event) => {
    const result = validate(event.data);
    if (result.ok) handle(result.value);
    else console.warn(`GANscope: dropped an invalid message: ${result.error}`);
  });
}
