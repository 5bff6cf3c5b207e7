// The kernels in a real browser: test pages bundled by Vite (e2e/support/testPageServer.ts) run in
// Debian's Chromium with --enable-unsafe-webgpu (a SwiftShader CPU adapter here), on the page and in
// a module worker. The WebGPU backend's WGSL gemm and conv2d, and the wasm backend fetched as a
// bundled asset, run on seeded random inputs and are compared in the browser with the JS reference
// (tolerances in e2e/support/kernelChecks.ts: |error| ≤ 1e-6 + 1e-5 · Σ|terms|). Where Chromium offers
// no WebGPU adapter the WebGPU test is skipped and says why — it never passes without running shaders.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BackendReport, KernelChecksReport } from './support/kernelChecks';
import { startTestPageServer, type TestPageServer } from './support/testPageServer';

const KERNEL_PAGES = { webgpuKernels: 'e2e/support/webgpuKernelsPage.html' } as const;
import { CHROMIUM_ARGS, CHROMIUM_PATH, WAIT_MS } from './support/studio';

let server: TestPageServer;
let profileDir: string;
let context: BrowserContext;
let page: Page;
let reports: KernelChecksReport[];
const pageProblems: string[] = [];

beforeAll(async () => {
  server = await startTestPageServer({ name: 'kernel-pages', pages: KERNEL_PAGES });
  profileDir = await mkdtemp(join(tmpdir(), 'whittle-webgpu-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'],
    headless: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => pageProblems.push(`uncaught page error: ${error.stack ?? error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) pageProblems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${server.url}${KERNEL_PAGES.webgpuKernels}`);
  await page.waitForFunction(() => typeof window.kernelChecks === 'function', undefined, { timeout: WAIT_MS });
  reports = await page.evaluate(() => window.kernelChecks());
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

function expectAllWithinTolerance(where: string, report: BackendReport & { available: true }): void {
  console.log(`${where}: ${report.description}`);
  for (const check of report.checks) console.log(`  ${check.kernel} ${check.label}: max error ${check.maxError.toExponential(2)}, ${(check.worstRatio * 100).toFixed(1)} % of tolerance`);
  expect(report.checks.filter((check) => check.kernel === 'gemm').length, where).toBeGreaterThanOrEqual(9);
  expect(report.checks.filter((check) => check.kernel !== 'gemm').length, where).toBeGreaterThanOrEqual(3);
  for (const check of report.checks) {
    expect(check.worstRatio, `${where}, ${check.kernel} ${check.label}: ${check.firstFailure}`).toBeLessThanOrEqual(1);
  }
}

it('the wasm kernels load from the bundle and agree with the JS reference, on the page and in a module worker', () => {
  expect(reports.map((report) => report.context)).toEqual(['page', 'worker']);
  for (const report of reports) {
    const wasm = report.wasm;
    if (!wasm.available) expect.fail(`wasm kernels did not load in the ${report.context}: ${wasm.reason}`);
    else expectAllWithinTolerance(`wasm in the ${report.context}`, wasm);
  }
  expect(pageProblems).toEqual([]);
});

it('WGSL gemm and conv2d agree with the JS reference, on the page and in a module worker', (test) => {
  const [onPage, inWorker] = reports as [KernelChecksReport, KernelChecksReport];
  if (!onPage.webgpu.available) {
    test.skip(`no WebGPU in this Chromium (${CHROMIUM_PATH} --enable-unsafe-webgpu): ${onPage.webgpu.reason}`);
    return;
  }
  expectAllWithinTolerance('WebGPU on the page', onPage.webgpu);
  // The training engine runs in a worker: where the page has WebGPU, the worker must have it too.
  if (!inWorker.webgpu.available) expect.fail(`WebGPU works on the page but not in a module worker: ${inWorker.webgpu.reason}`);
  else expectAllWithinTolerance('WebGPU in the worker', inWorker.webgpu);
  expect(pageProblems).toEqual([]);
});
