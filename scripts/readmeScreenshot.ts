// Takes the README's picture of the studio after a real run: builds nothing itself — serve a build
// (`npx vite build --outDir DIR`), then
//
//   npx tsx scripts/readmeScreenshot.ts [DIR] [--out docs/studio.png]
//
// It opens the studio through a share link of a pipeline on the bundled Fashion CNN (int8 per
// channel, a 4 / 3 / 2-bit sweep per channel, 50 % 2:4 pruning and a 0.5-width distilled student on
// 4,000 images), runs it on the full test split in the studio's own workers, selects the
// 4-bit point and photographs the page at 1600 × 1000. Nothing here is part of the test suite.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import { restorePipeline } from '../src/core/pipeline/restorePipeline.js';
import { encodeShareHash } from '../src/core/share/shareLink.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/support/studio.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outFile = resolve(repoRoot, outIndex >= 0 ? args[outIndex + 1]! : 'docs/studio.png');
const buildDir = resolve(repoRoot, args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--out') ?? 'dist');

const PIPELINE = {
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-cnn' },
  dataset: { sample: 'fashion-mnist' },
  nodes: [
    { id: 'model', type: 'model' },
    { id: 'int8', type: 'quantize', params: { bits: 8, granularity: 'channel' } },
    { id: 'lowbit', type: 'quantize', params: { bits: [4, 3, 2], granularity: 'channel' } },
    { id: 'sparse', type: 'prune', params: { sparsity: 0.5, pattern: '2:4' } },
    { id: 'student', type: 'distill', params: { student: { width: 0.5 }, epochs: 1, trainSamples: 4000 } },
  ],
  edges: [
    { source: 'model', target: 'int8' },
    { source: 'model', target: 'lowbit' },
    { source: 'model', target: 'sparse' },
    { source: 'model', target: 'student' },
  ],
};

async function main(): Promise<void> {
  const restored = restorePipeline(PIPELINE);
  if (!restored.ok) throw new Error(`the screenshot's pipeline does not restore: ${restored.errors.join('; ')}`);
  const link = encodeShareHash(restored.pipeline);
  if (!link.ok) throw new Error(link.errors.join('; '));

  const server = await preview({ root: repoRoot, configFile: resolve(repoRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: buildDir }, preview: { host: '127.0.0.1', port: 0, strictPort: true } });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') throw new Error('vite preview is not listening on a TCP port');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, colorScheme: 'light' });
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
    await page.goto(`http://127.0.0.1:${address.port}/${link.hash}`, { waitUntil: 'load' });
    await page.getByTestId('run-offer-run').click({ timeout: 120_000 });
    await page.waitForSelector('[data-testid="results-panel"][data-run-status="done"]', { timeout: 600_000 });
    const point = page.locator('[data-testid="pareto-point"][data-variant-id="lowbit[bits=4]"]');
    if ((await point.count()) > 0) await point.first().click();
    await page.mouse.move(1200, 300); // off the chart, so its tooltip does not cover the points
    await page.waitForTimeout(1500); // the chart's deferred redraw and the canvas's fit settle
    await mkdir(dirname(outFile), { recursive: true });
    await page.screenshot({ path: outFile });
    console.log(`wrote ${outFile}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
