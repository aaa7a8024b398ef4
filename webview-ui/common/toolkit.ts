// The one place that touches @vscode/webview-ui-toolkit (deprecated upstream in 2025), so it can be replaced in one file.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeTag } from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeTag());

/** Enables or disables a toolkit button (the attribute, which the toolkit observes). */
export function setEnabled(button: HTMLElement, enabled: boolean): void {
  button.toggleAttribute('disabled', !enabled);
}
