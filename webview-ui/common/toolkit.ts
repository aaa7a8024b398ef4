// The one place that touches @vscode/webview-ui-toolkit (deprecated upstream in 2025): its tags are made and read only
// through these functions, so replacing it changes this file alone.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeProgressRing, vsCodeTag, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

provideVSCodeDesignSystem().register(
  vsCodeButton(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeProgressRing(), vsCodeTag(), vsCodeTextField(),
);

/** Attributes as markup, values escaped; `undefined` leaves an attribute out, `true` writes it bare. */
function attributes(attrs: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escape(String(v))}"`))
    .join('');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface ButtonOptions {
  id: string;
  label: string;
  appearance: 'primary' | 'secondary';
  title?: string;
  hidden?: boolean;
  disabled?: boolean;
}

/** A button's markup. */
export function button({ id, label, appearance, title, hidden, disabled }: ButtonOptions): string {
  return `<vscode-button${attributes({ id, appearance, title, hidden, disabled })}>${escape(label)}</vscode-button>`;
}

/** A short label's markup (a run's name, a status). */
export function tag(id: string, text: string): string {
  return `<vscode-tag${attributes({ id })}>${escape(text)}</vscode-tag>`;
}

/** A dropdown's markup, one option per value, the first one selected. */
export function dropdown(id: string, options: Record<string, string>): string {
  const items = Object.entries(options).map(([value, label]) => `<vscode-option${attributes({ value })}>${escape(label)}</vscode-option>`);
  return `<vscode-dropdown${attributes({ id })}>${items.join('')}</vscode-dropdown>`;
}

/** A one-line text field's markup, `size` characters wide. */
export function textField(id: string, size: number, title?: string): string {
  return `<vscode-text-field${attributes({ id, size, title })}></vscode-text-field>`;
}

/** A progress ring's markup, hidden until something is busy. */
export function progressRing(id: string): string {
  return `<vscode-progress-ring${attributes({ id, hidden: true })}></vscode-progress-ring>`;
}

export function divider(): string {
  return '<vscode-divider></vscode-divider>';
}

/** A dropdown's or text field's value (they are custom elements, not inputs). */
export function valueOf(element: Element): string {
  return (element as unknown as { value: string }).value;
}

export function setValue(element: Element, value: string | number): void {
  (element as unknown as { value: string }).value = String(value);
}

/** A text field's value as a whole number, or `fallback` when it holds anything else. */
export function wholeNumberOf(element: Element, fallback: number): number {
  const text = valueOf(element).trim();
  return /^\d+$/.test(text) ? Number(text) : fallback;
}

export function setDisabled(element: Element, disabled: boolean): void {
  element.toggleAttribute('disabled', disabled);
}
