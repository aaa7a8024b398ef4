// The one place that touches @vscode/webview-ui-toolkit (deprecated upstream in 2025), so it can be replaced in one file.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTag, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing(), vsCodeTag(), vsCodeTextField(),
);

/** The value of a toolkit dropdown or text field (they are custom elements, not inputs). */
export function valueOf(element: Element): string {
  return (element as unknown as { value: string }).value;
}
