// Reads the summary panel and the canvas as a user sees them: rows and cells as text.
import type { Page } from 'playwright-core';

export interface LayerRowView {
  id: string;
  selected: boolean;
  /** The row's cells' text, in column order. */
  cells: string[];
}

export async function readLayerRows(page: Page): Promise<LayerRowView[]> {
  return page.$$eval('[data-testid="layer-table"] [data-testid="layer-row"]', (rows) =>
    rows.map((row) => ({
      id: row.getAttribute('data-layer-id') ?? '',
      selected: row.getAttribute('aria-selected') === 'true',
      cells: [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim()),
    })),
  );
}

export async function readText(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
}

/** Each body row of the inputs/outputs table as its cells' text. */
export async function readIoRows(page: Page): Promise<string[][]> {
  return page.$$eval('[data-testid="io-table"] tbody tr', (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').trim())),
  );
}

/** Each entry of the op-count list as its text, whitespace squeezed. */
export async function readOpCountEntries(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="op-counts"] li', (items) => items.map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

export interface GraphNodeView {
  id: string;
  selected: boolean;
}

/** Operator nodes present in the DOM (React Flow renders only those in view). */
export async function readGraphNodes(page: Page): Promise<GraphNodeView[]> {
  return page.$$eval('[data-testid="graph-view"] [data-testid="graph-node"]', (nodes) =>
    nodes.map((node) => ({ id: node.getAttribute('data-node-id') ?? '', selected: node.getAttribute('data-selected') === 'true' })),
  );
}

/** Attribute-selector-safe quoting of an id that may hold dots, colons or quotes. */
export function quoteAttribute(value: string): string {
  return JSON.stringify(value);
}

/** 1234567 → "1,234,567", the way the layer table prints counts. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}
