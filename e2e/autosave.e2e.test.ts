// Evidence 6 (first half) of issue 6: a reload in the middle of work loses nothing. The studio
// opens, a pipeline is dropped on the window and run (Fashion MLP, quantize bits 8 and 4, on the
// quick subset); then the pipeline is changed (another file dropped: prune then quantize) and
// the page is reloaded as soon as the header says "Saved". After the reload the edited pipeline,
// the open model and the last run's chart and table are all back, without a click. Then the same
// for a user's own model file (opened from disk, not a sample): after a reload it is open again —
// its bytes were kept in this browser — and the pipeline still names it by name and SHA-256.
// Last, autosave data that is damaged or from another version is ignored with a note, never a crash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStudioSession } from './support/lifecycle';
import type { Studio } from './support/studio';

const RUN_WAIT_MS = 300_000;
const SWEEP = {
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-mlp' },
  dataset: { sample: 'fashion-mnist' },
  nodes: [
    { id: 'model', type: 'model' },
    { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
  ],
  edges: [{ source: 'model', target: 'q' }],
};
const EDITED = {
  ...SWEEP,
  nodes: [
    { id: 'model', type: 'model', ui: { position: { x: 0, y: 0 } } },
    { id: 'p', type: 'prune', params: { sparsity: 0.3 }, ui: { position: { x: 220, y: 0 } } },
    { id: 'q', type: 'quantize', params: { bits: 4 }, ui: { position: { x: 440, y: 0 } } },
  ],
  edges: [
    { source: 'model', target: 'p' },
    { source: 'p', target: 'q' },
  ],
};
const IDS = ['model', 'q[bits=8]', 'q[bits=4]'];

interface Row {
  id: string;
  status: string;
  metrics: Record<string, string>;
}

async function readRows(page: Page): Promise<Row[]> {
  return page.$$eval('[data-testid="results-row"]', (rows) =>
    rows.map((row) => ({
      id: (row as HTMLElement).dataset.variantId ?? '',
      status: (row as HTMLElement).dataset.status ?? '',
      metrics: Object.fromEntries([...row.querySelectorAll<HTMLElement>('td[data-value]')].map((cell) => [cell.dataset.column ?? '', cell.dataset.value ?? ''])),
    })),
  );
}

async function waitForRows(page: Page, what: string, done: (rows: Row[]) => boolean, timeoutMs = RUN_WAIT_MS): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: Row[] = [];
  while (Date.now() < deadline) {
    rows = await readRows(page);
    if (done(rows)) return rows;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify(rows)}`);
}

async function savedPipeline(studio: Studio): Promise<Record<string, unknown>> {
  const [download] = await Promise.all([studio.page.waitForEvent('download'), studio.page.click('[data-testid="save-button"]')]);
  return JSON.parse(await readFile((await download.path())!, 'utf8')) as Record<string, unknown>;
}

async function pointIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="pareto-point"]', (points) => points.map((point) => (point as SVGElement).dataset.variantId ?? ''));
}

const file = (name: string, document: unknown) => ({ name, bytes: new TextEncoder().encode(JSON.stringify(document)) });

describe('autosave', () => {
  const session = useStudioSession();

  it('brings back the edited pipeline, the model and the last run after a reload mid-edit', async () => {
    const { studio } = session;
    const { page } = studio;
    await studio.dropFiles([file('sweep.whittle.json', SWEEP)]);
    await studio.waitForModel('fashion-mlp.onnx');
    await studio.waitForRuntime();
    await page.check('[data-testid="quick-toggle"]');
    await page.click('[data-testid="run-button"]');
    const rows = await waitForRows(page, 'the run to finish', (current) => IDS.every((id) => current.some((row) => row.id === id && row.status === 'done')));
    // The chart draws its points a moment after the table lists them.
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="pareto-point"]').length === count, IDS.length);
    const points = await pointIds(page);
    expect(points.sort()).toEqual([...IDS].sort());

    // The edit: another pipeline, then a reload as soon as autosave has it.
    await studio.dropFiles([file('edited.whittle.json', EDITED)]);
    // Save shows the edit is in; "Saved" then says autosave has it too (the load set it to "Saving…").
    const before = await savedPipeline(studio);
    expect((before.nodes as { id: string }[]).map((node) => node.id)).toEqual(['model', 'p', 'q']);
    await page.waitForSelector('[data-testid="autosave-status"][data-state="saved"]');
    await studio.screenshot('autosave-1-before-reload');

    await page.reload();
    await studio.waitForModel('fashion-mlp.onnx');
    const after = await waitForRows(page, 'the restored results', (current) => current.length === rows.length, 60_000);
    await page.waitForSelector('[data-testid="autosave-status"][data-state="saved"]');
    await studio.screenshot('autosave-2-after-reload');
    const afterPipeline = await savedPipeline(studio);
    // Save names the file after the model once it is no longer the dropped file; the document is the same.
    expect(afterPipeline).toEqual(before);
    expect(after).toEqual(rows);
    await page.waitForFunction((count) => document.querySelectorAll('[data-testid="pareto-point"]').length === count, IDS.length);
    expect((await pointIds(page)).sort()).toEqual(points.sort());
    expect(await page.$('[data-testid="autosave-notes"]')).toBeNull();
  });

  it("reopens a user's own model file after a reload, from the bytes kept in this browser", async () => {
    const { studio } = session;
    const { page } = studio;
    const bytes = readFileSync(new URL('../public/samples/mnist-cnn.onnx', import.meta.url));
    const path = await session.files.write({ name: 'my-digits.onnx', bytes });
    await studio.openFiles([path]);
    await studio.waitForModel('my-digits.onnx');
    await page.waitForSelector('[data-testid="autosave-status"][data-state="saved"]');
    const pipeline = await savedPipeline(studio);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(pipeline.model).toEqual({ name: 'my-digits.onnx', sha256 });

    await page.reload();
    await studio.waitForModel('my-digits.onnx');
    expect(await page.$('[data-testid="model-file-request"]')).toBeNull();
    expect((await savedPipeline(studio)).model).toEqual({ name: 'my-digits.onnx', sha256 });
    await studio.screenshot('autosave-3-own-model-reopened');
  });

  it('ignores damaged or foreign autosave data with a note, and keeps what still restores', async () => {
    const { studio } = session;
    const { page } = studio;
    const store = (value: unknown) =>
      page.evaluate(
        (document) =>
          new Promise<void>((resolve, reject) => {
            const open = indexedDB.open('keyval-store');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const transaction = open.result.transaction('keyval', 'readwrite');
              transaction.objectStore('keyval').put(document, 'whittle:autosave');
              transaction.oncomplete = () => resolve();
              transaction.onerror = () => reject(transaction.error);
            };
          }),
        value,
      );
    // Written from a page of the same origin that is not the studio, so no autosave writes over it.
    // Leaving the studio aborts what it was still loading, and a bare SVG page asks for favicon.ico.
    studio.allowProblems(/net::ERR_ABORTED|favicon\.ico/);
    await page.goto(`${studio.url}favicon.svg`);
    await store({
      type: 'whittle-autosave',
      version: 1,
      savedAt: 'yesterday',
      pipeline: { type: 'whittle-pipeline', version: 1, nodes: [{ id: 'model', type: 'model' }, { id: 'q', type: 'quantize', params: { bits: 5 } }], edges: [{ source: 'model', target: 'q' }] },
      model: { kind: 'sample', id: 'mnist-cnn' },
      run: { status: 'done', results: 'not results' },
    });
    await page.goto(studio.url);
    await studio.waitForModel('mnist-cnn.onnx');
    const notes = (await (await page.waitForSelector('[data-testid="autosave-notes"]')).textContent()) ?? '';
    expect(notes).toContain("The autosaved pipeline could not be restored (node 'q': bits must be one of 2, 3, 4, 8, 16; got 5)");
    expect(notes).toContain('The results of the last run could not be shown again');
    expect(await page.$('[data-testid="results-panel"]')).toBeNull();
    await studio.screenshot('autosave-4-damaged-data-noted');

    await page.goto(`${studio.url}favicon.svg`);
    await store({ type: 'whittle-autosave', version: 99, pipeline: 'from the future' });
    await page.goto(studio.url);
    await studio.waitForModel('fashion-cnn.onnx');
    expect(await page.textContent('[data-testid="autosave-notes"]')).toContain('from another version of Whittle (autosave version 99; this one reads 1)');
  });
});
