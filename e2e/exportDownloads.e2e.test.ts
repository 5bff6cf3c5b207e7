// Evidence 4 of issue 6, and the rest of Export. The studio runs a pipeline (Fashion MLP, 4-bit
// weight quantization, the whole Fashion-MNIST test split); then, through the header's Export menu:
// - a variant's .onnx downloads, and onnxruntime-node (native, not the browser's runtime) runs it
//   on the same 10,000 test images with the accuracy the studio's table shows;
// - the report downloads as a .zip: report.md with a row per variant (its figures as the table
//   shows them), pareto.svg drawn from the results (a point per variant, the baseline diamond, the
//   frontier, log-scale size ticks), results.json that is the results contract and equals the
//   table, and the pipeline file;
// - "Copy CLI command" gives a `npx whittle run` line that, run in Node next to the file Save
//   downloads, writes the same variants with the same sizes and accuracies.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { whittleInProcess } from '../cli/testing/whittleInProcess';
import { restorePipeline } from '../src/core/pipeline/restorePipeline';
import { validateResults } from '../src/core/results/resultsContract';
import { bundledTestSet } from '../src/core/testing/bundledSamples';
import { nativeAccuracy } from '../src/core/testing/nativeAccuracy';
import { useStudioSession } from './support/lifecycle';

const RUN_WAIT_MS = 300_000;
const PIPELINE = {
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-mlp' },
  dataset: { sample: 'fashion-mnist' },
  nodes: [
    { id: 'model', type: 'model' },
    { id: 'q', type: 'quantize', params: { bits: 4 } },
  ],
  edges: [{ source: 'model', target: 'q' }],
};
const IDS = ['model', 'q'];

interface Row {
  id: string;
  status: string;
  metrics: Record<string, string>;
  text: Record<string, string>;
}

async function readRows(page: Page): Promise<Row[]> {
  return page.$$eval('[data-testid="results-row"]', (rows) =>
    rows.map((row) => ({
      id: (row as HTMLElement).dataset.variantId ?? '',
      status: (row as HTMLElement).dataset.status ?? '',
      metrics: Object.fromEntries([...row.querySelectorAll<HTMLElement>('td[data-value]')].map((cell) => [cell.dataset.column ?? '', cell.dataset.value ?? ''])),
      text: Object.fromEntries([...row.querySelectorAll<HTMLElement>('td[data-value]')].map((cell) => [cell.dataset.column ?? '', (cell.textContent ?? '').trim()])),
    })),
  );
}

async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), bytes: await readFile((await file.path())!) };
}

async function openExportMenu(page: Page): Promise<void> {
  if (!(await page.$('[data-testid="export-menu"]'))) await page.click('[data-testid="export-button"]');
  await page.waitForSelector('[data-testid="export-menu"]');
}

describe('export', () => {
  const session = useStudioSession();
  let folder = '';
  let rows: Row[] = [];
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("downloads a variant's .onnx that ONNX Runtime (Node) runs with the accuracy the studio shows", async () => {
    const { studio } = session;
    const { page } = studio;
    await studio.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(studio.url).origin });
    folder = await mkdtemp(join(tmpdir(), 'whittle-export-'));
    await studio.dropFiles([{ name: 'fashion-mlp.whittle.json', bytes: new TextEncoder().encode(JSON.stringify(PIPELINE)) }]);
    await studio.waitForModel('fashion-mlp.onnx');
    await studio.waitForRuntime();
    await page.click('[data-testid="run-button"]');
    const deadline = Date.now() + RUN_WAIT_MS;
    while (!IDS.every((id) => rows.some((row) => row.id === id && row.status === 'done'))) {
      if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify(rows)}`);
      await page.waitForTimeout(250);
      rows = await readRows(page);
    }
    await page.waitForSelector('[data-testid="results-panel"][data-run-status="done"]');

    await openExportMenu(page);
    await studio.screenshot('export-1-menu');
    const model = await download(page, () => page.click('[data-testid="export-variant"][data-variant-id="q"]'));
    expect(model.name).toBe('q.onnx');
    const shown = rows.find((row) => row.id === 'q')!;
    expect(model.bytes.length).toBe(Number(shown.metrics.sizeBytes));
    const testSet = await bundledTestSet('fashion-mnist');
    expect(testSet.y.length).toBe(10_000);
    const accuracy = await nativeAccuracy(new Uint8Array(model.bytes), testSet);
    console.log(`q (4 bits): studio ${shown.metrics.accuracy}, onnxruntime-node ${accuracy}`);
    // The same 10,000 images, the same weights: at most a tie broken differently between runtimes.
    expect(Math.abs(accuracy - Number(shown.metrics.accuracy))).toBeLessThanOrEqual(0.0002);
    expect(await page.textContent('[data-testid="export-outcome"]')).toContain('Downloading q.onnx');
  });

  it('downloads the report: Markdown with the table, the chart as SVG, results.json and the pipeline', async () => {
    const { studio } = session;
    const { page } = studio;
    await openExportMenu(page);
    const report = await download(page, () => page.click('[data-testid="export-report"]'));
    expect(report.name).toBe('whittle-report-fashion-mlp.zip');
    const files = unzipSync(new Uint8Array(report.bytes));
    expect(Object.keys(files).sort()).toEqual(['fashion-mlp.whittle.json', 'pareto.svg', 'report.md', 'results.json']);

    const results = validateResults(JSON.parse(strFromU8(files['results.json']!)));
    if (!results.ok) throw new Error(results.errors.join('; '));
    expect(results.results.variants.map((variant) => variant.id)).toEqual(IDS);
    for (const variant of results.results.variants) {
      const row = rows.find((candidate) => candidate.id === variant.id)!;
      expect(String(variant.metrics.accuracy)).toBe(row.metrics.accuracy);
      expect(String(variant.metrics.sizeBytes)).toBe(row.metrics.sizeBytes);
    }

    const markdown = strFromU8(files['report.md']!);
    expect(markdown).toContain('# Whittle report');
    expect(markdown).toContain('![Accuracy against file size: the Pareto chart of this run](pareto.svg)');
    for (const row of rows) {
      const line = markdown.split('\n').find((candidate) => candidate.startsWith(`| ${row.id} |`));
      expect(line, row.id).toBeDefined();
      expect(line).toContain(`| ${row.text.accuracy} |`);
      expect(line).toContain(`| ${row.text.sizeBytes} |`);
    }
    expect(markdown).toContain('npx whittle run fashion-mlp.whittle.json --out whittle-out/fashion-mlp');

    const svg = strFromU8(files['pareto.svg']!);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const id of IDS) expect(svg).toContain(`data-variant-id="${id.replace(/"/g, '&quot;')}"`);
    expect(svg).toContain('class="point baseline" data-variant-id="model"');
    expect(svg).toContain('class="frontier"');
    expect(svg).toContain('File size (log scale)');
    expect(svg.match(/class="x-tick"/g)!.length).toBeGreaterThanOrEqual(2);
    await writeFile(join(folder, 'pareto.svg'), files['pareto.svg']!);
    // Shown in Chromium to be looked at: the file as a browser renders it.
    await page.goto(`data:image/svg+xml;base64,${Buffer.from(files['pareto.svg']!).toString('base64')}`);
    await studio.screenshot('export-2-report-chart-svg');
    await page.goBack();
    await studio.waitForModel('fashion-mlp.onnx');

    const pipeline = restorePipeline(strFromU8(files['fashion-mlp.whittle.json']!));
    expect(pipeline.ok).toBe(true);
  });

  it('copies a CLI command that runs the saved pipeline to the same results', async () => {
    const { studio } = session;
    const { page } = studio;
    await openExportMenu(page);
    await page.click('[data-testid="export-cli"]');
    await page.waitForSelector('[data-testid="export-outcome"]');
    const command = await page.evaluate(() => navigator.clipboard.readText());
    expect(command).toBe('npx whittle run fashion-mlp.whittle.json --out whittle-out/fashion-mlp');
    await page.keyboard.press('Escape');
    const saved = await download(page, () => page.click('[data-testid="save-button"]'));
    expect(saved.name).toBe('fashion-mlp.whittle.json');
    await writeFile(join(folder, saved.name), saved.bytes);

    // `npx whittle …` as a shell would split it, run from the folder the file was saved in.
    const [npx, whittle, ...args] = command.split(' ');
    expect([npx, whittle]).toEqual(['npx', 'whittle']);
    const inFolder = args.map((arg, index) => (index === 1 || args[index - 1] === '--out' ? join(folder, arg) : arg));
    const ran = await whittleInProcess(...inFolder);
    expect(ran.code, ran.stderr).toBe(0);
    const written = validateResults(JSON.parse(await readFile(join(folder, 'whittle-out/fashion-mlp/results.json'), 'utf8')));
    if (!written.ok) throw new Error(written.errors.join('; '));
    expect(written.results.variants.map((variant) => variant.id)).toEqual(IDS);
    for (const variant of written.results.variants) {
      const row = rows.find((candidate) => candidate.id === variant.id)!;
      expect(variant.metrics.sizeBytes, variant.id).toBe(Number(row.metrics.sizeBytes));
      expect(Math.abs(variant.metrics.accuracy! - Number(row.metrics.accuracy)), variant.id).toBeLessThanOrEqual(0.0002);
    }
  });
});
