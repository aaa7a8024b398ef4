// The one place that touches @vscode/webview-ui-toolkit (deprecated upstream in 2025), so it can be replaced in one file.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeTag } from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeDivider(), vsCodeTag());

