// The HTML shell every GANscope webview gets: a strict CSP with a nonce, and only local scripts and styles.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeHtml } from './escapeHtml';

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, app: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'out', 'webview', file));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${asset(`${app}.css`)}">
  <title>${escapeHtml(title)}</title>
</head>
<body>
  <main id="app" data-app="${app}"></main>
  <script nonce="${nonce}" src="${asset(`${app}.js`)}"></script>
</body>
</html>`;
}
