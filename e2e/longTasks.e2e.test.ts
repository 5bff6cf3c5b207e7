// The main thread while points land: a 12-variant sweep of the Fashion CNN (quantize bits 8, 4, 3, 2
// × granularity tensor, channel, group) run by the executor with the in-process services in Node —
// real passes, real ONNX Runtime evaluation on the 500-image example .npz — is streamed into the
// built studio through the results store's test hook (?testHooks), one event per task as the
// pipeline workers' messages arrive in a real run. Main-thread long tasks (PerformanceObserver
// 'longtask', tasks over 50 ms) are recorded while it streams and printed: they are evidence for
// BENCHMARKS.md, never asserted (timings depend on the machine). What is asserted is what the
// streaming must not cost: every variant lands on the chart where the table has it, also when all
// of a run's events arrive in one task (the chart coalesces them into one redraw).
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../src/core/eval/datasets/arrayFile';
import type { PipelineEvent, PipelineRun } from '../src/core/pipeline/executor/PipelineEvent';
import { createInProcessServices } from '../src/core/pipeline/executor/inProcessServices';
import { runPipeline } from '../src/core/pipeline/executor/runPipeline';
import { pipelineOf } from '../src/core/pipeline/testPipelines';
import { useStudioSession } from './support/lifecycle';
import { quoteAttribute } from './support/panel';

const SAMPLES = new URL('../public/samples/', import.meta.url);
const MODEL = new Uint8Array(readFileSync(new URL('fashion-cnn.onnx', SAMPLES)));
const NPZ = 'fashion-mnist-test-500.npz';
const SWEEP = pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4, 3, 2], granularity: ['tensor', 'channel', 'group'] } }]);

interface LongTask {
  start: number;
  duration: number;
}

interface Streamed {
  longTasks: LongTask[];
  /** Page time from the first event to the last frame after the last. */
  elapsedMs: number;
}

/**
 * Applies `events` in the page, each in its own task (a macrotask apart, as worker messages
 * arrive; two frames after each landing point, as points land seconds apart), or all in one task, recording long tasks from the first event to two frames after the last.
 */
async function streamEvents(page: Page, events: readonly PipelineEvent[], oneTask: boolean): Promise<Streamed> {
  return page.evaluate(
    async ({ batch, oneTask }) => {
      const hook = window.__whittleResults;
      if (!hook) throw new Error('window.__whittleResults is missing: the page was not opened with ?testHooks');
      const longTasks: { start: number; duration: number }[] = [];
      const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
      });
      observer.observe({ type: 'longtask' });
      const start = performance.now();
      const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      if (oneTask) for (const event of batch) hook.applyEvent(event);
      else
        for (const event of batch) {
          hook.applyEvent(event);
          await nextTask();
          // A point lands seconds apart from the next in a real run: let it be drawn before the next.
          if (event.type === 'variant' && event.status === 'done') {
            await frame();
            await frame();
          }
        }
      // The chart draws from a deferred copy of the results, in later tasks: wait for it, then two frames.
      for (let i = 0; i < 20; i += 1) await nextTask();
      while (document.querySelector('[data-testid="pareto-chart"]')?.getAttribute('data-pending') === 'true') await frame();
      await frame();
      await frame();
      const elapsedMs = performance.now() - start;
      // Entries are delivered asynchronously: one more task lets the last ones in.
      await nextTask();
      observer.disconnect();
      return { longTasks: longTasks.filter((task) => task.start + task.duration > start), elapsedMs };
    },
    { batch: events as PipelineEvent[], oneTask },
  );
}

function describeLongTasks(tasks: readonly LongTask[]): string {
  const durations = tasks.map((task) => Math.round(task.duration));
  return `${durations.length} long tasks, longest ${Math.max(0, ...durations)} ms: [${durations.join(', ')}]`;
}

async function pointIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="pareto-point"]', (points) => points.map((point) => (point as SVGGElement).dataset.variantId!).sort());
}

async function doneRowIds(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="results-row"][data-status="done"]', (rows) => rows.map((row) => row.getAttribute('data-variant-id')!).sort());
}

describe('the main thread while a 12-variant run lands', () => {
  const session = useStudioSession({ search: '?testHooks' });
  let events: PipelineEvent[];
  let run: PipelineRun;
  let ids: string[];

  beforeAll(async () => {
    const dataset = loadArrayFileDataset(new Uint8Array(readFileSync(new URL(NPZ, SAMPLES))), { fileName: NPZ, layout: 'nchw' });
    const services = await createInProcessServices({ data: { dataset, key: 'npz-500' }, evaluation: { latencyRuns: 3 }, modelFileName: 'fashion-cnn.onnx' });
    events = [];
    run = await runPipeline(SWEEP, { services, model: MODEL, onEvent: (event) => events.push(event) });
    ids = run.variants.map((outcome) => outcome.variant.id).sort();
    expect(run.variants.filter((outcome) => outcome.status === 'done')).toHaveLength(13);
  }, 180_000);

  it('draws every variant as its events stream in one task at a time, and reports the long tasks', async () => {
    const { studio } = session;
    const { page } = studio;
    const streamed = await streamEvents(page, events, false);
    expect(await pointIds(page)).toEqual(ids);
    expect(await doneRowIds(page)).toEqual(ids);
    expect(await page.getAttribute('[data-testid="results-panel"]', 'data-run-status')).toBe('done');
    await studio.screenshot('long-tasks-12-variants');
    const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
    console.log(`12-variant run streamed (${events.length} events, one task each, ${Math.round(streamed.elapsedMs)} ms; ${load}): ${describeLongTasks(streamed.longTasks)}`);
  });

  it('draws every variant when a whole run arrives in one task', async () => {
    const { studio } = session;
    const { page } = studio;
    await page.evaluate(() => window.__whittleResults!.reset());
    await page.waitForSelector('[data-testid="results-panel"]', { state: 'detached' });
    const streamed = await streamEvents(page, events, true);
    expect(await pointIds(page)).toEqual(ids);
    expect(await doneRowIds(page)).toEqual(ids);
    console.log(`12-variant run in one task: ${describeLongTasks(streamed.longTasks)}`);
  });

  it("selects a clicked point's variant, its table row and its block on the pipeline canvas", async () => {
    const { studio } = session;
    const { page } = studio;
    // The model's graph in front: choosing a point brings the pipeline canvas back.
    await page.click('[data-testid="center-tab-model"]');
    await page.waitForSelector('[data-testid="center-view"][data-view="model"]');
    // Variants with the same size and accuracy share a spot: the mouse picks the one drawn on top.
    const mark = (await page.$('[data-testid="pareto-point"][data-baseline="false"] .pareto-mark'))!;
    const box = (await mark.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForSelector('[data-testid="center-view"][data-view="pipeline"]', { timeout: 10_000 });
    const id = await page.$eval('[data-testid="pareto-point"][data-selected="true"]', (point) => (point as SVGGElement).dataset.variantId!);
    expect(id).toMatch(/^q\[/);
    expect(await page.getAttribute(`[data-testid="pareto-point"][data-variant-id=${quoteAttribute(id)}]`, 'data-selected')).toBe('true');
    expect(await page.getAttribute(`[data-testid="results-row"][data-variant-id=${quoteAttribute(id)}]`, 'aria-selected')).toBe('true');
    // The studio's pipeline is its suggested one for the sample, whose quantize node is 'q' too.
    await page.waitForSelector('.react-flow__node.selected [data-testid="pipeline-block"][data-node-id="q"]', { timeout: 10_000 });
    await page.mouse.move(5, 5);
    await studio.screenshot('long-tasks-point-selects-block');
  });
});
