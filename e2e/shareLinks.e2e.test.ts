// Evidence 3 of issue 6: a shared link opens the same pipeline elsewhere and gives the same numbers.
// The studio opens, a pipeline file is dropped on the window (Fashion MLP: prune 50 %, then a
// quantize sweep of bits 8 and 4) and run on the quick subset of the Fashion-MNIST test split (the
// same fixed 1,000 images in both browsers, "Quick" ticked in each); Share copies the
// link, which the test reads from the clipboard. A fresh browser (a new profile: no autosave, no
// cache) opens that link: the same pipeline is there (what its Save downloads restores to the same
// document), the studio offers to run it without running it, and the run gives the same metrics,
// variant for variant.
// A link for a user's own model carries only its name and SHA-256: the studio asks for that file
// by name, refuses a different file naming both hashes, and opens the right one.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/core/pipeline/canonicalJson';
import { restorePipeline } from '../src/core/pipeline/restorePipeline';
import type { PipelineSpec } from '../src/core/pipeline/pipelineSpec';
import { encodeShareHash, sharedDocument } from '../src/core/share/shareLink';
import { launchStudio, WAIT_MS, type Studio } from './support/studio';

const RUN_WAIT_MS = 300_000;
const PIPELINE = {
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-mlp' },
  dataset: { sample: 'fashion-mnist' },
  nodes: [
    { id: 'model', type: 'model' },
    { id: 'p', type: 'prune', params: { sparsity: 0.5 } },
    { id: 'q', type: 'quantize', params: { bits: [8, 4] } },
  ],
  edges: [
    { source: 'model', target: 'p' },
    { source: 'p', target: 'q' },
  ],
};
const IDS = ['model', 'p', 'q[bits=8]', 'q[bits=4]'];

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
      metrics: Object.fromEntries(
        [...row.querySelectorAll<HTMLElement>('td[data-value]')].map((cell) => [cell.dataset.column ?? '', cell.dataset.value ?? '']),
      ),
    })),
  );
}

async function waitForRows(page: Page, what: string, done: (rows: Row[]) => boolean): Promise<Row[]> {
  const deadline = Date.now() + RUN_WAIT_MS;
  let rows: Row[] = [];
  while (Date.now() < deadline) {
    rows = await readRows(page);
    if (done(rows)) return rows;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify(rows)}`);
}

const allDone = (rows: Row[]) => IDS.every((id) => rows.some((row) => row.id === id && row.status === 'done'));

/** What Save downloads, parsed. */
async function savedPipeline(studio: Studio): Promise<unknown> {
  const [download] = await Promise.all([studio.page.waitForEvent('download'), studio.page.click('[data-testid="save-button"]')]);
  return JSON.parse(await readFile((await download.path())!, 'utf8'));
}

/** Latency is a timing, not a result: every other metric must match. */
const comparable = (rows: Row[]) => rows.map((row) => ({ id: row.id, ...Object.fromEntries(Object.entries(row.metrics).filter(([name]) => name !== 'latencyMs')) }));

describe('share links', () => {
  const opened: Studio[] = [];
  afterAll(async () => {
    for (const studio of opened) await studio.close();
  });

  it('open the same pipeline in a fresh browser, offer to run it, and give the same numbers', async () => {
    const first = await launchStudio();
    opened.push(first);
    const origin = new URL(first.url).origin;
    await first.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
    await first.waitForModel('fashion-cnn.onnx');
    await first.dropFiles([{ name: 'mlp-prune-quantize.whittle.json', bytes: new TextEncoder().encode(JSON.stringify(PIPELINE)) }]);
    await first.waitForModel('fashion-mlp.onnx');
    await first.waitForRuntime();
    await first.page.check('[data-testid="quick-toggle"]');
    await first.page.click('[data-testid="run-button"]');
    const firstRows = await waitForRows(first.page, 'the first run to finish', allDone);
    await first.screenshot('share-links-1-first-run');

    await first.page.click('[data-testid="share-button"]');
    await first.page.waitForSelector('[data-testid="share-message"]');
    const message = (await first.page.textContent('[data-testid="share-message"] strong')) ?? '';
    const copied = await first.page.evaluate(() => navigator.clipboard.readText());
    const shown = await first.page.inputValue('[data-testid="share-link"]');
    expect(copied).toBe(shown);
    expect(copied.startsWith(`${origin}/#p=v1.`)).toBe(true);
    expect(message).toBe(`Link copied (${copied.length.toLocaleString('en-US')} characters)`);
    console.log(`share link: ${copied.length} characters (hash ${new URL(copied).hash.length})`);
    await first.screenshot('share-links-2-link-copied');
    const firstPipeline = await savedPipeline(first);
    first.assertNoUnexpectedProblems();
    await first.close();
    opened.pop();

    // A fresh profile: nothing autosaved, nothing cached — only the link.
    const second = await launchStudio({ search: new URL(copied).hash });
    opened.push(second);
    await second.waitForModel('fashion-mlp.onnx');
    await second.page.waitForSelector('[data-testid="run-offer"]');
    // The hash is cleared once handled, so a reload would not apply the link over later edits.
    expect(await second.page.evaluate(() => window.location.hash)).toBe('');
    // Offered, not run: no results until the user says so.
    expect(await second.page.$('[data-testid="results-panel"]')).toBeNull();
    await second.screenshot('share-links-3-opened-in-fresh-browser');
    const secondPipeline = await savedPipeline(second);
    const restoredFirst = restorePipeline(firstPipeline);
    const restoredSecond = restorePipeline(secondPipeline);
    if (!restoredFirst.ok || !restoredSecond.ok) throw new Error('a saved pipeline does not restore');
    expect(canonicalJson(restoredSecond.pipeline)).toBe(canonicalJson(sharedDocument(restoredFirst.pipeline)));

    await second.waitForRuntime();
    await second.page.check('[data-testid="quick-toggle"]');
    await second.page.waitForSelector('[data-testid="run-offer-run"]:not([disabled])', { timeout: WAIT_MS });
    await second.page.click('[data-testid="run-offer-run"]');
    const secondRows = await waitForRows(second.page, 'the shared run to finish', allDone);
    await second.screenshot('share-links-4-same-numbers');
    expect(secondRows.map((row) => row.id)).toEqual(firstRows.map((row) => row.id));
    expect(comparable(secondRows)).toEqual(comparable(firstRows));
    second.assertNoUnexpectedProblems();
    await second.close();
    opened.pop();
  });

  it("ask for the user's own model by name and refuse a file whose SHA-256 differs", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'whittle-share-'));
    try {
      const mine = readFileSync(new URL('../public/samples/mnist-cnn.onnx', import.meta.url));
      const other = readFileSync(new URL('../public/samples/fashion-mlp.onnx', import.meta.url));
      const sha256 = createHash('sha256').update(mine).digest('hex');
      const encoded = encodeShareHash({ ...(PIPELINE as unknown as PipelineSpec), model: { name: 'my-digits.onnx', sha256 }, dataset: undefined });
      if (!encoded.ok) throw new Error(encoded.errors.join('; '));
      const rightPath = join(folder, 'my-digits.onnx');
      const wrongPath = join(folder, 'not-my-digits.onnx');
      await writeFile(rightPath, mine);
      await writeFile(wrongPath, other);

      const studio = await launchStudio({ search: encoded.hash });
      opened.push(studio);
      const request = await studio.page.waitForSelector('[data-testid="model-file-request"]');
      expect(await request.textContent()).toContain('Choose my-digits.onnx on this machine');
      expect(await studio.page.textContent('[data-testid="model-file-choose"]')).toBe('Choose my-digits.onnx…');
      // Nothing else was opened in its place: the pipeline keeps naming the user's file.
      expect((await studio.state()).modelName).toBe('No model');

      await studio.page.setInputFiles('[data-testid="model-file-input"]', wrongPath);
      const refusal = await studio.page.waitForSelector('[data-testid="model-file-refusal"]');
      const otherHash = createHash('sha256').update(other).digest('hex');
      expect(await refusal.textContent()).toBe(
        `'not-my-digits.onnx' is not the model this pipeline was made for: its SHA-256 is ${otherHash.slice(0, 12)}…, the pipeline names ${sha256.slice(0, 12)}… ('my-digits.onnx'). Choose that exact file.`,
      );
      expect((await studio.state()).modelName).toBe('No model');
      await studio.screenshot('share-links-5-wrong-file-refused');

      await studio.page.setInputFiles('[data-testid="model-file-input"]', rightPath);
      await studio.waitForModel('my-digits.onnx');
      await studio.page.waitForSelector('[data-testid="run-offer"]');
      expect(await studio.page.$('[data-testid="model-file-request"]')).toBeNull();
      const saved = (await savedPipeline(studio)) as { model: unknown; nodes: { id: string }[] };
      expect(saved.model).toEqual({ name: 'my-digits.onnx', sha256 });
      expect(saved.nodes.map((node) => node.id)).toEqual(['model', 'p', 'q']);
      await studio.screenshot('share-links-6-own-model-opened');
      studio.assertNoUnexpectedProblems();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
