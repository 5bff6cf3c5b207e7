// A distillation run in the studio (issue 7's evidence), the way a person does it: the studio opens
// its default sample (Fashion CNN), the user opens a pipeline file with a distill block — a
// half-width student, 2 epochs on 2,000 training images (trainSamples keeps it short) — turns on
// Quick and clicks Run. The block trains in the engine worker on the bundled Fashion-MNIST train
// split: the training panel appears, its loss curve grows while it trains (read several times),
// the validation accuracy gets a point per epoch, and when the block is done the Pareto chart has
// the student's point and the table its figures. Main-thread long tasks (PerformanceObserver
// 'longtask') are recorded from just before Run to the end and reported.
//
// Then "Stop & keep best": a 10-epoch run of another student is stopped from the panel once its
// curve shows; the block still ends done (its best checkpoint so far), with a note saying so.
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStudioSession } from './support/lifecycle';
import { WAIT_MS } from './support/studio';

/** Training on two busy cores: generous, never a timing assertion. */
const RUN_WAIT_MS = 240_000;

const SEL = {
  pipelineInput: 'input[data-testid="open-pipeline-input"]',
  runButton: '[data-testid="run-button"]',
  quickToggle: 'input[data-testid="quick-toggle"]',
  trainingPanel: '[data-testid="training-panel"]',
  stopButton: '[data-testid="training-stop"]',
} as const;

function distillPipeline(id: string, params: Record<string, unknown>) {
  return {
    type: 'whittle-pipeline',
    version: 1,
    model: { sample: 'fashion-cnn' },
    dataset: { sample: 'fashion-mnist' },
    nodes: [
      { id: 'model', type: 'model' },
      { id, type: 'distill', params },
    ],
    edges: [{ source: 'model', target: id }],
  };
}

interface TrainingView {
  /** performance.now() in the page when read. */
  now: number;
  runStatus: string | null;
  runPhase: string | null;
  panel: { variant: string; status: string; statusText: string | null; epoch: string | null; step: string | null; eta: string | null; lossPoints: number; accuracyPoints: number; lastAccuracy: number | null } | null;
  points: string[];
  rows: { id: string; status: string; accuracy: number | null; sizeBytes: number | null }[];
  log: string[];
}

async function readTraining(page: Page): Promise<TrainingView> {
  return page.evaluate((sel) => {
    const text = (element: Element | null | undefined) => (element ? (element.textContent ?? '').replace(/\s+/g, ' ').trim() : null);
    const panel = document.querySelector<HTMLElement>(sel.trainingPanel);
    const loss = panel?.querySelector<HTMLElement>('[data-testid="training-loss-chart"]');
    const accuracy = panel?.querySelector<HTMLElement>('[data-testid="training-accuracy-chart"]');
    const numberIn = (row: Element, column: string) => {
      const value = row.querySelector<HTMLElement>(`td[data-column="${column}"]`)?.dataset.value;
      return value === undefined || value === '' ? null : Number(value);
    };
    return {
      now: performance.now(),
      runStatus: document.querySelector<HTMLElement>('[data-testid="results-panel"]')?.dataset.runStatus ?? null,
      runPhase: document.querySelector<HTMLElement>(sel.runButton)?.dataset.phase ?? null,
      panel: panel
        ? {
            variant: panel.dataset.variant!,
            status: panel.dataset.status!,
            statusText: text(panel.querySelector('[data-testid="training-status"]')),
            epoch: text(panel.querySelector('[data-testid="training-epoch"]')),
            step: text(panel.querySelector('[data-testid="training-step"]')),
            eta: text(panel.querySelector('[data-testid="training-eta"]')),
            lossPoints: Number(loss?.dataset.points ?? 0),
            accuracyPoints: Number(accuracy?.dataset.points ?? 0),
            lastAccuracy: accuracy?.dataset.lastAccuracy ? Number(accuracy.dataset.lastAccuracy) : null,
          }
        : null,
      points: [...document.querySelectorAll<SVGGElement>('[data-testid="pareto-point"]')].map((point) => point.dataset.variantId!),
      rows: [...document.querySelectorAll<HTMLElement>('[data-testid="results-row"]')].map((row) => ({
        id: row.dataset.variantId!,
        status: row.dataset.status!,
        accuracy: numberIn(row, 'accuracy'),
        sizeBytes: numberIn(row, 'sizeBytes'),
      })),
      log: [...document.querySelectorAll('[data-testid="run-log"] li')].map((item) => text(item) ?? ''),
    };
  }, SEL);
}

/** Polls the page every 250 ms until `done`; every view read is handed to `seen` (to watch the curve grow). */
async function waitForTraining(page: Page, what: string, done: (view: TrainingView) => boolean, seen: (view: TrainingView) => void = () => undefined): Promise<TrainingView> {
  const deadline = Date.now() + RUN_WAIT_MS;
  let last: TrainingView | null = null;
  while (Date.now() < deadline) {
    last = await readTraining(page);
    seen(last);
    if (done(last)) return last;
    // A block that failed will not train: say why at once instead of waiting out the clock.
    const failed = last.rows.find((row) => row.status === 'failed');
    if (failed) throw new Error(`'${failed.id}' failed while waiting for ${what}: ${last.log.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${RUN_WAIT_MS} ms waiting for ${what}; the page shows ${JSON.stringify(last)}`);
}

interface LongTask {
  start: number;
  duration: number;
}

async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const record = window as unknown as { whittleLongTasks?: LongTask[] };
    record.whittleLongTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.whittleLongTasks!.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
  });
}

/** Opens a pipeline file through the toolbar's file input and waits until the toolbar names it. */
async function openPipeline(page: Page, path: string): Promise<void> {
  const name = path.split('/').at(-1)!;
  await page.setInputFiles(SEL.pipelineInput, path);
  await page.waitForFunction((expected) => document.querySelector('[data-testid="pipeline-file"]')?.textContent?.includes(expected) === true, name, { timeout: WAIT_MS });
}

const takeLongTasks = (page: Page) => page.evaluate(() => (window as unknown as { whittleLongTasks?: LongTask[] }).whittleLongTasks ?? []);
const pageNow = (page: Page) => page.evaluate(() => performance.now());

describe('a distillation run in the studio', () => {
  const session = useStudioSession();

  it(
    'trains a half-width student with a live curve, and the chart gets the student’s point',
    async () => {
      const { studio, files } = session;
      const page = studio.page;
      const pipeline = distillPipeline('d', { student: { width: 0.5 }, epochs: 2, batchSize: 32, trainSamples: 2000 });
      const path = await files.write({ name: 'fashion-cnn-distill.whittle.json', bytes: new TextEncoder().encode(JSON.stringify(pipeline)) });
      await openPipeline(page, path);
      await page.check(SEL.quickToggle);
      // The model's one-off ONNX Runtime probe is not part of the run.
      await studio.waitForRuntime();
      await recordLongTasks(page);
      await page.click(SEL.runButton);

      // The curve grows while the block trains: note every distinct number of loss points seen.
      const counts: number[] = [];
      let midway: TrainingView | null = null;
      // The block's training, in page time: from the first view that shows it training to the first that does not.
      const training = { from: Number.POSITIVE_INFINITY, to: Number.POSITIVE_INFINITY };
      const watch = (view: TrainingView) => {
        if (view.panel?.status === 'training' && training.from === Number.POSITIVE_INFINITY) training.from = view.now;
        if (view.panel !== null && view.panel.status !== 'training' && view.panel.status !== 'waiting' && training.from < view.now && training.to === Number.POSITIVE_INFINITY) training.to = view.now;
        const points = view.panel?.lossPoints ?? 0;
        if (view.panel?.status === 'training' && points > 0 && counts.at(-1) !== points) {
          counts.push(points);
          midway ??= view;
        }
      };
      await waitForTraining(page, 'the curve to show', (view) => view.panel?.status === 'training' && (view.panel.lossPoints ?? 0) > 0, watch);
      const screenshotFrom = await pageNow(page);
      await studio.screenshot('distill-run-training');
      const screenshotTo = await pageNow(page);
      const done = await waitForTraining(page, 'the run to finish', (view) => view.runStatus === 'done' && view.runPhase === 'idle' && view.points.includes('d'), watch);
      const longTasks = await takeLongTasks(page);
      await studio.screenshot('distill-run-done');

      // Shown while training: the block, epoch and step, an ETA.
      expect(midway).not.toBeNull();
      expect(midway!.panel).toMatchObject({ variant: 'd', epoch: expect.stringMatching(/^[12] \/ 2$/), step: expect.stringMatching(/^\d+ \/ 63$/) });
      expect(midway!.panel!.eta).toMatch(/^(\d+ s|\d+ min \d\d s|—)$/);
      // It updated: more than one size of curve was on screen, each larger than the last.
      expect(counts.length).toBeGreaterThan(1);
      for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThan(counts[i - 1]!);

      expect(done.panel).toMatchObject({ variant: 'd', status: 'done', accuracyPoints: 2 });
      expect(done.panel!.lastAccuracy).toBeGreaterThan(50);
      expect(done.points.sort()).toEqual(['d', 'model']);
      const student = done.rows.find((row) => row.id === 'd')!;
      const teacher = done.rows.find((row) => row.id === 'model')!;
      expect(student.status).toBe('done');
      expect(student.accuracy).toBeGreaterThan(0.5);
      expect(student.sizeBytes).toBeLessThan(teacher.sizeBytes!);

      const studioTasks = longTasks.filter((task) => task.start + task.duration < screenshotFrom || task.start > screenshotTo);
      const summarize = (tasks: LongTask[]) => {
        const durations = tasks.map((task) => Math.round(task.duration));
        return `${durations.length} long tasks, longest ${Math.max(0, ...durations)} ms: [${durations.join(', ')}]`;
      };
      const whileTraining = studioTasks.filter((task) => task.start + task.duration > training.from && task.start < training.to);
      console.log(
        `distill run: curve sizes seen ${JSON.stringify(counts)}; student accuracy ${student.accuracy} (quick subset), teacher ${teacher.accuracy}; ` +
          `main thread (PerformanceObserver 'longtask', load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores) while the block trained ` +
          `(${((training.to - training.from) / 1000).toFixed(1)} s): ${summarize(whileTraining)}; the whole run: ${summarize(studioTasks)}`,
      );
    },
    RUN_WAIT_MS * 2,
  );

  it(
    'Stop & keep best ends the training early; the block is done with its best checkpoint and says so',
    async () => {
      const { studio, files } = session;
      const page = studio.page;
      const pipeline = distillPipeline('s', { student: { width: 0.5 }, epochs: 10, batchSize: 32, trainSamples: 3000 });
      const path = await files.write({ name: 'fashion-cnn-distill-stop.whittle.json', bytes: new TextEncoder().encode(JSON.stringify(pipeline)) });
      await openPipeline(page, path);
      await page.click(SEL.runButton);
      const training = await waitForTraining(page, 'the curve of s', (view) => view.panel?.variant === 's' && view.panel.status === 'training' && view.panel.lossPoints > 0);
      expect(training.runPhase).toBe('running');
      // A real click where the button is; not waiting for the panel to hold still (it redraws four times a second).
      await page.click(SEL.stopButton, { force: true });
      const done = await waitForTraining(page, 'the run to finish', (view) => view.runStatus === 'done' && view.runPhase === 'idle' && view.points.includes('s'));
      await studio.screenshot('distill-run-stopped');
      expect(done.panel).toMatchObject({ variant: 's', status: 'done', statusText: 'stopped early — kept the best checkpoint' });
      expect(Number(done.panel!.epoch!.split(' / ')[0])).toBeLessThan(10);
      expect(done.rows.find((row) => row.id === 's')!.status).toBe('done');
      expect(done.log.some((line) => line.includes('stopped early at your request'))).toBe(true);
    },
    RUN_WAIT_MS * 2,
  );
}, WAIT_MS * 10);
