// Running a pipeline in the studio, the way a person does it: the studio opens its default sample
// (Fashion CNN), the user opens a pipeline file through "Open…" in the pipeline panel — quantize
// with bits [8, 4, 3, 2] — and clicks Run. The passes run in the engine worker and every variant is
// evaluated by ONNX Runtime Web in the eval worker on the whole Fashion-MNIST test split (10,000
// images); the chart gains the baseline and four points, the table their figures, each block its
// status. The same file then runs through the CLI (`whittle run FILE --json`, model and dataset by
// sample ref, passes and ONNX Runtime in Node): accuracies and sizes must be equal. Main-thread long
// tasks (PerformanceObserver 'longtask') are recorded from just before Run to the end and reported.
// Then: Cancel in the middle of another run leaves the studio usable and Ctrl+Enter reruns it to the
// end; a pipeline file with an error (bits 5) says what is wrong, naming the node, and the pipeline
// stays as it was; Save downloads a file that opens again; a dropped .whittle.json loads too.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { restorePipeline } from '../src/core/pipeline/restorePipeline';
import { validateResults, type WhittleResults } from '../src/core/results/resultsContract';
import { useStudioSession } from './support/lifecycle';
import { WAIT_MS } from './support/studio';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SWEEP_FILE = 'fashion-cnn-bits-sweep.whittle.json';
const TENSOR_FILE = 'fashion-cnn-tensor-sweep.whittle.json';
const SWEEP_IDS = ['model', 'q[bits=8]', 'q[bits=4]', 'q[bits=3]', 'q[bits=2]'];
const TENSOR_IDS = ['model', 'qt[bits=8]', 'qt[bits=4]', 'qt[bits=3]', 'qt[bits=2]'];
/** A whole-split run of five variants on two busy cores, in Chromium and then in Node. */
const RUN_WAIT_MS = 420_000;

const SEL = {
  pipelineInput: 'input[data-testid="open-pipeline-input"]',
  runButton: '[data-testid="run-button"]',
  pipelineFile: '[data-testid="pipeline-file"]',
  problem: '[data-testid="pipeline-problem"]',
} as const;

interface RunView {
  runPhase: string | null;
  /** The results panel's run status; null while it is not shown. */
  status: string | null;
  pipelineFile: string | null;
  points: { id: string; baseline: boolean }[];
  /** The chart draws from a deferred copy of the results: true while its points lag them. */
  chartPending: boolean;
  rows: { id: string; status: string; accuracy: number | null; sizeBytes: number | null }[];
  blocks: { id: string; status: string; summary: string | null; params: Record<string, string> }[];
  problem: string | null;
}

async function readRun(page: Page): Promise<RunView> {
  return page.evaluate((sel) => {
    const text = (element: Element | null) => (element ? (element.textContent ?? '').replace(/\s+/g, ' ').trim() : null);
    const numberIn = (row: Element, column: string) => {
      const value = row.querySelector<HTMLElement>(`td[data-column="${column}"]`)?.dataset.value;
      return value === undefined || value === '' ? null : Number(value);
    };
    return {
      runPhase: document.querySelector<HTMLElement>(sel.runButton)?.dataset.phase ?? null,
      status: document.querySelector<HTMLElement>('[data-testid="results-panel"]')?.dataset.runStatus ?? null,
      pipelineFile: text(document.querySelector(sel.pipelineFile)),
      points: [...document.querySelectorAll<SVGGElement>('[data-testid="pareto-point"]')].map((point) => ({ id: point.dataset.variantId!, baseline: point.dataset.baseline === 'true' })),
      chartPending: document.querySelector('[data-testid="pareto-chart"]')?.getAttribute('data-pending') === 'true',
      rows: [...document.querySelectorAll<HTMLElement>('[data-testid="results-row"]')].map((row) => ({
        id: row.dataset.variantId!,
        status: row.dataset.status!,
        accuracy: numberIn(row, 'accuracy'),
        sizeBytes: numberIn(row, 'sizeBytes'),
      })),
      blocks: [...document.querySelectorAll<HTMLElement>('[data-testid="pipeline-block"]')].map((block) => ({
        id: block.dataset.nodeId!,
        status: block.dataset.status!,
        summary: text(block.querySelector('[data-testid="block-summary"]')),
        params: Object.fromEntries([...block.querySelectorAll<HTMLElement>('[data-testid="block-param"]')].map((param) => [param.dataset.param!, param.dataset.text!])),
      })),
      problem: text(document.querySelector(sel.problem)),
    };
  }, SEL);
}

async function waitForRun(page: Page, what: string, done: (view: RunView) => boolean, timeoutMs = RUN_WAIT_MS): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  let last: RunView | null = null;
  while (Date.now() < deadline) {
    last = await readRun(page);
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the page shows ${JSON.stringify(last)}`);
}

interface LongTask {
  start: number;
  duration: number;
}

/** Records every main-thread long task from now on (Chromium reports tasks over 50 ms), in page time. */
async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = window as unknown as { whittleLongTasks?: LongTask[] };
    record.whittleLongTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.whittleLongTasks!.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
  });
}

async function takeLongTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (window as unknown as { whittleLongTasks?: LongTask[] }).whittleLongTasks ?? []);
}

const pageNow = (page: Page) => page.evaluate(() => performance.now());

/** "n tasks, longest x ms: [...]" */
function describeLongTasks(tasks: readonly LongTask[]): string {
  const durations = tasks.map((task) => Math.round(task.duration));
  return `${durations.length} long tasks, longest ${Math.max(0, ...durations)} ms, ${durations.reduce((sum, ms) => sum + ms, 0)} ms in all: [${durations.join(', ')}]`;
}

const run = promisify(execFile);

/** `whittle run FILE --json` in Node: the results contract document it prints. */
async function runCli(pipelineFile: string): Promise<WhittleResults> {
  const { stdout } = await run(process.execPath, ['cli/whittle.mjs', 'run', pipelineFile, '--json'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024, timeout: RUN_WAIT_MS });
  const checked = validateResults(JSON.parse(stdout));
  if (!checked.ok) throw new Error(`whittle run printed an invalid results document: ${checked.errors.join('; ')}`);
  return checked.results;
}

async function openPipeline(page: Page, path: string): Promise<void> {
  await page.setInputFiles(SEL.pipelineInput, path);
}

describe('running a pipeline in the studio', () => {
  const session = useStudioSession();

  it(
    'runs a quantize sweep from an opened file, the chart gains the baseline and four points, and the CLI reports the same accuracies',
    async () => {
      const { studio } = session;
      const page = studio.page;
      const initial = await readRun(page);
      expect(initial.pipelineFile).toBe('suggested');
      expect(initial.blocks.map((block) => [block.id, block.status])).toEqual([['model', 'idle'], ['q', 'idle']]);
      expect(initial.blocks[1]!.params.bits).toBe('8');
      expect(initial.status).toBeNull();
      await studio.screenshot('run-pipeline-suggested');

      await openPipeline(page, join(FIXTURES, SWEEP_FILE));
      // The canvas draws the loaded params a render after the toolbar names the file: wait for both.
      const loaded = await waitForRun(page, 'the sweep to be loaded', (view) => view.pipelineFile === SWEEP_FILE && view.blocks[1]?.params.bits === '8 · 4 · 3 · 2', WAIT_MS);
      expect(loaded.blocks.map((block) => block.id)).toEqual(['model', 'q']);
      expect(loaded.blocks[1]!.params.bits).toBe('8 · 4 · 3 · 2');
      expect(loaded.problem).toBeNull();
      await studio.screenshot('run-pipeline-loaded');

      // The model's one-off ONNX Runtime probe is not part of the run.
      await studio.waitForRuntime();
      await recordLongTasks(page);
      await page.click(SEL.runButton);
      const midway = await waitForRun(page, 'the first points while the run goes on', (view) => view.status === 'running' && view.points.length >= 2 && view.points.length < 5);
      expect(midway.runPhase).toBe('running');
      expect(midway.blocks.find((block) => block.id === 'model')!.status).toBe('done');
      // The screenshot is the test's work on the page's main thread, not the studio's: its window is left out of the figures.
      const screenshotFrom = await pageNow(page);
      await studio.screenshot('run-pipeline-running');
      const screenshotTo = await pageNow(page);

      const done = await waitForRun(page, 'the run to finish', (view) => view.status === 'done' && view.runPhase === 'idle' && !view.chartPending);
      const longTasks = await takeLongTasks(page);
      await studio.screenshot('run-pipeline-done');

      expect(done.points.map((point) => point.id).sort()).toEqual([...SWEEP_IDS].sort());
      expect(done.points.filter((point) => point.baseline).map((point) => point.id)).toEqual(['model']);
      const rows = done.rows.filter((row) => row.status === 'done');
      expect(rows.map((row) => row.id)).toEqual(SWEEP_IDS);
      expect(rows.every((row) => row.accuracy !== null && row.accuracy > 0)).toBe(true);
      expect(done.blocks.map((block) => [block.id, block.status])).toEqual([['model', 'done'], ['q', 'done']]);
      expect(done.blocks[1]!.summary).toBe('4 variants done');

      const studioTasks = longTasks.filter((task) => task.start + task.duration < screenshotFrom || task.start > screenshotTo);
      // The machine's load says how far these wall-clock figures are the studio's own: a busy machine stretches every task.
      const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
      console.log(`main thread during the run (PerformanceObserver 'longtask', ${load}): ${describeLongTasks(studioTasks)}; with the mid-run screenshot: ${describeLongTasks(longTasks)}`);

      const cli = await runCli(join(FIXTURES, SWEEP_FILE));
      const studioFigures = rows.map((row) => ({ id: row.id, accuracy: row.accuracy, sizeBytes: row.sizeBytes }));
      const cliFigures = cli.variants.map((variant) => ({ id: variant.id, accuracy: variant.metrics.accuracy, sizeBytes: variant.metrics.sizeBytes }));
      console.log(`studio: ${JSON.stringify(studioFigures)}\ncli:    ${JSON.stringify(cliFigures)}`);
      expect(studioFigures).toEqual(cliFigures);
    },
    RUN_WAIT_MS * 2,
  );

  it(
    'cancels a run midway, stays usable, and Ctrl+Enter reruns it to the end',
    async () => {
      const { studio } = session;
      const page = studio.page;
      await openPipeline(page, join(FIXTURES, TENSOR_FILE));
      await waitForRun(page, 'the tensor sweep to be loaded', (view) => view.pipelineFile === TENSOR_FILE, WAIT_MS);
      await page.click(SEL.runButton);
      // The model's figures come from the session's cache; cancel once the first new variant has landed.
      await waitForRun(page, 'the first new variant', (view) => view.status === 'running' && view.rows.some((row) => row.id === 'qt[bits=8]' && row.status === 'done'));
      expect((await readRun(page)).runPhase).toBe('running');
      await page.click(SEL.runButton);
      const cancelled = await waitForRun(page, 'the run to stop', (view) => view.status === 'cancelled' && view.runPhase === 'idle');
      await studio.screenshot('run-pipeline-cancelled');
      const statuses = Object.fromEntries(cancelled.rows.map((row) => [row.id, row.status]));
      expect(statuses.model).toBe('done');
      expect(statuses['qt[bits=8]']).toBe('done');
      expect(Object.values(statuses).filter((status) => status === 'cancelled').length).toBeGreaterThan(0);
      expect(cancelled.blocks.find((block) => block.id === 'qt')!.status).toBe('cancelled');

      // Still usable: another sample opens and the pipeline follows it, then the first comes back.
      await page.selectOption('[data-testid="sample-picker"]', 'fashion-mlp');
      await studio.waitForModel('fashion-mlp.onnx');
      await page.selectOption('[data-testid="sample-picker"]', 'fashion-cnn');
      await studio.waitForModel('fashion-cnn.onnx');
      expect(await page.textContent('[data-testid="pipeline-model"]')).toBe('fashion-cnn (sample)');

      await page.keyboard.press('Control+Enter');
      const rerun = await waitForRun(page, 'the rerun to finish', (view) => view.status === 'done' && view.runPhase === 'idle' && !view.chartPending);
      await studio.screenshot('run-pipeline-rerun');
      expect(rerun.rows.filter((row) => row.status === 'done').map((row) => row.id)).toEqual(TENSOR_IDS);
      expect(rerun.points).toHaveLength(5);
      expect(rerun.blocks.map((block) => block.status)).toEqual(['done', 'done']);
    },
    RUN_WAIT_MS,
  );

  it('refuses a pipeline file with an error, naming the node, and keeps the pipeline it had', async () => {
    const { studio, files } = session;
    const page = studio.page;
    const before = await readRun(page);
    const text = (await readFile(join(FIXTURES, SWEEP_FILE), 'utf8')).replace('[8, 4, 3, 2]', '5');
    const bad = await files.write({ name: 'bits-5.whittle.json', bytes: new TextEncoder().encode(text) });
    await openPipeline(page, bad);
    const refused = await waitForRun(page, 'the problem to be shown', (view) => view.problem !== null, WAIT_MS);
    await studio.screenshot('run-pipeline-bad-file');
    expect(refused.problem).toContain('bits-5.whittle.json could not be opened');
    expect(refused.problem).toContain("node 'q': bits must be one of 2, 3, 4, 8, 16; got 5");
    expect(refused.problem).toContain('The pipeline on the canvas is unchanged.');
    expect(refused.pipelineFile).toBe(before.pipelineFile);
    expect(refused.blocks).toEqual(before.blocks);
  });

  it('saves the pipeline as a .whittle.json that opens again, and opens one dropped on the window', async () => {
    const { studio } = session;
    const page = studio.page;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="save-pipeline"]')]);
    expect(download.suggestedFilename()).toBe(TENSOR_FILE);
    const saved = await readFile((await download.path())!, 'utf8');
    const restored = restorePipeline(saved);
    expect(restored.ok && restored.pipeline.nodes.map((node) => [node.id, node.params.bits, node.params.granularity])).toEqual([
      ['model', undefined, undefined],
      ['qt', [8, 4, 3, 2], 'tensor'],
    ]);

    const dropped = await studio.dropFiles([{ name: SWEEP_FILE, bytes: await readFile(join(FIXTURES, SWEEP_FILE)) }]);
    expect(dropped.dropPrevented).toBe(true);
    // The canvas draws its nodes a render after the toolbar names the file: wait for both.
    const view = await waitForRun(page, 'the dropped pipeline to be loaded', (state) => state.pipelineFile === SWEEP_FILE && state.blocks.map((block) => block.id).join() === 'model,q', WAIT_MS);
    expect(view.problem).toBeNull();
    expect(view.blocks.map((block) => block.id)).toEqual(['model', 'q']);
    // The last run was of another pipeline: its block 'q' has not run; the model node keeps its
    // baseline, which is the same model's (a badge holds while a node and its inputs match the run).
    expect(view.blocks.map((block) => block.status)).toEqual(['done', 'idle']);
    expect(await page.textContent('[data-testid="model-name"]')).toBe('fashion-cnn.onnx');
  });
});
