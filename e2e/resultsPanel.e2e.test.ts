// The results panel on a real run: the test runs the Fashion MLP sample through a quantization
// sweep (bits 8, 4, 2) with the executor and the in-process services in Node — real passes, real
// ONNX Runtime evaluation on the 500-image example .npz — and streams the run's events into the
// built studio through the results store's test hook (window.__whittleResults, present because the
// page is opened with ?testHooks; see src/stores/resultsStore.ts). Then it reads the page as a
// user would: the points and their positions in the chart's SVG, a tooltip, a click that selects a
// table row, sorting by every column, and the CSV and JSON downloads. A second run evaluates on a
// quick subset of the full Fashion-MNIST test split, which the chart must say.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { paretoFrontier } from '../src/charts/paretoFrontier';
import { loadArrayFileDataset } from '../src/core/eval/datasets/arrayFile';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets';
import type { PipelineEvent, PipelineRun } from '../src/core/pipeline/executor/PipelineEvent';
import { createInProcessServices, type InProcessData } from '../src/core/pipeline/executor/inProcessServices';
import { runPipeline } from '../src/core/pipeline/executor/runPipeline';
import { pipelineOf } from '../src/core/pipeline/testPipelines';
import type { VariantMetrics, VariantResult } from '../src/core/results/resultsContract';
import { RESULTS_COLUMNS, resultsRows, resultsToCsv, resultsToJson, sortResultsRows } from '../src/core/results/resultsTable';
import { formatMetric } from '../src/results/formatMetric';
import { useStudioSession } from './support/lifecycle';
import { quoteAttribute } from './support/panel';

const SAMPLES = new URL('../public/samples/', import.meta.url);
const MODEL = new Uint8Array(readFileSync(new URL('fashion-mlp.onnx', SAMPLES)));
const NPZ = 'fashion-mnist-test-500.npz';
const SWEEP = pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4, 2] } }]);
const IDS = ['model', 'q[bits=8]', 'q[bits=4]', 'q[bits=2]'];

interface RecordedRun {
  events: PipelineEvent[];
  run: PipelineRun;
}

async function recordRun(data: InProcessData, quick: boolean): Promise<RecordedRun> {
  const services = await createInProcessServices({ data, evaluation: { quick, latencyRuns: 3 }, modelFileName: 'fashion-mlp.onnx' });
  const events: PipelineEvent[] = [];
  const run = await runPipeline(SWEEP, { services, model: MODEL, onEvent: (event) => events.push(event) });
  return { events, run };
}

interface PointView {
  id: string;
  cx: number;
  cy: number;
  baseline: boolean;
  frontier: boolean;
  selected: boolean;
  type: string;
}

async function readPoints(page: Page): Promise<PointView[]> {
  return page.$$eval('[data-testid="pareto-point"]', (points) =>
    points.map((point) => {
      const data = (point as SVGGElement).dataset;
      return { id: data.variantId!, cx: Number(data.cx), cy: Number(data.cy), baseline: data.baseline === 'true', frontier: data.frontier === 'true', selected: data.selected === 'true', type: data.blockType! };
    }),
  );
}

async function readRowIds(page: Page): Promise<{ id: string; selected: boolean }[]> {
  return page.$$eval('[data-testid="results-row"]', (rows) => rows.map((row) => ({ id: row.getAttribute('data-variant-id')!, selected: row.getAttribute('aria-selected') === 'true' })));
}

async function feed(page: Page, events: readonly PipelineEvent[]): Promise<void> {
  await page.evaluate((batch) => {
    const hook = window.__whittleResults;
    if (!hook) throw new Error('window.__whittleResults is missing: the page was not opened with ?testHooks');
    for (const event of batch) hook.applyEvent(event);
  }, events as PipelineEvent[]);
  // Two frames: React commits, recharts measures and draws; the chart draws its points from a
  // deferred copy of the results, so it may need a moment more.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForFunction(() => document.querySelector('[data-testid="pareto-chart"]')?.getAttribute('data-pending') !== 'true', undefined, { timeout: 30_000 });
}

/**
 * Screen positions must follow the data: x linear in log(value), y linear in the value, and the
 * larger value further right / higher up. Checked against the line through the two extreme points.
 */
function expectPlacedBy(points: PointView[], metrics: Map<string, VariantMetrics>, xKey: keyof VariantMetrics, yKey: keyof VariantMetrics): void {
  const x = (p: PointView) => Math.log(metrics.get(p.id)![xKey] as number);
  const y = (p: PointView) => metrics.get(p.id)![yKey] as number;
  const byX = [...points].sort((a, b) => x(a) - x(b));
  const byY = [...points].sort((a, b) => y(a) - y(b));
  const xScale = (byX.at(-1)!.cx - byX[0]!.cx) / (x(byX.at(-1)!) - x(byX[0]!));
  const yScale = (byY.at(-1)!.cy - byY[0]!.cy) / (y(byY.at(-1)!) - y(byY[0]!));
  expect(xScale).toBeGreaterThan(0);
  // SVG y grows downwards: better quality is higher up.
  expect(yScale).toBeLessThan(0);
  for (const point of points) {
    expect(Math.abs(byX[0]!.cx + xScale * (x(point) - x(byX[0]!)) - point.cx), `x of ${point.id}`).toBeLessThan(1);
    expect(Math.abs(byY[0]!.cy + yScale * (y(point) - y(byY[0]!)) - point.cy), `y of ${point.id}`).toBeLessThan(1);
  }
}

describe('the results panel, fed a real run', () => {
  const session = useStudioSession({ search: '?testHooks' });
  let sweep: RecordedRun;
  let variants: VariantResult[];
  let metrics: Map<string, VariantMetrics>;

  beforeAll(async () => {
    const dataset = loadArrayFileDataset(new Uint8Array(readFileSync(new URL(NPZ, SAMPLES))), { fileName: NPZ, layout: 'nchw' });
    sweep = await recordRun({ dataset, key: 'npz-500' }, false);
    expect(sweep.run.variants.map((outcome) => [outcome.variant.id, outcome.status])).toEqual(IDS.map((id) => [id, 'done']));
    variants = sweep.run.results!.variants;
    metrics = new Map(variants.map((variant) => [variant.id, variant.metrics]));
  });

  it('stays hidden until a run starts, then shows points as variants finish', async () => {
    const { studio } = session;
    const { page } = studio;
    expect(await page.$('[data-testid="results-panel"]')).toBeNull();
    // The layout the other tests rely on is still there.
    expect(await page.isVisible('[data-testid="summary-panel"]')).toBe(true);

    // Up to the second finished variant: the model and one more point, the run still going.
    const doneAt = sweep.events.flatMap((event, index) => (event.type === 'variant' && event.status === 'done' ? [index] : []));
    expect(doneAt).toHaveLength(4);
    await feed(page, sweep.events.slice(0, doneAt[1]! + 1));
    expect(await page.getAttribute('[data-testid="results-panel"]', 'data-run-status')).toBe('running');
    const early = await readPoints(page);
    expect(early.map((p) => p.id).sort()).toEqual(sweep.events.slice(0, doneAt[1]! + 1).flatMap((e) => (e.type === 'variant' && e.status === 'done' ? [e.variantId] : [])).sort());
    expect(await page.textContent('[data-testid="results-status"]')).toContain('2 of 4 variants done');
    await studio.screenshot('results-running');

    await feed(page, sweep.events.slice(doneAt[1]! + 1));
    expect(await page.getAttribute('[data-testid="results-panel"]', 'data-run-status')).toBe('done');
    expect(await page.textContent('[data-testid="results-status"]')).toContain('Done · 4 of 4 variants');
    expect(await page.isVisible('[data-testid="summary-panel"]')).toBe(true);
    // The workspace stays usable above the docked panel: the pipeline canvas (the default centre view).
    expect(await page.isVisible('[data-testid="pipeline-canvas"]')).toBe(true);
    await studio.screenshot('results-done');
  });

  it('draws the baseline, one point per variant where its size and accuracy put it, and the frontier', async () => {
    const { page } = session.studio;
    const points = await readPoints(page);
    expect(points.map((p) => p.id).sort()).toEqual([...IDS].sort());
    expect(points.filter((p) => p.baseline).map((p) => p.id)).toEqual(['model']);
    expect(points.find((p) => p.id === 'model')!.type).toBe('model');
    expect(points.filter((p) => !p.baseline).every((p) => p.type === 'quantize')).toBe(true);
    expectPlacedBy(points, metrics, 'sizeBytes', 'accuracy');

    const expectedFrontier = paretoFrontier(variants.map((v) => ({ x: v.metrics.sizeBytes, y: v.metrics.accuracy! }))).map((index) => variants[index]!.id);
    expect(points.filter((p) => p.frontier).map((p) => p.id).sort()).toEqual([...expectedFrontier].sort());
    expect(await page.$$('[data-testid="pareto-chart"] .pareto-frontier path')).toHaveLength(expectedFrontier.length > 1 ? 1 : 0);
    const legend = await page.$$eval('[data-testid="pareto-legend"] li', (items) => items.map((item) => (item.textContent ?? '').trim()));
    expect(legend).toEqual(['Model (baseline)', 'Quantize', ...(expectedFrontier.length > 1 ? ['Pareto frontier'] : [])]);
    expect(await page.textContent('[data-testid="pareto-data"]')).toContain('all 500 test images');
    expect(await page.$('[data-testid="quick-subset-note"]')).toBeNull();
  });

  it("shows a variant's path and metrics in its tooltip", async () => {
    const { studio } = session;
    const id = 'q[bits=4]';
    await studio.page.hover(`[data-testid="pareto-point"][data-variant-id=${quoteAttribute(id)}]`);
    const tooltip = `[data-testid="pareto-tooltip"][data-variant-id=${quoteAttribute(id)}]`;
    await studio.page.waitForSelector(tooltip, { timeout: 10_000 });
    const text = (await studio.page.textContent(tooltip))!;
    const m = metrics.get(id)!;
    expect(text).toContain(id);
    expect(text).toContain('Quantize');
    expect(await studio.page.textContent(`${tooltip} [data-testid="pareto-tooltip-path"]`)).toBe('model → q · bits=4');
    for (const name of ['sizeBytes', 'gzipBytes', 'params', 'nonzeroParams', 'accuracy', 'agreement', 'sqnrDb', 'latencyMs'] as const) {
      expect(await studio.page.textContent(`${tooltip} [data-metric="${name}"] dd`), name).toContain(formatMetric(name, m[name]));
    }
    const accuracyDrop = 100 * (m.accuracy! - metrics.get('model')!.accuracy!);
    expect(text).toContain(`${accuracyDrop >= 0 ? '+' : '−'}${Math.abs(accuracyDrop).toFixed(2)} pt`);
    await studio.screenshot('results-tooltip');
  });

  it('selects the table row of a clicked point, and the point of a clicked row', async () => {
    const { studio } = session;
    const { page } = studio;
    await page.click(`[data-testid="pareto-point"][data-variant-id=${quoteAttribute('q[bits=2]')}]`);
    expect((await readRowIds(page)).filter((row) => row.selected).map((row) => row.id)).toEqual(['q[bits=2]']);
    expect((await readPoints(page)).filter((p) => p.selected).map((p) => p.id)).toEqual(['q[bits=2]']);
    await page.mouse.move(5, 5);
    await studio.screenshot('results-point-selected');

    // On the variant cell, as a user would: the row is wider than the panel, and clicking its middle
    // would make the browser scroll the table sideways first.
    await page.click(`[data-testid="results-row"][data-variant-id=${quoteAttribute('q[bits=8]')}] td[data-column="id"]`);
    expect((await readPoints(page)).filter((p) => p.selected).map((p) => p.id)).toEqual(['q[bits=8]']);
    expect((await readRowIds(page)).filter((row) => row.selected).map((row) => row.id)).toEqual(['q[bits=8]']);
  });

  it('sorts by every column, both ways', async () => {
    const { studio } = session;
    const rows = resultsRows(sweep.run.results!);
    for (const column of RESULTS_COLUMNS) {
      await studio.page.click(`[data-testid="results-table"] button[data-sort="${column}"]`);
      expect((await readRowIds(studio.page)).map((row) => row.id), `${column} ascending`).toEqual(sortResultsRows(rows, column, 'ascending').map((row) => row.id));
      await studio.page.click(`[data-testid="results-table"] button[data-sort="${column}"]`);
      expect((await readRowIds(studio.page)).map((row) => row.id), `${column} descending`).toEqual(sortResultsRows(rows, column, 'descending').map((row) => row.id));
      expect(await studio.page.getAttribute(`[data-testid="results-table"] th:has(button[data-sort="${column}"])`, 'aria-sort')).toBe('descending');
    }
    await studio.page.click('[data-testid="results-table"] button[data-sort="accuracy"]');
    await studio.screenshot('results-sorted-by-accuracy');
  });

  it('downloads CSV and JSON holding every variant, exactly as the core writes them', async () => {
    const { page } = session.studio;
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
    expect(csv.suggestedFilename()).toBe('whittle-results.csv');
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText).toBe(resultsToCsv(sweep.run.results!));
    const lines = csvText.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + IDS.length);
    for (const id of IDS) expect(lines.filter((line) => line.startsWith(`${id},`) || line.startsWith(`"${id}",`))).toHaveLength(1);

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-json"]')]);
    expect(json.suggestedFilename()).toBe('whittle-results.json');
    const jsonText = readFileSync((await json.path())!, 'utf8');
    expect(jsonText).toBe(resultsToJson(sweep.run.results!));
    expect(JSON.parse(jsonText).variants.map((v: VariantResult) => v.id)).toEqual(IDS);
  });

  it('switches the axes to gzip bytes and SQNR: the model leaves the chart, its crosshair stays', async () => {
    const { studio } = session;
    const { page } = studio;
    await page.click('[data-testid="pareto-x-toggle"] button[data-axis="gzipBytes"]');
    await page.click('[data-testid="pareto-y-toggle"] button[data-axis="sqnrDb"]');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const points = await readPoints(page);
    expect(points.map((p) => p.id).sort()).toEqual(IDS.filter((id) => id !== 'model').sort());
    expectPlacedBy(points, metrics, 'gzipBytes', 'sqnrDb');
    expect(await page.$$('[data-testid="pareto-chart"] .pareto-baseline-line')).toHaveLength(1);
    await page.mouse.move(5, 5);
    await studio.screenshot('results-gzip-sqnr');

    await page.click('[data-testid="pareto-x-toggle"] button[data-axis="nonzeroParams"]');
    await page.click('[data-testid="pareto-y-toggle"] button[data-axis="agreement"]');
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // Low-bit quantization rounds small weights to zero, so the nonzero counts tell the variants apart.
    const byParameters = await readPoints(page);
    expect(byParameters).toHaveLength(4);
    expect(new Set(variants.map((v) => v.metrics.nonzeroParams)).size).toBeGreaterThan(1);
    expectPlacedBy(byParameters, metrics, 'nonzeroParams', 'agreement');
    await page.mouse.move(5, 5);
    await studio.screenshot('results-parameters-agreement');
    await page.click('[data-testid="pareto-x-toggle"] button[data-axis="sizeBytes"]');
    await page.click('[data-testid="pareto-y-toggle"] button[data-axis="accuracy"]');
  });

  it('says so on the chart when the evaluation ran on the quick subset', async () => {
    const { studio } = session;
    const dataset = await loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['test'] });
    expect(dataset.test.shape[0]).toBeGreaterThan(1000);
    const quick = await recordRun({ dataset, key: 'sample:fashion-mnist' }, true);
    await feed(studio.page, quick.events);
    expect(await studio.page.getAttribute('[data-testid="results-panel"]', 'data-run-id')).toBe('2');
    expect(await studio.page.isVisible('[data-testid="quick-subset-note"]')).toBe(true);
    expect(await studio.page.textContent('[data-testid="pareto-data"]')).toContain('quick: 1,000 of');
    const points = await readPoints(studio.page);
    expect(points).toHaveLength(4);
    // The selection (q[bits=8]) is planned again, so it stays.
    expect(points.filter((p) => p.selected).map((p) => p.id)).toEqual(['q[bits=8]']);
    await studio.page.mouse.move(5, 5);
    await studio.screenshot('results-quick-subset');
  });
});
