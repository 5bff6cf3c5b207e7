// A pipeline run in the built studio, the way a user makes one: Debian's Chromium (playwright-core)
// opens the studio on its default sample (fashion-cnn), the pipeline file of the 12-variant sweep is
// opened through the pipeline panel's "Open…" input, and Run is clicked. Passes run in the engine
// worker and every variant is evaluated by ONNX Runtime Web in the eval worker on the whole
// Fashion-MNIST test split (10,000 images). Measured inside the page, from the click on Run:
// - when the first point lands on the Pareto chart (the baseline: the model's own evaluation) and
//   the first compressed variant's point,
// - when the run is done (the results panel says so),
// - every main-thread long task (PerformanceObserver 'longtask': tasks over 50 ms) in between.
// The first run of a session also sends the test split to the workers: that is in the figures, as
// a user waits for it too.
//
// WHITTLE_BENCH_DIST=path serves an existing build instead of building the studio (to compare two
// builds with the same runner).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { BENCH_OUT_DIR } from './largeModels.js';
import { PIPELINE_SWEEP, SWEEP_FILE_NAME, SWEEP_VARIANTS } from './pipelineSweep.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const VITE = join(REPO, 'node_modules/vite/bin/vite.js');
const DIST = join(BENCH_OUT_DIR, 'dist-pipeline');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const RUN_TIMEOUT_MS = 900_000;
const SELECTORS = {
  modelName: '[data-testid="model-name"]',
  runtimeBadge: '[data-testid="runtime-badge"]',
  pipelineInput: 'input[data-testid="open-pipeline-input"]',
  pipelineFile: '[data-testid="pipeline-file"]',
  runButton: '[data-testid="run-button"]',
  resultsPanel: '[data-testid="results-panel"]',
  point: '[data-testid="pareto-point"]',
} as const;

export interface StudioRunResult {
  build: string;
  variants: number;
  /** ms from the click on Run */
  firstPointMs: number;
  firstVariantPointMs: number;
  totalMs: number;
  points: number;
  longTasks: number[];
  longestTaskMs: number;
  /** The long tasks in which a point landed on the chart (the chart's redraw is in them). */
  landingTasks: number[];
  /** Tasks in which points landed, long or not. */
  landings: number;
  runtime: string;
}

export type StudioRunOutcome = StudioRunResult | { skipped: string };

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

async function waitForServer(url: string, server: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with code ${server.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer at ${url} within ${timeoutMs / 1000} s`);
}

interface PageRecord {
  clickedAt: number;
  firstPointAt: number;
  firstVariantPointAt: number;
  doneAt: number;
  points: number;
  longTasks: { start: number; duration: number }[];
  /** When a point was added to the chart (a MutationObserver callback runs at the end of the task that drew it). */
  landings: number[];
}

/** Installs the recorders: long tasks, and a frame-by-frame watch of the chart's points and the run's status. */
async function installRecorders(page: Page): Promise<void> {
  // tsx compiles with esbuild's keepNames, which wraps named functions in __name(): give the page one.
  await page.evaluate('window.__name = (target) => target');
  await page.evaluate((sel) => {
    const record: PageRecord = { clickedAt: 0, firstPointAt: 0, firstVariantPointAt: 0, doneAt: 0, points: 0, longTasks: [], landings: [] };
    (window as unknown as { __pipelineBench: PageRecord }).__pipelineBench = record;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) record.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
    // Capture on window runs before the app's own click handler starts the run.
    window.addEventListener('click', (event) => {
      if ((event.target as Element | null)?.closest(sel.runButton)) record.clickedAt ||= performance.now();
    }, { capture: true });
    new MutationObserver((mutations) => {
      const landed = mutations.some((mutation) => [...mutation.addedNodes].some((node) => node instanceof Element && (node.matches(sel.point) || node.querySelector(sel.point) !== null)));
      if (landed && record.clickedAt > 0) record.landings.push(performance.now());
    }).observe(document.body, { childList: true, subtree: true });
    const watch = () => {
      if (record.clickedAt > 0) {
        const points = document.querySelectorAll<SVGGElement>(sel.point);
        record.points = points.length;
        if (points.length > 0) record.firstPointAt ||= performance.now();
        if ([...points].some((point) => point.dataset.baseline === 'false')) record.firstVariantPointAt ||= performance.now();
        if (document.querySelector<HTMLElement>(sel.resultsPanel)?.dataset.runStatus === 'done') record.doneAt ||= performance.now();
      }
      // The chart draws from a deferred copy of the results: its last point may follow the status by a frame or two.
      if (record.doneAt === 0 || performance.now() - record.doneAt < 3_000) requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  }, SELECTORS);
}

export async function benchmarkPipelineInStudio(log: (line: string) => void): Promise<StudioRunOutcome> {
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} is missing (apt-get update && apt-get install -y chromium)` };
  let dist = DIST;
  if (process.env.WHITTLE_BENCH_DIST) {
    dist = resolve(REPO, process.env.WHITTLE_BENCH_DIST);
    log(`serving the existing build ${dist}`);
  } else {
    log('building the studio (vite build) ...');
    const build = spawnSync(process.execPath, [VITE, 'build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'], { cwd: REPO, encoding: 'utf8' });
    if (build.status !== 0) return { skipped: `vite build failed: ${(build.stderr || build.stdout).trim().split('\n').slice(-3).join(' ')}` };
  }
  const workDir = mkdtempSync(join(tmpdir(), 'whittle-pipeline-bench-'));
  const pipelinePath = join(workDir, SWEEP_FILE_NAME);
  writeFileSync(pipelinePath, JSON.stringify(PIPELINE_SWEEP, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(process.execPath, [VITE, 'preview', '--outDir', dist, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: REPO, stdio: 'ignore' });
  try {
    await waitForServer(url, server);
    const context = await chromium.launchPersistentContext(join(workDir, 'profile'), { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1440, height: 900 } });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught page error: ${error.message}`));
      await page.goto(url);
      await page.waitForFunction((sel) => document.querySelector(sel.modelName)?.textContent === 'fashion-cnn.onnx', SELECTORS, { timeout: 120_000 });
      // The model's one-off ONNX Runtime probe is not part of the run.
      await page.waitForFunction((sel) => {
        const backend = document.querySelector<HTMLElement>(sel.runtimeBadge)?.dataset.backend;
        return backend !== undefined && backend !== 'pending';
      }, SELECTORS, { timeout: 120_000 });
      const runtime = await page.$eval(SELECTORS.runtimeBadge, (badge) => (badge.textContent ?? '').replace(/\s+/g, ' ').trim());
      await page.setInputFiles(SELECTORS.pipelineInput, pipelinePath);
      await page.waitForFunction((args) => document.querySelector(args.sel.pipelineFile)?.textContent?.includes(args.name) === true, { sel: SELECTORS, name: SWEEP_FILE_NAME }, { timeout: 60_000 });
      // Let the page settle (layout of the new pipeline, idle callbacks) before the clock starts.
      await page.waitForTimeout(2_000);
      await installRecorders(page);
      log(`running ${SWEEP_VARIANTS} variants in the studio (engine and eval workers, whole test split) ...`);
      await page.click(SELECTORS.runButton);
      await page.waitForFunction(() => (window as unknown as { __pipelineBench: PageRecord }).__pipelineBench.doneAt > 0, undefined, { timeout: RUN_TIMEOUT_MS, polling: 1_000 });
      // Long-task entries are delivered a little after the task; the last point may land just after the status.
      await page.waitForTimeout(3_500);
      const record = await page.evaluate(() => (window as unknown as { __pipelineBench: PageRecord }).__pipelineBench);
      for (const problem of problems) log(problem);
      const inRun = record.longTasks.filter((task) => task.start + task.duration > record.clickedAt && task.start < record.doneAt + 3_000);
      const during = inRun.map((task) => Math.round(task.duration));
      const landing = inRun.filter((task) => record.landings.some((at) => at >= task.start && at <= task.start + task.duration + 1)).map((task) => Math.round(task.duration));
      return {
        build: dist === DIST ? 'built now' : dist,
        variants: SWEEP_VARIANTS,
        firstPointMs: record.firstPointAt - record.clickedAt,
        firstVariantPointMs: record.firstVariantPointAt - record.clickedAt,
        totalMs: record.doneAt - record.clickedAt,
        points: record.points,
        longTasks: during,
        longestTaskMs: Math.max(0, ...during),
        landingTasks: landing,
        landings: record.landings.length,
        runtime,
      };
    } finally {
      await context.close();
    }
  } finally {
    server.kill();
    rmSync(workDir, { recursive: true, force: true });
  }
}
