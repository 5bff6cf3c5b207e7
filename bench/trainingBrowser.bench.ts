// Training throughput (samples/s) for fashion-cnn in Chromium: the page bench/browser/trainingPage.html,
// bundled by Vite exactly as the studio is (e2e/support/testPageServer.ts, with public/ for the
// Fashion-MNIST files and the studio's cross-origin isolation headers), runs in Debian's Chromium
// driven by playwright-core with --enable-unsafe-webgpu, and trains in a module worker with the JS
// reference, wasm SIMD and WebGPU kernels (bench/browser/trainingThroughput.ts). On this machine the
// only WebGPU adapter is SwiftShader, a CPU emulation: its figure says the path works, not how fast a
// GPU would be.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { KernelBackendName } from '../src/kernels/Kernels.js';
import { startTestPageServer } from '../e2e/support/testPageServer.js';
import { BATCH, TIMED_BUDGET_MS, TIMED_STEPS, WARMUP_STEPS, type BackendRow } from './browser/trainingThroughput.js';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** TOOLCHAIN.md's flags for this machine's Chromium, plus WebGPU. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'];
const BACKENDS: KernelBackendName[] = ['js', 'wasm', 'webgpu'];
const PAGES = { trainingBrowser: 'bench/browser/trainingPage.html' } as const;

export interface TrainingBrowserResult {
  model: string;
  browser: string;
  crossOriginIsolated: boolean;
  protocol: string;
  rows: BackendRow[];
  /** wasm ÷ JS reference samples/s, when both ran */
  wasmOverJs: number | null;
}

export async function benchmarkTrainingInBrowser(log: (line: string) => void): Promise<TrainingBrowserResult> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`apt-get update && apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  log('building the benchmark page with Vite…');
  const server = await startTestPageServer({ name: 'training-bench', pages: PAGES, withPublic: true, crossOriginIsolated: true });
  const profileDir = await mkdtemp(join(tmpdir(), 'whittle-training-bench-'));
  try {
    const context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
      });
      await page.goto(`${server.url}${PAGES.trainingBrowser}`);
      await page.waitForFunction(() => typeof window.trainingThroughput === 'function', undefined, { timeout: 120_000 });
      log(`training in a module worker: JS reference, wasm, WebGPU (${WARMUP_STEPS} warm-up + up to ${TIMED_STEPS} timed steps each; a few minutes)…`);
      const report = await page.evaluate((backends) => window.trainingThroughput(backends), BACKENDS);
      for (const problem of problems) log(problem);
      const rate = (name: string) => {
        const row = report.rows.find((r) => r.backend === name);
        return row?.available ? row.samplesPerSecond : null;
      };
      const js = rate('js');
      const wasm = rate('wasm');
      return {
        model: `fashion-cnn (Conv16-BN-Relu-Pool, Conv32-BN-Relu-Pool, Gemm128, Gemm10), real Fashion-MNIST training images, batch ${BATCH}, Adam; ${WARMUP_STEPS} warm-up steps, then ${TIMED_STEPS} timed (fewer if they pass ${TIMED_BUDGET_MS / 1000} s)`,
        browser: /(?:Headless)?Chrom(?:e|ium)\/[\d.]+/.exec(report.userAgent)?.[0] ?? report.userAgent,
        crossOriginIsolated: report.crossOriginIsolated,
        protocol: 'module worker, one thread',
        rows: report.rows,
        wasmOverJs: js && wasm ? wasm / js : null,
      };
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
    await rm(profileDir, { recursive: true, force: true });
  }
}
