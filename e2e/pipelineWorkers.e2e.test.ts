// Pipelines in the studio's workers, in Chromium: runPipeline on the worker services
// (src/app/pipeline/workerServices.ts) — the real engine and eval workers, bundled by Vite as in the
// studio, on a cross-origin isolated page (e2e/support/pipelineWorkersPage.ts) — runs a quantize
// sweep of the Fashion MLP on the bundled Fashion-MNIST (quick subset). Its figures must equal what
// the in-process services compute in Node for the same pipeline (same data, same ONNX Runtime build):
// sizes exactly, accuracy and agreement within 1e-9. Then the failure paths: a worker that dies in
// the middle of a run (silently, or with an uncaught error) fails only the variant it was working
// on, is restarted, and the run goes on; a cancelled run stops the very call in flight, inside the
// worker, and the services still work afterwards.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSampleDataset } from '../src/core/eval/datasets/sampleDatasets';
import { nodeDatasetFileReader } from '../src/core/eval/datasets/nodeDatasetFiles';
import { createInProcessServices } from '../src/core/pipeline/executor/inProcessServices';
import type { PipelineRun, VariantFailure, VariantOutcome } from '../src/core/pipeline/executor/PipelineEvent';
import { runPipeline } from '../src/core/pipeline/executor/runPipeline';
import { pipelineOf } from '../src/core/pipeline/testPipelines';
import { validateResults } from '../src/core/results/resultsContract';
import { SAMPLES_DIRECTORY } from '../src/core/testing/bundledSamples';
import type { EvaluationSettings } from '../workers/protocol';
import type { PageRunReport, PageRunRequest } from './support/pipelineWorkersPage';
import { startTestPageServer, type TestPageServer } from './support/testPageServer';

const PIPELINE_WORKERS_PAGE = 'e2e/support/pipelineWorkersPage.html';
import { CHROMIUM_ARGS, CHROMIUM_PATH, WAIT_MS } from './support/studio';

const SETTINGS: EvaluationSettings = { quick: true, latencyRuns: 3 };
const SWEEP = pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4] } }]);
const BASE_REQUEST = { pipeline: SWEEP, model: 'fashion-mlp', dataset: 'fashion-mnist', settings: SETTINGS } satisfies PageRunRequest;

let server: TestPageServer;
let profileDir: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
/** Page problems a test expects (a worker it crashed on purpose logs its error). */
let allowed: RegExp[] = [];
/** The in-process (Node) run of SWEEP: what the workers must reproduce. */
let reference: PipelineRun;

beforeAll(async () => {
  const [started, dataset] = await Promise.all([startTestPageServer({ name: 'pipeline-page', pages: { pipelineWorkers: PIPELINE_WORKERS_PAGE }, withPublic: true, crossOriginIsolated: true }), loadSampleDataset('fashion-mnist', nodeDatasetFileReader(), { splits: ['test'] })]);
  server = started;
  const inProcess = await createInProcessServices({ data: { dataset, key: 'sample:fashion-mnist' }, evaluation: SETTINGS, modelFileName: 'fashion-mlp.onnx' });
  reference = await runPipeline(SWEEP, { services: inProcess, model: new Uint8Array(await readFile(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`)) });

  profileDir = await mkdtemp(join(tmpdir(), 'whittle-pipeline-workers-'));
  context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => problems.push(`uncaught page error: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('crash', () => problems.push('the page crashed'));
  await page.goto(`${server.url}${PIPELINE_WORKERS_PAGE}`);
  await page.waitForFunction(() => typeof window.pipelineWorkers?.run === 'function', undefined, { timeout: WAIT_MS });
});

afterEach(() => {
  const unexpected = problems.filter((problem) => !allowed.some((pattern) => pattern.test(problem)));
  problems.length = 0;
  allowed = [];
  expect(unexpected, 'problems the page reported').toEqual([]);
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
});

async function runInPage(request: PageRunRequest): Promise<PageRunReport> {
  const started = performance.now();
  const report = await page.evaluate((r) => window.pipelineWorkers.run(r), request);
  console.log(`run took ${((performance.now() - started) / 1000).toFixed(1)} s: ${report.run.variants.map((v) => `${v.variant.id} ${v.status}`).join(', ')}`);
  return report;
}

const byId = (run: PipelineRun) => Object.fromEntries(run.variants.map((outcome) => [outcome.variant.id, outcome])) as Record<string, VariantOutcome>;

/** The figures of a worker run's variant equal the Node run's: sizes exactly, accuracy and agreement within 1e-9. */
function expectSameFiguresAsNode(outcome: VariantOutcome): void {
  const node = byId(reference)[outcome.variant.id]!;
  const where = `variant ${outcome.variant.id}`;
  const [browser, expected] = [outcome.metrics!, node.metrics!];
  expect({ sizeBytes: browser.sizeBytes, gzipBytes: browser.gzipBytes, params: browser.params, nonzeroParams: browser.nonzeroParams }, where).toEqual({
    sizeBytes: expected.sizeBytes,
    gzipBytes: expected.gzipBytes,
    params: expected.params,
    nonzeroParams: expected.nonzeroParams,
  });
  expect(Math.abs(browser.accuracy! - expected.accuracy!), `${where}: accuracy ${browser.accuracy} in the browser, ${expected.accuracy} in Node`).toBeLessThanOrEqual(1e-9);
  expect(Math.abs(browser.agreement! - expected.agreement!), `${where}: agreement`).toBeLessThanOrEqual(1e-9);
  if (expected.sqnrDb === null) expect(browser.sqnrDb).toBeNull();
  // The logits of two ORT builds of one wasm agree to float rounding; SQNR is a ratio of sums of them.
  else expect(Math.abs(browser.sqnrDb! - expected.sqnrDb!), `${where}: SQNR ${browser.sqnrDb} dB in the browser, ${expected.sqnrDb} dB in Node`).toBeLessThanOrEqual(1e-3);
  expect(browser.latencyMs, `${where}: latency`).toBeGreaterThan(0);
}

describe('pipelines in the studio workers', () => {
  it('run a quantize sweep with the figures the in-process services compute in Node, and say which backend evaluated', async () => {
    const report = await runInPage(BASE_REQUEST);
    const { run } = report;
    console.log(`data: ${report.data?.description}`);
    for (const outcome of run.variants) console.log(`  ${outcome.variant.id}: ${JSON.stringify(outcome.metrics)}`);
    for (const outcome of reference.variants) console.log(`  in Node, ${outcome.variant.id}: ${JSON.stringify(outcome.metrics)}`);

    expect(run.status).toBe('done');
    expect(run.variants.map((v) => [v.variant.id, v.status, v.message])).toEqual([
      ['model', 'done', null],
      ['q[bits=8]', 'done', null],
      ['q[bits=4]', 'done', null],
    ]);
    const checked = validateResults(run.results);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    const [model, int8, int4] = run.results!.variants.map((variant) => variant.metrics);
    expect(model!.accuracy).toBeGreaterThan(0.85);
    expect(int8!.accuracy).toBeGreaterThan(0.85);
    expect(int4!.accuracy).toBeGreaterThan(0.7);
    expect(int8!.agreement).toBeGreaterThan(0.97);
    expect(int4!.sizeBytes).toBeLessThan(int8!.sizeBytes);
    for (const outcome of run.variants) expectSameFiguresAsNode(outcome);

    // The page is cross-origin isolated, so ONNX Runtime runs wasm with threads (ort.ts: up to 4).
    expect(report.crossOriginIsolated).toBe(true);
    const threads = Math.max(1, Math.min(4, report.hardwareConcurrency));
    expect(report.data!.description).toContain('Fashion-MNIST: quick: 1,000 of 10,000 test images');
    expect(report.data!.description).toContain(`ONNX Runtime wasm, ${threads} thread${threads === 1 ? '' : 's'}`);
    expect(report.data!.key).toContain('backend=wasm');
    // Every working call answered: nothing crashed, nothing was cancelled.
    expect(report.calls.filter((call) => call.outcome !== 'ok')).toEqual([]);
  });

  it('restarts an engine that dies silently during the second variant: that variant fails, the others finish', async () => {
    const report = await runInPage({ ...BASE_REQUEST, crash: { service: 'engine', how: 'close', when: { variantId: 'model', status: 'built' } } });
    const { run } = report;
    const variants = byId(run);
    expect(run.status).toBe('done');
    expect(variants['q[bits=8]']!.status).toBe('failed');
    expect(variants['q[bits=8]']!.message).toMatch(/^node 'q' \(quantize\): the engine worker crashed \(it stopped without reporting an error.*\) while running its pass; the worker was restarted$/);
    expect(variants.model!.status).toBe('done');
    expect(variants['q[bits=4]']!.status).toBe('done');
    expect(run.notes).toContain('the engine worker crashed and was restarted');
    expectSameFiguresAsNode(variants.model!);
    expectSameFiguresAsNode(variants['q[bits=4]']!);
    expect(validateResults(run.results).ok).toBe(true);
    expect((run.results as { failures?: VariantFailure[] }).failures!.map((failure) => [failure.id, failure.status])).toEqual([['q[bits=8]', 'failed']]);
    // The pass that was running when the engine died is the call that reports the crash.
    const passes = report.calls.filter((call) => call.method === 'runPass');
    expect(passes[0]!.outcome).toMatchObject({ name: 'ServiceCrashError' });
    expect(passes.slice(1).every((call) => call.outcome === 'ok')).toBe(true);
  });

  it('restarts an evaluation worker that throws outside any call: that variant fails, the others finish', async () => {
    allowed = [/crash for test: the worker threw outside any call/];
    const report = await runInPage({ ...BASE_REQUEST, crash: { service: 'evaluator', how: 'throw', when: { variantId: 'q[bits=8]', status: 'built' } } });
    const { run } = report;
    const variants = byId(run);
    expect(run.status).toBe('done');
    expect(variants['q[bits=8]']!.status).toBe('failed');
    expect(variants['q[bits=8]']!.message).toMatch(
      /^node 'q' \(quantize\): the evaluation worker crashed \(it threw: .*crash for test: the worker threw outside any call\) while evaluating it; the worker was restarted$/,
    );
    expect(run.notes).toContain('the evaluation worker crashed and was restarted');
    // After the restart the reference logits are gone: the model is evaluated again before q[bits=4].
    const evaluations = report.calls.filter((call) => call.method === 'evaluate');
    expect(evaluations.map((call) => call.detail.endsWith('reference=true'))).toEqual([true, false, true, false]);
    expect(evaluations.map((call) => (call.outcome === 'ok' ? 'ok' : call.outcome.name))).toEqual(['ok', 'ServiceCrashError', 'ok', 'ok']);
    expectSameFiguresAsNode(variants.model!);
    expectSameFiguresAsNode(variants['q[bits=4]']!);
  });

  it('cancels an evaluation and a pass inside the workers, and the same services run again afterwards', async () => {
    // 20,000 latency runs (seconds of work) keep the model's evaluation busy long after the cancel is sent.
    const slow: PageRunRequest = { ...BASE_REQUEST, settings: { quick: true, latencyRuns: 20_000 }, cancel: { when: { variantId: 'model', status: 'running', stage: 'evaluate', above: 0 } } };
    const evaluation = await runInPage(slow);
    expect(evaluation.run.status).toBe('cancelled');
    expect(byId(evaluation.run).model!.status).toBe('cancelled');
    const cancelledEvaluation = evaluation.calls.find((call) => call.method === 'evaluate')!;
    expect(cancelledEvaluation.outcome).toMatchObject({ name: 'AbortError' });

    const clustering = pipelineOf([{ id: 'c', type: 'cluster', params: { clusters: 16 } }]);
    const pass = await runInPage({ ...BASE_REQUEST, reuseServices: true, pipeline: clustering, cancel: { when: { variantId: 'c', status: 'running', stage: 'build', above: 0 } } });
    expect(pass.run.status).toBe('cancelled');
    expect(byId(pass.run).c!.status).toBe('cancelled');
    expect(pass.calls.find((call) => call.method === 'runPass')!.outcome).toMatchObject({ name: 'PassCancelledError' });

    const again = await runInPage({ ...BASE_REQUEST, reuseServices: true });
    expect(again.run.variants.map((v) => v.status)).toEqual(['done', 'done', 'done']);
    for (const outcome of again.run.variants) expectSameFiguresAsNode(outcome);
  });
});
