// Time from file drop to rendered graph in the built studio, in Debian's Chromium driven by
// playwright-core: build with Vite into bench/out/dist, serve it with `vite preview`, set a generated
// model on the open-file input, and time (inside the page) from the input's change event to the
// first animation frame where the graph view reports "ready" and the header shows the new file name.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { buildResidualChain, BENCH_OUT_DIR, writeGeneratedModel } from './largeModels.js';
import { median } from './measure.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const VITE = join(REPO, 'node_modules/vite/bin/vite.js');
const DIST = join(BENCH_OUT_DIR, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const SELECTORS = {
  fileInput: 'input[data-testid="open-file-input"]',
  graphView: '[data-testid="graph-view"]',
  modelName: '[data-testid="model-name"]',
};

export interface RenderRow {
  model: string;
  nodeCount: number;
  fileBytes: number;
  runsMs: number[];
  medianMs: number;
  /** Median time until the header showed the new file name (the model was decoded and summarised). */
  namedMedianMs: number;
  /** React Flow node elements in the DOM when the graph turned ready (the view may cull off-screen ones). */
  drawnNodes: number;
}

export type RenderResult = { rows: RenderRow[]; skipped?: undefined } | { rows: []; skipped: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
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

interface Drop {
  ms: number;
  namedMs: number;
  drawnNodes: number;
}

/** Opens the studio fresh and times one file drop. */
async function timeOneDrop(page: Page, url: string, modelPath: string): Promise<Drop> {
  await page.goto(url);
  await page.waitForSelector(SELECTORS.fileInput, { state: 'attached', timeout: 30_000 });
  const fileName = basename(modelPath);
  await page.evaluate(() => {
    const state = { start: 0, named: 0, end: 0, drawnNodes: 0 };
    (window as unknown as { __renderBench: typeof state }).__renderBench = state;
    // Capture on window runs before any of the app's own listeners see the change.
    window.addEventListener('change', () => (state.start = performance.now()), { capture: true, once: true });
  });
  await page.setInputFiles(SELECTORS.fileInput, modelPath);
  await page.waitForFunction(
    ({ selectors, fileName }) => {
      const state = (window as unknown as { __renderBench: { start: number; named: number; end: number; drawnNodes: number } }).__renderBench;
      const view = document.querySelector(selectors.graphView);
      const named = (document.querySelector(selectors.modelName)?.textContent ?? '').includes(fileName);
      if (named && !state.named) state.named = performance.now();
      const ready = named && view?.getAttribute('data-graph-status') === 'ready';
      if (ready && !state.end) {
        state.end = performance.now();
        state.drawnNodes = view!.querySelectorAll('.react-flow__node').length;
      }
      return ready;
    },
    { selectors: SELECTORS, fileName },
    { polling: 'raf', timeout: 120_000 },
  );
  return page.evaluate(() => {
    const { start, named, end, drawnNodes } = (window as unknown as { __renderBench: { start: number; named: number; end: number; drawnNodes: number } })
      .__renderBench;
    return { ms: end - start, namedMs: named - start, drawnNodes };
  });
}

export async function benchmarkGraphRender(log: (line: string) => void = () => {}, sizes = [1000, 3000], runs = 5): Promise<RenderResult> {
  if (!existsSync(CHROMIUM)) return { rows: [], skipped: `${CHROMIUM} is missing (apt-get update && apt-get install -y chromium)` };

  log('building the studio (vite build) ...');
  const build = spawnSync(process.execPath, [VITE, 'build', '--outDir', DIST, '--emptyOutDir', '--logLevel', 'warn'], { cwd: REPO, encoding: 'utf8' });
  if (build.status !== 0) return { rows: [], skipped: `vite build failed: ${(build.stderr || build.stdout).trim().split('\n').slice(-3).join(' ')}` };

  const models = sizes.map((n) => buildResidualChain(n));
  const paths = models.map(writeGeneratedModel);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(process.execPath, [VITE, 'preview', '--outDir', DIST, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: REPO, stdio: 'ignore' });
  const profile = mkdtempSync(join(tmpdir(), 'whittle-bench-chromium-'));
  try {
    await waitForServer(url, server);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1440, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const probe = await page.goto(url).then(() => page.waitForSelector(SELECTORS.fileInput, { state: 'attached', timeout: 15_000 }).then(() => true, () => false));
      if (!probe) return { rows: [], skipped: `the built studio has no ${SELECTORS.fileInput} yet` };
      const rows: RenderRow[] = [];
      for (const [i, model] of models.entries()) {
        log(`${model.name}: 1 warm-up + ${runs} timed drops ...`);
        await timeOneDrop(page, url, paths[i]!); // warm-up: browser caches, JIT
        const drops: Drop[] = [];
        for (let r = 0; r < runs; r++) drops.push(await timeOneDrop(page, url, paths[i]!));
        const runsMs = drops.map((d) => d.ms);
        const drawnNodes = drops[drops.length - 1]!.drawnNodes;
        rows.push({ model: model.name, nodeCount: model.nodeCount, fileBytes: model.bytes.length, runsMs, medianMs: median(runsMs), namedMedianMs: median(drops.map((d) => d.namedMs)), drawnNodes });
      }
      return { rows };
    } finally {
      await context.close();
    }
  } finally {
    server.kill();
    rmSync(profile, { recursive: true, force: true });
  }
}
