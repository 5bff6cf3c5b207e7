// The per-layer sensitivity chart on a real run: the test runs a sensitivity block (each layer of
// the Fashion MLP quantized alone to 4 bits) with the executor and the in-process services in Node
// — real passes, real ONNX Runtime evaluation on the 500-image example .npz — and streams the run's
// events into the built studio through the results store's test hook (window.__whittleResults,
// present because the page is opened with ?testHooks). Then it reads the bar chart as drawn: one
// bar per Gemm layer, each bar's height in proportion to the layer's measured drop, the "by drop"
// order, and a tooltip with the layer's figures.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SensitivityAnalysis } from '../src/core/analysis/BlockAnalysis';
import { loadArrayFileDataset } from '../src/core/eval/datasets/arrayFile';
import type { PipelineEvent } from '../src/core/pipeline/executor/PipelineEvent';
import { createInProcessServices } from '../src/core/pipeline/executor/inProcessServices';
import { runPipeline } from '../src/core/pipeline/executor/runPipeline';
import { pipelineOf } from '../src/core/pipeline/testPipelines';
import { formatMetric } from '../src/results/formatMetric';
import { useStudioSession } from './support/lifecycle';
import { quoteAttribute } from './support/panel';

const SAMPLES = new URL('../public/samples/', import.meta.url);
const MODEL = new Uint8Array(readFileSync(new URL('fashion-mlp.onnx', SAMPLES)));
const NPZ = 'fashion-mnist-test-500.npz';
const PIPELINE = pipelineOf([{ id: 's', type: 'sensitivity', params: { mode: 'quantize', bits: 4 } }]);

interface BarView {
  layer: string;
  drop: number;
  /** Signed: a gain's bar hangs below zero. */
  height: number;
  /** The rect as drawn. */
  x: number;
  drawnHeight: number;
}

async function readBars(page: Page): Promise<BarView[]> {
  return page.$$eval('[data-testid="sensitivity-bar"]', (bars) =>
    bars.map((bar) => {
      const rect = bar as SVGRectElement;
      return { layer: rect.dataset.layer!, drop: Number(rect.dataset.drop), height: Number(rect.dataset.height), x: Number(rect.getAttribute('x')), drawnHeight: Number(rect.getAttribute('height')) };
    }),
  );
}

async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

describe('the sensitivity chart, fed a real run', () => {
  const session = useStudioSession({ search: '?testHooks' });
  let events: PipelineEvent[];
  let variantId: string;
  let analysis: SensitivityAnalysis;

  beforeAll(async () => {
    const dataset = loadArrayFileDataset(new Uint8Array(readFileSync(new URL(NPZ, SAMPLES))), { fileName: NPZ, layout: 'nchw' });
    const services = await createInProcessServices({ data: { dataset, key: 'npz-500' }, evaluation: { quick: false, latencyRuns: 3 }, modelFileName: 'fashion-mlp.onnx' });
    events = [];
    const run = await runPipeline(PIPELINE, { services, model: MODEL, onEvent: (event) => events.push(event) });
    expect(run.status).toBe('done');
    const found = events.flatMap((event) => (event.type === 'analysis' && event.analysis.kind === 'sensitivity' ? [event] : []));
    expect(found).toHaveLength(1);
    variantId = found[0]!.variantId;
    analysis = found[0]!.analysis as SensitivityAnalysis;
  });

  it('draws one bar per layer, in graph order, each as tall as its drop', async () => {
    const { studio } = session;
    const { page } = studio;
    expect(analysis.layers.map((row) => row.opType)).toEqual(['Gemm', 'Gemm', 'Gemm']);
    expect(analysis.layers.every((row) => row.drop !== null)).toBe(true);

    await page.evaluate((batch) => {
      const hook = window.__whittleResults;
      if (!hook) throw new Error('window.__whittleResults is missing: the page was not opened with ?testHooks');
      for (const event of batch) hook.applyEvent(event);
    }, events);
    await nextFrames(page);
    await page.waitForSelector('[data-testid="sensitivity-bar"]', { timeout: 10_000 });
    expect(await page.getAttribute('[data-testid="sensitivity-chart"]', 'data-variant-id')).toBe(variantId);

    const bars = await readBars(page);
    expect(bars.map((bar) => bar.layer)).toEqual(analysis.layers.map((row) => row.layer));
    expect(bars.map((bar) => bar.drop)).toEqual(analysis.layers.map((row) => row.drop));
    // Left to right in graph order.
    expect(bars.map((bar) => bar.x)).toEqual([...bars.map((bar) => bar.x)].sort((a, b) => a - b));
    // Heights follow the drops: the same order, and one scale (pixels per point) for every bar.
    for (const a of bars) {
      expect(a.drawnHeight).toBeCloseTo(Math.abs(a.height), 6);
      for (const b of bars) if (a.drop > b.drop) expect(a.height, `${a.layer} above ${b.layer}`).toBeGreaterThan(b.height);
    }
    const scaled = bars.filter((bar) => Math.abs(bar.drop) > 0.1);
    expect(scaled.length).toBeGreaterThan(0);
    for (const bar of scaled) expect(Math.abs(bar.height / bar.drop - scaled[0]!.height / scaled[0]!.drop)).toBeLessThan(1.5);

    const caption = (await page.textContent('[data-testid="sensitivity-caption"]'))!;
    expect(caption).toContain('quantized alone at 4 bits');
    expect(caption).toContain(formatMetric('accuracy', analysis.input.accuracy));
    expect(await page.$$eval('[data-testid="sensitivity-legend"] li', (items) => items.map((item) => item.textContent))).toEqual(['Gemm']);
    await page.mouse.move(5, 5);
    await studio.screenshot('sensitivity-graph-order');
  });

  it('sorts the bars by drop, and shows a layer’s figures in its tooltip', async () => {
    const { studio } = session;
    const { page } = studio;
    await page.click('[data-testid="sensitivity-order-toggle"] button[data-axis="drop"]');
    await page.click('[data-testid="sensitivity-colour-toggle"] button[data-axis="magnitude"]');
    await nextFrames(page);
    const bars = (await readBars(page)).sort((a, b) => a.x - b.x);
    const expected = analysis.layers.map((row, index) => ({ layer: row.layer, drop: row.drop!, index })).sort((a, b) => b.drop - a.drop || a.index - b.index);
    expect(bars.map((bar) => bar.layer)).toEqual(expected.map((row) => row.layer));
    for (let i = 1; i < bars.length; i++) expect(bars[i]!.height).toBeLessThanOrEqual(bars[i - 1]!.height);

    const row = expected[0]!;
    await page.hover(`[data-testid="sensitivity-bar"][data-layer=${quoteAttribute(row.layer)}]`);
    const tooltip = `[data-testid="sensitivity-tooltip"][data-layer=${quoteAttribute(row.layer)}]`;
    await page.waitForSelector(tooltip, { timeout: 10_000 });
    const full = analysis.layers[row.index]!;
    const field = async (name: string) => page.textContent(`${tooltip} [data-field="${name}"] dd`);
    expect(await field('opType')).toBe('Gemm');
    expect(await field('params')).toBe(formatMetric('params', full.params));
    expect(await field('accuracy')).toBe(formatMetric('accuracy', full.accuracy));
    expect(await field('agreement')).toBe(formatMetric('agreement', full.agreement));
    expect(await field('sqnrDb')).toBe(formatMetric('sqnrDb', full.sqnrDb));
    expect(await field('drop')).toBe(`${full.drop! < 0 ? '−' : ''}${Math.abs(full.drop!).toFixed(2)} pt`);
    await studio.screenshot('sensitivity-by-drop-tooltip');
  });
});
