// The WGSL kernels in a real browser: Debian's Chromium with --enable-unsafe-webgpu (a SwiftShader
// CPU adapter here) runs the WebGPU backend's gemm and conv2d on seeded random inputs and compares
// them in the page with the JS reference (tolerances in e2e/support/webgpuKernelsPage.ts:
// |error| ≤ 1e-6 + 1e-5 · Σ|terms|). Where Chromium offers no adapter the test is skipped and says
// why — it never passes without having run the shaders.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKernelPageServer, type KernelPageServer } from './support/kernelPageServer';
import { CHROMIUM_ARGS, CHROMIUM_PATH, WAIT_MS } from './support/studio';
import type { KernelChecksReport } from './support/webgpuKernelsPage';

let server: KernelPageServer;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const pageProblems: string[] = [];

beforeAll(async () => {
  server = await startKernelPageServer();
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
  await page.goto(`${server.url}e2e/support/webgpuKernelsPage.html`);
  await page.waitForFunction(() => typeof window.webgpuKernelChecks === 'function', undefined, { timeout: WAIT_MS });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

it('WGSL gemm and conv2d agree with the JS reference in Chromium', async (test) => {
  const report: KernelChecksReport = await page.evaluate(() => window.webgpuKernelChecks());
  if (!report.available) {
    test.skip(`no WebGPU in this Chromium (${CHROMIUM_PATH} --enable-unsafe-webgpu): ${report.reason}`);
    return;
  }
  console.log(`WebGPU adapter: ${report.adapter}; other kernels delegated to ${report.delegate}`);
  for (const check of report.checks) console.log(`  ${check.kernel} ${check.label}: max error ${check.maxError.toExponential(2)}, ${(check.worstRatio * 100).toFixed(1)} % of tolerance`);
  expect(report.checks.filter((check) => check.kernel === 'gemm').length).toBeGreaterThanOrEqual(9);
  expect(report.checks.filter((check) => check.kernel === 'conv2d').length).toBeGreaterThanOrEqual(3);
  for (const check of report.checks) {
    expect(check.worstRatio, `${check.kernel} ${check.label}: ${check.firstFailure}`).toBeLessThanOrEqual(1);
  }
  // The delegate is the wasm backend, so kernels.wasm was fetched from our origin and ran in the page.
  expect(report.delegate).toBe('wasm');
  expect(pageProblems).toEqual([]);
});
