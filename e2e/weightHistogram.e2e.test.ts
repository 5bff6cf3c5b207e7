// The weight histogram in the studio, as a user reaches it: the default sample (Fashion CNN) is
// open, a pipeline file quantizing its weights to 4 bits per tensor is opened through the pipeline
// panel and run (no dataset: the variants are built in the engine worker and sized, nothing to
// evaluate, so the run is quick), the variant's row is clicked in the results table, and a layer is
// chosen in the weights panel. The variant's .onnx comes from the engine worker and both models are
// read in the weights worker. The histogram must show two distributions on shared bins: the
// original's spread over many values, the 4-bit variant's as at most 16 spikes.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStudioSession } from './support/lifecycle';
import { quoteAttribute } from './support/panel';
import { WAIT_MS } from './support/studio';

const PIPELINE_FILE = 'fashion-cnn-int4.whittle.json';
const PIPELINE = {
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-cnn' },
  nodes: [
    { id: 'model', type: 'model' },
    { id: 'q', type: 'quantize', params: { bits: 4, granularity: 'tensor' } },
  ],
  edges: [{ source: 'model', target: 'q' }],
};
// One value, no sweep: the variant is named after its node.
const VARIANT = 'q';

interface SideView {
  side: string;
  distinct: number;
  zeros: number;
  nonEmptyBins: number;
  text: string;
}

interface HistogramView {
  state: string | null;
  variantId: string | null;
  layer: string | null;
  bins: number;
  layers: string[];
  sides: SideView[];
  /** Filled step areas drawn, by class: one per distribution. */
  areas: { original: number; variant: number };
  problem: string | null;
}

async function readHistogram(page: Page): Promise<HistogramView> {
  return page.evaluate(() => {
    const panel = document.querySelector<HTMLElement>('[data-testid="layer-weights"]');
    const chart = document.querySelector<HTMLElement>('[data-testid="weight-histogram"]');
    return {
      state: panel?.dataset.state ?? null,
      variantId: panel?.dataset.variantId ?? null,
      layer: chart?.dataset.layer ?? null,
      bins: Number(chart?.dataset.bins ?? 0),
      layers: [...document.querySelectorAll<HTMLOptionElement>('[data-testid="weight-layer-select"] option')].map((option) => option.value),
      sides: [...document.querySelectorAll<HTMLElement>('[data-testid="weight-side"]')].map((side) => ({
        side: side.dataset.side!,
        distinct: Number(side.dataset.distinct),
        zeros: Number(side.dataset.zeros),
        nonEmptyBins: Number(side.dataset.nonemptyBins),
        text: (side.textContent ?? '').replace(/\s+/g, ' ').trim(),
      })),
      areas: {
        original: document.querySelectorAll('.weight-histogram-original path.recharts-area-area').length,
        variant: document.querySelectorAll('.weight-histogram-variant path.recharts-area-area').length,
      },
      problem: document.querySelector('[data-testid="layer-weights-problem"]')?.textContent ?? null,
    };
  });
}

async function waitForHistogram(page: Page, what: string, done: (view: HistogramView) => boolean): Promise<HistogramView> {
  const deadline = Date.now() + WAIT_MS;
  let last: HistogramView | null = null;
  while (Date.now() < deadline) {
    last = await readHistogram(page);
    if (done(last)) return last;
    if (last.problem) throw new Error(`the weights panel reports a problem: ${last.problem}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; the weights panel shows ${JSON.stringify(last)}`);
}

describe('the weight histogram of a quantized variant', () => {
  const session = useStudioSession();

  it('shows a layer of the 4-bit variant against the original on shared bins, as at most 16 spikes', async () => {
    const { studio, files } = session;
    const { page } = studio;
    const path = await files.write({ name: PIPELINE_FILE, bytes: new TextEncoder().encode(JSON.stringify(PIPELINE)) });
    await page.setInputFiles('input[data-testid="open-pipeline-input"]', path);
    await page.waitForFunction((name) => document.querySelector('[data-testid="pipeline-file"]')?.textContent?.includes(name) === true, PIPELINE_FILE, { timeout: WAIT_MS });
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector(`[data-testid="results-row"][data-variant-id=${quoteAttribute(VARIANT)}][data-status="done"]`, { timeout: WAIT_MS });
    expect(await page.$('[data-testid="layer-weights"]')).toBeNull();

    // The variant's row, on its name cell as a user would click it.
    await page.click(`[data-testid="results-row"][data-variant-id=${quoteAttribute(VARIANT)}] td[data-column="id"]`);
    const first = await waitForHistogram(page, 'the first layer to be binned', (view) => view.state === 'ready' && view.layer !== null);
    expect(first.variantId).toBe(VARIANT);
    expect(first.layers).toEqual(expect.arrayContaining(['conv1', 'conv2', 'fc1', 'fc2']));
    expect(first.layer).toBe(first.layers[0]);

    await page.selectOption('[data-testid="weight-layer-select"]', 'conv2');
    const conv2 = await waitForHistogram(page, "conv2's histogram", (view) => view.state === 'ready' && view.layer === 'conv2');
    const original = conv2.sides.find((side) => side.side === 'original')!;
    const variant = conv2.sides.find((side) => side.side === 'variant')!;
    // Two distributions drawn, on the same bins.
    expect(conv2.areas).toEqual({ original: 1, variant: 1 });
    expect(conv2.bins).toBeGreaterThanOrEqual(32);
    // The original's weights spread over thousands of values and most bins; 4 bits per tensor
    // leaves at most 16 values, so at most 16 bins hold any: spikes.
    expect(original.distinct).toBeGreaterThan(1000);
    expect(original.nonEmptyBins).toBeGreaterThan(16);
    expect(variant.distinct).toBeLessThanOrEqual(16);
    expect(variant.distinct).toBeGreaterThan(2);
    expect(variant.nonEmptyBins).toBeLessThanOrEqual(16);
    expect(original.text).toContain('float32');
    expect(variant.text).toContain('DequantizeLinear');
    expect(variant.text).toMatch(/int4/);

    // A bin's counts on hover.
    const plot = (await page.$('[data-testid="weight-histogram"] .recharts-surface'))!;
    const box = (await plot.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForSelector('[data-testid="weight-histogram-tooltip"]', { timeout: 10_000 });
    expect(await page.textContent('[data-testid="weight-histogram-tooltip"]')).toContain('Original');
    await studio.screenshot('weight-histogram-int4');
    await page.mouse.move(5, 5);

    // The model itself has nothing to compare: selecting it closes the weights panel.
    await page.click('[data-testid="results-row"][data-variant-id="model"] td[data-column="id"]');
    await page.waitForSelector('[data-testid="layer-weights"]', { state: 'detached', timeout: 10_000 });
  });
});
