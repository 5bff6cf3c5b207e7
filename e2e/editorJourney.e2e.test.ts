// The editor journey of issue 6 (evidence 1), with real mouse drags in Chromium: the studio opens
// with the model and its suggested branch (int8 quantize 'q') on the pipeline canvas; the user reads
// Quantize's help page from the palette, then drags
// Quantize from the palette onto the canvas below 'q', right of its centre (it follows 'q', the
// nearest node whose centre is left of the drop), then drags from the model's output handle to the
// new block's input handle, so it takes the original model instead; sets bits to 4 in the
// inspector; turns on Quick and runs.
// The new block shows a progress bar, then done with its key metric; the chart shows the baseline
// and the new point. Main-thread long tasks are recorded while a node is dragged around the canvas
// and while the pipeline runs, and printed (no assertion on time). Screenshots of every step go to
// e2e/screenshots/editor-journey-*.png.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStudioSession } from './support/lifecycle';
import { WAIT_MS } from './support/studio';

const RUN_WAIT_MS = 300_000;
const block = (id: string) => `[data-testid="pipeline-block"][data-node-id="${id}"]`;
const edge = (source: string, target: string) => `[data-testid="pipeline-canvas"] [data-testid="rf__edge-${source}->${target}"]`;
/** Edges are SVG groups: present in the DOM is what counts. */
const ATTACHED = { state: 'attached' as const };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return box;
}

const centre = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

/** A mouse drag the way a hand makes one: press, many small moves, release. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 25): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 4, from.y + 2, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

interface LongTask {
  start: number;
  duration: number;
}

interface LongFrame {
  duration: number;
  /** What ran in it, longest first: "invoker (source:function) ms". */
  scripts: string[];
}

/** Records main-thread long tasks (over 50 ms) and long animation frames with their scripts, from now on. */
async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    type Recorder = { whittleLongTasks?: LongTask[]; whittleLongFrames?: LongFrame[]; whittleObservers?: PerformanceObserver[] };
    const record = window as unknown as Recorder;
    record.whittleObservers?.forEach((observer) => observer.disconnect());
    record.whittleLongTasks = [];
    record.whittleLongFrames = [];
    const tasks = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.whittleLongTasks!.push({ start: entry.startTime, duration: entry.duration });
    });
    tasks.observe({ type: 'longtask' });
    // Long animation frames name the scripts that made them (Chromium), which long tasks do not.
    const frames = new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as (PerformanceEntry & { scripts?: { invoker: string; sourceURL: string; sourceFunctionName: string; duration: number }[] })[]) {
        const scripts = [...(entry.scripts ?? [])]
          .sort((a, b) => b.duration - a.duration)
          .slice(0, 3)
          .map((script) => `${script.invoker} (${script.sourceURL.split('/').pop()}:${script.sourceFunctionName || '?'}) ${Math.round(script.duration)} ms`);
        record.whittleLongFrames!.push({ duration: entry.duration, scripts });
      }
    });
    frames.observe({ type: 'long-animation-frame' });
    record.whittleObservers = [tasks, frames];
  });
}

async function takeLongTasks(page: Page): Promise<{ tasks: LongTask[]; longestFrame: LongFrame | null }> {
  return page.evaluate(() => {
    const record = window as unknown as { whittleLongTasks?: LongTask[]; whittleLongFrames?: LongFrame[] };
    const frames = record.whittleLongFrames ?? [];
    return { tasks: record.whittleLongTasks ?? [], longestFrame: frames.reduce<LongFrame | null>((longest, frame) => (longest === null || frame.duration > longest.duration ? frame : longest), null) };
  });
}

function describeLongTasks({ tasks, longestFrame }: { tasks: readonly LongTask[]; longestFrame: LongFrame | null }): string {
  const durations = tasks.map((task) => Math.round(task.duration));
  const frame = longestFrame ? `; longest frame ${Math.round(longestFrame.duration)} ms: ${longestFrame.scripts.join(', ') || 'no script (layout, paint or GC)'}` : '';
  return `${durations.length} long tasks, longest ${Math.max(0, ...durations)} ms: [${durations.join(', ')}]${frame}`;
}

interface NodeView {
  status: string | null;
  summary: string | null;
  bits: string | null;
  progressShown: boolean;
}

async function readNode(page: Page, id: string): Promise<NodeView> {
  return page.evaluate((selector) => {
    const node = document.querySelector<HTMLElement>(selector);
    return {
      status: node?.dataset.status ?? null,
      summary: node?.querySelector('[data-testid="block-summary"]')?.textContent ?? null,
      bits: node?.querySelector<HTMLElement>('[data-testid="block-param"][data-param="bits"]')?.dataset.text ?? null,
      progressShown: node?.querySelector('[data-testid="block-progress"]') !== null && node?.querySelector('[data-testid="block-progress"]') !== undefined,
    };
  }, block(id));
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = WAIT_MS, pollMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen ${JSON.stringify(last)}`);
}

describe('the editor journey', () => {
  const session = useStudioSession();

  it(
    'drags Quantize onto the canvas, connects it to the model, sets 4 bits, runs it, and the chart shows the baseline and the new point',
    async () => {
      const { studio } = session;
      const page = studio.page;

      // 1. The studio opens on the pipeline canvas: the model and its suggested branch.
      await page.waitForSelector(block('q'), { timeout: WAIT_MS });
      await page.waitForSelector(edge('model', 'q'), ATTACHED);
      expect(await page.getAttribute('[data-testid="center-tab-pipeline"]', 'aria-selected')).toBe('true');
      expect(await page.$$eval('[data-testid="palette-item"]', (items) => items.map((item) => item.getAttribute('data-block-type')))).toEqual([
        'quantize', 'prune', 'distill', 'finetune', 'lowrank', 'cluster', 'foldbn', 'sensitivity', 'auto',
      ]);
      await studio.screenshot('editor-journey-1-open');

      // Quantize's help page: what it does, when to use it, its parameters with their defaults.
      await page.click('[data-testid="palette-item"][data-block-type="quantize"] [data-testid="palette-help"]');
      await page.waitForSelector('[data-testid="block-help"][data-block-type="quantize"]');
      const bitsHelp = await page.$$eval('[data-testid="block-help"] [data-testid="help-param"][data-param="bits"] td', (cells) => cells.map((cell) => cell.textContent));
      expect(bitsHelp.slice(0, 2)).toEqual(['bits', '8']);
      await studio.screenshot('editor-journey-1-help');
      await page.keyboard.press('Escape');
      await page.waitForSelector('[data-testid="block-help"]', { state: 'detached' });

      // 2. Drag Quantize from the palette to below 'q', right of its centre.
      const paletteQuantize = await boxOf(page, '[data-testid="palette-item"][data-block-type="quantize"] .palette-block');
      const q = await boxOf(page, block('q'));
      const canvas = await boxOf(page, '[data-testid="pipeline-canvas"]');
      const dropPoint = { x: Math.min(q.x + q.width * 0.8, canvas.x + canvas.width - 140), y: Math.min(q.y + q.height + 100, canvas.y + canvas.height - 200) };
      await drag(page, centre(paletteQuantize), dropPoint, 30);
      await page.waitForSelector(block('quantize-1'));
      await page.waitForSelector(edge('q', 'quantize-1'), ATTACHED);
      const dropped = await boxOf(page, block('quantize-1'));
      // It landed where it was dropped: the pointer holds it near its top-left corner.
      expect(dropPoint.x - dropped.x).toBeGreaterThan(0);
      expect(dropPoint.x - dropped.x).toBeLessThan(60);
      expect(dropPoint.y - dropped.y).toBeGreaterThan(0);
      expect(dropPoint.y - dropped.y).toBeLessThan(50);
      expect((await readNode(page, 'quantize-1')).bits).toBe('8');
      await studio.screenshot('editor-journey-2-dropped');

      // 3. Connect the model's output handle to the new block's input handle.
      const modelHandle = await boxOf(page, `${block('model')} [data-testid="handle-source"]`);
      const newHandle = await boxOf(page, `${block('quantize-1')} [data-testid="handle-target"]`);
      await drag(page, centre(modelHandle), centre(newHandle), 30);
      await page.waitForSelector(edge('model', 'quantize-1'), ATTACHED);
      expect(await page.$(edge('q', 'quantize-1'))).toBeNull();
      await studio.screenshot('editor-journey-3-connected');

      // Long tasks while a node is dragged around the canvas (and put back near where it was).
      await recordLongTasks(page);
      const start = centre(await boxOf(page, `${block('quantize-1')} .node-header`));
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
      for (const [dx, dy] of [[120, 0], [120, 100], [-80, 100], [-80, -40], [0, 0]] as const) await page.mouse.move(start.x + dx, start.y + dy, { steps: 20 });
      await page.mouse.up();
      const dragTasks = await takeLongTasks(page);
      console.log(`editor journey: dragging a node around the canvas: ${describeLongTasks(dragTasks)}`);

      // 4. Select it and set bits to 4 in the inspector.
      await page.click(`${block('quantize-1')} .node-header`);
      await page.waitForSelector('[data-testid="inspector-block"][data-node-id="quantize-1"]');
      await page.click('[data-testid="param-field"][data-param="bits"] .segment:has-text("4")');
      await waitFor('the canvas to show 4 bits', () => readNode(page, 'quantize-1'), (node) => node.bits === '4');
      await studio.screenshot('editor-journey-4-bits');

      // 5. Quick evaluation (1,000 test images) and Run.
      await page.check('[data-testid="quick-toggle"]');
      await studio.waitForRuntime();
      await recordLongTasks(page);
      await page.click('[data-testid="run-button"]');
      const running = await waitFor('the new block to show its progress bar', () => readNode(page, 'quantize-1'), (node) => node.status === 'running' && node.progressShown, RUN_WAIT_MS, 50);
      expect(running.progressShown).toBe(true);
      await studio.screenshot('editor-journey-5-running');

      const done = await waitFor('the new block to be done', () => readNode(page, 'quantize-1'), (node) => node.status === 'done', RUN_WAIT_MS, 250);
      await waitFor('the run to end', () => page.getAttribute('[data-testid="run-button"]', 'data-phase'), (phase) => phase === 'idle', RUN_WAIT_MS, 250);
      const runTasks = await takeLongTasks(page);
      console.log(`editor journey: while the pipeline ran: ${describeLongTasks(runTasks)}`);
      expect(done.summary).toMatch(/^\d+(\.\d+)? % · /);

      // 6. The chart: the baseline and the new point (and the suggested int8 one).
      const points = await page.$$eval('[data-testid="pareto-point"]', (nodes) => nodes.map((node) => ({ id: node.getAttribute('data-variant-id'), baseline: node.getAttribute('data-baseline') === 'true' })));
      expect(points.filter((point) => point.baseline).map((point) => point.id)).toEqual(['model']);
      expect(points.map((point) => point.id).sort()).toEqual(['model', 'q', 'quantize-1']);
      expect(await page.getAttribute('[data-testid="canvas-run-status"]', 'data-status')).toBe('done');
      await studio.screenshot('editor-journey-6-done');
    },
    RUN_WAIT_MS + 2 * WAIT_MS,
  );
});
