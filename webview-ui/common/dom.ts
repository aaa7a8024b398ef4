// Small DOM helpers every webview uses.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The element with `id`, which the page's own markup made (so it is there). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

export interface TableRow {
  cells: string[];
  className?: string;
}

/** A closed disclosure `summary` holding a table of numbers (`table.stats`), one row a channel or item. */
export function statsTable(summary: string, headings: string[], rows: TableRow[]): HTMLDetailsElement {
  const details = el('details');
  details.append(el('summary', 'muted', summary));
  const table = el('table', 'stats');
  const head = el('tr');
  for (const h of headings) head.append(el('th', undefined, h));
  table.append(head);
  for (const { cells, className } of rows) {
    const row = el('tr', className);
    for (const text of cells) row.append(el('td', undefined, text));
    table.append(row);
  }
  details.append(table);
  return details;
}
