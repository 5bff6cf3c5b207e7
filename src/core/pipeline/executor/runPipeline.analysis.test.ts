// The analysing blocks (sensitivity, auto) in the executor, on FakeServices with made-up per-layer
// accuracies: what they build and evaluate, their events and results, the cache, cancellation in
// the middle of an analysis, crashes, and auto's pipeline fragment run as an ordinary pipeline.
import { describe, expect, it } from 'vitest';
import type { AutoSearchResult, SensitivityAnalysis } from '../../analysis/BlockAnalysis.js';
import { replaceNodeWithFragment } from '../../analysis/pipelineFragment.js';
import { threeLayerModel } from '../../analysis/testing/threeLayerModel.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { validateResults } from '../../results/resultsContract.js';
import type { PipelineSpec } from '../pipelineSpec.js';
import { restorePipeline } from '../restorePipeline.js';
import { pipelineOf } from '../testPipelines.js';
import { PipelineCache } from './PipelineCache.js';
import type { AnalysisEvent, PipelineEvent, PipelineRun, VariantEvent } from './PipelineEvent.js';
import { runPipeline } from './runPipeline.js';
import { FakeServices, type FakeServicesOptions } from './testing/FakeServices.js';

const MODEL = encodeModel(threeLayerModel());

/** fc1 is robust, fc2 big and sensitive below 8 bits, fc3 small and sensitive. */
const LAYERS: FakeServicesOptions['layers'] = {
  fc1: { bytes: 40_000, quantizeDrop: { 8: 0, 4: 0.25, 2: 0.5 }, pruneDrop: 0.5 },
  fc2: { bytes: 80_000, quantizeDrop: { 8: 0.125, 4: 0.75, 2: 3 }, pruneDrop: 1 },
  fc3: { bytes: 4_000, quantizeDrop: { 8: 0.25, 4: 2, 2: 6 }, pruneDrop: 0.25 },
};
const FIXED = 10_000;
const INPUT_BYTES = FIXED + 40_000 + 80_000 + 4_000;

function fakes(options: { data?: boolean; compounding?: number; dataKey?: string } = {}): FakeServices {
  const data = options.data === false ? null : { key: options.dataKey ?? 'fake-data', description: 'fake data' };
  return new FakeServices(data, { layers: LAYERS, compounding: options.compounding });
}

async function run(pipeline: PipelineSpec, services: FakeServices, options: { cache?: PipelineCache; signal?: AbortSignal } = {}) {
  const events: PipelineEvent[] = [];
  const result = await runPipeline(pipeline, { services, model: MODEL, onEvent: (event) => events.push(event), ...options });
  return { run: result, events };
}

const statuses = (run: PipelineRun) => Object.fromEntries(run.variants.map((v) => [v.variant.id, v.status]));
const outcome = (run: PipelineRun, id: string) => run.variants.find((v) => v.variant.id === id)!;
const analysisEvents = (events: PipelineEvent[]) => events.filter((e): e is AnalysisEvent => e.type === 'analysis');
const passLayers = (services: FakeServices) => services.callsOf('runPass').map((p) => `${p.type}${p.params.bits ?? ''}:${(p.params.layers as string[] | undefined)?.join('+') ?? 'all'}`);

describe('sensitivity in the executor', () => {
  const pipeline = (params: Record<string, unknown> = {}) =>
    pipelineOf([
      { id: 's', type: 'sensitivity', params },
      { id: 'q', type: 'quantize', params: { bits: 8 } },
    ]);

  it('measures every layer alone against its input, passes the input through, and reports a table', async () => {
    const services = fakes();
    const { run: result, events } = await run(pipeline(), services);

    expect(statuses(result)).toEqual({ model: 'done', s: 'done', q: 'done' });
    expect(passLayers(services)).toEqual(['quantize4:fc1', 'quantize4:fc2', 'quantize4:fc3', 'quantize8:all']);
    // The block's output is its input: same key, same figures; q is built from the model.
    const [model, s, q] = ['model', 's', 'q'].map((id) => outcome(result, id));
    expect(s!.key).toBe(model!.key);
    expect(s!.metrics).toEqual({ ...model!.metrics, agreement: 1, sqnrDb: 200 });
    expect(services.callsOf('runPass').at(-1)!.inputKey).toBe(model!.key);
    expect(q!.metrics!.accuracy).toBeCloseTo(0.9 - (0 + 0.125 + 0.25) / 100, 10);

    const [found] = analysisEvents(events);
    expect(found).toMatchObject({ variantId: 's', nodeId: 's', cached: false });
    const analysis = found!.analysis as SensitivityAnalysis;
    expect(analysis).toMatchObject({ kind: 'sensitivity', mode: 'quantize', bits: 4, input: { variantId: 'model', accuracy: 0.9, sizeBytes: INPUT_BYTES }, skipped: [] });
    expect(analysis.layers.map((row) => [row.layer, row.opType, row.params, row.drop, row.sizeBytes])).toEqual([
      ['fc1', 'Gemm', 144, 0.25, INPUT_BYTES - 35_000],
      ['fc2', 'MatMul', 256, 0.75, INPUT_BYTES - 70_000],
      ['fc3', 'Gemm', 64, 2, INPUT_BYTES - 3_500],
    ]);
    expect(analysis.layers[2]).toMatchObject({ agreement: 0.99, sqnrDb: 38 });
    // Candidates are evaluated for accuracy only: no latency runs.
    expect(services.callsOf('evaluate').map((call) => [call.reference, call.latency])).toEqual([
      [true, undefined],
      [false, false],
      [false, false],
      [false, false],
      [false, undefined],
    ]);
    expect(s!.analysis).toEqual(analysis);

    // The analysis is reported before the variant is built, with progress per layer on the way.
    const sEvents = events.filter((e): e is VariantEvent | AnalysisEvent => (e.type === 'variant' || e.type === 'analysis') && e.variantId === 's');
    const messages = sEvents.flatMap((e) => (e.type === 'variant' && e.status === 'running' && e.message ? [e.message] : []));
    expect(messages).toEqual(expect.arrayContaining(['layer fc1 (1 of 3): 4-bit', 'layer fc2 (2 of 3): 4-bit', 'layer fc3 (3 of 3): 4-bit']));
    const order = sEvents.map((e) => (e.type === 'analysis' ? 'analysis' : e.status));
    expect(order.indexOf('analysis')).toBeLessThan(order.indexOf('built'));
    expect(order.at(-1)).toBe('done');

    // The results document carries the table on s's variant, and stays valid.
    const checked = validateResults(JSON.parse(JSON.stringify(result.results)));
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(result.results!.variants[1]!.sensitivity).toEqual(analysis);
    expect(result.results!.variants[2]!.sensitivity).toBeUndefined();
  });

  it('prunes instead in prune mode, and follows the block\'s scope', async () => {
    const services = fakes();
    const { run: result } = await run(pipeline({ mode: 'prune', sparsity: 0.75, exclude: ['fc2'] }), services);
    expect(passLayers(services).slice(0, 2)).toEqual(['prune:fc1', 'prune:fc3']);
    expect(services.callsOf('runPass')[0]!.params).toMatchObject({ sparsity: 0.75, pattern: 'unstructured' });
    const analysis = outcome(result, 's').analysis as SensitivityAnalysis;
    expect(analysis.layers.map((row) => [row.layer, row.drop])).toEqual([
      ['fc1', 0.5],
      ['fc3', 0.25],
    ]);
  });

  it('measures against its input when that is not the model, and later variants still compare with the model', async () => {
    const services = fakes();
    const { run: result } = await run(
      pipelineOf([
        { id: 'p', type: 'prune', params: { layers: ['fc3'] } },
        { id: 's', type: 'sensitivity' },
        { id: 'q', type: 'quantize', params: { bits: 8, layers: ['fc1'] } },
      ]),
      services,
    );
    expect(statuses(result)).toEqual({ model: 'done', p: 'done', s: 'done', q: 'done' });
    const analysis = outcome(result, 's').analysis as SensitivityAnalysis;
    expect(analysis.input).toEqual({ variantId: 'p', accuracy: 0.9 - 0.0025, sizeBytes: INPUT_BYTES });
    // fc3 is pruned in p already: quantizing it too loses 2 more points (the fake adds drops).
    expect(analysis.layers.map((row) => row.drop)).toEqual([0.25, 0.75, 2]);
    // Agreement and SQNR against p, not the model: fc1 alone moves the output by 0.25 points.
    expect(analysis.layers[0]).toMatchObject({ agreement: 1 - 0.25 / 200, sqnrDb: 40 - 0.25 });
    // The evaluator took p as its reference for the analysis, then the model again for q.
    expect(services.callsOf('evaluate').map((call) => (call.reference ? `ref ${call.key === outcome(result, 'p').key ? 'p' : 'model'}` : 'eval'))).toEqual([
      'ref model',
      'eval', // p
      'ref p',
      'eval',
      'eval',
      'eval',
      'ref model',
      'eval', // q
    ]);
    expect(outcome(result, 'q').metrics).toMatchObject({ agreement: 1 - 0.25 / 200, sqnrDb: 40 - 0.25 });
  });

  it('fails without data, naming what it needs; its descendants are skipped', async () => {
    const services = fakes({ data: false });
    const { run: result } = await run(pipeline(), services);
    expect(statuses(result)).toEqual({ model: 'done', s: 'failed', q: 'skipped' });
    expect(outcome(result, 's').message).toBe("node 's' (sensitivity): needs data to measure each layer's accuracy drop; run the pipeline with a dataset (the CLI's --data D.npz)");
    expect(services.callsOf('runPass')).toEqual([]);
  });

  it('a misspelt layer in its scope fails the block with the scope\'s message', async () => {
    const { run: result } = await run(pipeline({ layers: ['fc9'] }), fakes());
    expect(outcome(result, 's').message).toMatch(/^node 's' \(sensitivity\): layers names 'fc9', which is not a layer of this model/);
  });

  it('is cached by input, params and data: nothing runs again, an edit downstream runs only that', async () => {
    const services = fakes();
    const cache = new PipelineCache();
    const first = await run(pipeline(), services, { cache });
    services.calls.length = 0;

    const again = await run(pipeline(), services, { cache });
    expect(services.calls).toEqual([]);
    expect(analysisEvents(again.events)).toEqual([{ ...analysisEvents(first.events)[0]!, cached: true }]);
    expect(again.run.results).toEqual(first.run.results);

    const downstream = pipelineOf([{ id: 's', type: 'sensitivity' }, { id: 'q', type: 'quantize', params: { bits: 4 } }]);
    await run(downstream, services, { cache });
    expect(passLayers(services)).toEqual(['quantize4:all']);

    // Other bits: measured again — but a layer measured before (fc1 at 4 bits, as q's input) is not.
    services.calls.length = 0;
    await run(pipeline({ bits: 2 }), services, { cache });
    expect(passLayers(services)).toEqual(['quantize2:fc1', 'quantize2:fc2', 'quantize2:fc3']);

    // Other data: everything is measured again.
    const otherData = fakes({ dataKey: 'other-data' });
    const fresh = new PipelineCache();
    await run(pipeline(), otherData, { cache: fresh });
    expect(passLayers(otherData)).toHaveLength(4);
  });

  it('stops in the middle of the analysis when cancelled, and a rerun picks up the layers already measured', async () => {
    const services = fakes();
    const cache = new PipelineCache();
    const controller = new AbortController();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    services.hook = (call) => {
      if (call.method === 'runPass' && (call.params.layers as string[] | undefined)?.[0] === 'fc2') {
        controller.abort();
        return { holdUntil: held };
      }
      return 'run';
    };
    const { run: result, events } = await run(pipeline(), services, { cache, signal: controller.signal });
    const callsAtEnd = services.calls.length;
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));

    expect(result.status).toBe('cancelled');
    expect(statuses(result)).toEqual({ model: 'done', s: 'cancelled', q: 'cancelled' });
    expect(services.calls.length).toBe(callsAtEnd);
    expect(passLayers(services)).toEqual(['quantize4:fc1', 'quantize4:fc2']);
    expect(analysisEvents(events)).toEqual([]);
    expect(result.results!.variants.map((v) => v.id)).toEqual(['model']);

    services.hook = () => 'run';
    services.calls.length = 0;
    const rerun = await run(pipeline(), services, { cache });
    expect(statuses(rerun.run)).toEqual({ model: 'done', s: 'done', q: 'done' });
    expect(passLayers(services)).toEqual(['quantize4:fc2', 'quantize4:fc3', 'quantize8:all']);
  });

  it('a crash while analysing fails the block and restarts the worker; the rest goes on', async () => {
    const services = fakes();
    services.hook = (call) => (call.method === 'runPass' && (call.params.layers as string[] | undefined)?.[0] === 'fc2' ? 'crash' : 'run');
    const { run: result } = await run(
      pipelineOf([{ id: 's', type: 'sensitivity' }, { id: 'q', type: 'quantize', params: { bits: 8 } }], [['model', 's'], ['model', 'q']]),
      services,
    );
    expect(statuses(result)).toEqual({ model: 'done', s: 'failed', q: 'done' });
    expect(outcome(result, 's').message).toBe("node 's' (sensitivity): the engine worker crashed (worker terminated) while analysing; the worker was restarted");
    expect(services.callsOf('restart')).toEqual([{ method: 'restart', service: 'engine' }]);
    expect(outcome(result, 's').analysis).toBeUndefined();
  });
});

describe('auto in the executor', () => {
  const pipeline = (maxDrop = 1) =>
    pipelineOf([
      { id: 'a', type: 'auto', params: { maxDrop } },
      { id: 'p', type: 'prune', params: { sparsity: 0.5, layers: ['fc1'] } },
    ]);

  it('chooses per-layer bits within maxDrop, verifies them, and makes the chosen model its output', async () => {
    // Errors compound (1.5× the sum): the first choice is over the bound and is backed off.
    const services = fakes({ compounding: 1.5 });
    const { run: result, events } = await run(pipeline(), services);
    expect(statuses(result)).toEqual({ model: 'done', a: 'done', p: 'done' });

    const found = analysisEvents(events)[0]!;
    const auto = found.analysis as AutoSearchResult;
    // Greedy by bytes per point within 1 point estimated: fc1 and fc2 at 4 bits (0.25 + 0.75);
    // really 1.5 × 1.0 = 1.5, so fc2 — the most sensitive — goes back to 8 bits: 1.5 × 0.375.
    // With room left, further moves are tried one at a time: fc3 at 8 bits fits. fc2 at 4 bits does
    // not, nor with fc1 raised to make room (fc3 back in float gives {fc1: 4, fc2: 4}, tried already);
    // fc1 at 2 bits does not, and making room for it would leave nothing smaller.
    expect(auto.attempts.map((attempt) => [attempt.bits, attempt.accepted, attempt.drop])).toEqual([
      [{ fc1: 4, fc2: 4 }, false, 1.5],
      [{ fc1: 4, fc2: 8 }, true, 0.5625],
      [{ fc1: 4, fc2: 8, fc3: 8 }, true, 0.9375],
      [{ fc1: 4, fc2: 4, fc3: 8 }, false, 1.875],
      [{ fc1: 8, fc2: 4 }, false, 1.125],
      [{ fc1: 2, fc2: 8, fc3: 8 }, false, 1.3125],
    ]);
    expect(auto.layers.map((layer) => [layer.layer, layer.bits])).toEqual([
      ['fc1', 4],
      ['fc2', 8],
      ['fc3', 8],
    ]);
    expect(auto.chosen).toMatchObject({ drop: 0.9375, sizeBytes: FIXED + 5_000 + 20_000 + 1_000 });
    expect(auto.measurements.map((m) => `${m.layer}@${m.bits}`)).toEqual(['fc1@8', 'fc1@4', 'fc1@2', 'fc2@8', 'fc2@4', 'fc2@2', 'fc3@8', 'fc3@4']);
    expect(auto.pipeline).toEqual({
      input: 'model',
      output: 'a-q4',
      nodes: [
        { id: 'a-q8', type: 'quantize', params: { bits: 8, layers: ['fc2', 'fc3'] } },
        { id: 'a-q4', type: 'quantize', params: { bits: 4, layers: ['fc1'] } },
      ],
      edges: [
        { source: 'model', target: 'a-q8' },
        { source: 'a-q8', target: 'a-q4' },
      ],
    });
    expect(auto.converged).toBe(true);
    expect(auto.chosen.drop).toBeLessThanOrEqual(1);

    // The auto variant is that model: its figures are the verified candidate's, its key the chain's.
    const a = outcome(result, 'a');
    expect(a.metrics!.accuracy).toBeCloseTo(0.9 - auto.chosen.drop / 100, 10);
    expect(a.metrics!.sizeBytes).toBe(auto.chosen.sizeBytes);
    expect(auto.chosen.sizeBytes).toBeLessThan(INPUT_BYTES);
    // p is built from it.
    const prune = services.callsOf('runPass').find((call) => call.type === 'prune')!;
    expect(prune.inputKey).toBe(a.key);
    expect(result.results!.variants[1]!.auto).toEqual(auto);
    expect(validateResults(JSON.parse(JSON.stringify(result.results))).ok).toBe(true);
  });

  it('gives a fragment that, run as an ordinary pipeline, makes the same model under the same key', async () => {
    const services = fakes({ compounding: 1.5 });
    const { run: result } = await run(pipeline(), services);
    const auto = outcome(result, 'a').analysis as AutoSearchResult;

    const replaced = replaceNodeWithFragment(pipeline(), 'a', auto.pipeline);
    const restored = restorePipeline(JSON.parse(JSON.stringify(replaced)));
    if (!restored.ok) throw new Error(restored.errors.join('; '));
    const again = await run(restored.pipeline, fakes({ compounding: 1.5 }));
    expect(again.run.variants.map((v) => [v.variant.id, v.status])).toEqual([
      ['model', 'done'],
      ['a-q8', 'done'],
      ['a-q4', 'done'],
      ['p', 'done'],
    ]);
    expect(outcome(again.run, 'a-q4').key).toBe(outcome(result, 'a').key);
    expect(outcome(again.run, 'a-q4').metrics).toEqual(outcome(result, 'a').metrics);
    // What follows the auto block is keyed the same either way.
    expect(outcome(again.run, 'p').key).toBe(outcome(result, 'p').key);
    expect(outcome(again.run, 'p').metrics).toEqual(outcome(result, 'p').metrics);
  });

  it('is cached: a second run measures nothing; a new maxDrop searches again, reusing the layers measured', async () => {
    const services = fakes({ compounding: 1.5 });
    const cache = new PipelineCache();
    const first = await run(pipeline(), services, { cache });
    services.calls.length = 0;
    const again = await run(pipeline(), services, { cache });
    expect(services.calls).toEqual([]);
    expect(analysisEvents(again.events).map((e) => e.cached)).toEqual([true]);
    expect(again.run.results).toEqual(first.run.results);
    expect(again.run.variants.map((v) => v.key)).toEqual(first.run.variants.map((v) => v.key));

    const looser = await run(pipeline(3), services, { cache });
    const auto = outcome(looser.run, 'a').analysis as AutoSearchResult;
    expect(auto.chosen.drop).toBeLessThanOrEqual(3);
    // Only what 3 points newly allows is measured (fc3 at 2 bits), then the candidates.
    const measuredAlone = services.callsOf('runPass').filter((call) => (call.params.layers as string[] | undefined)?.length === 1 && call.inputKey === outcome(first.run, 'model').key);
    expect(measuredAlone.map((call) => `${(call.params.layers as string[])[0]}@${call.params.bits}`)).toEqual(['fc3@2']);
  });

  it('keeps the input, under the input\'s key, when nothing fits', async () => {
    // Over 0.1 points at 8 bits, fc2 and fc3 fall back to float16, which loses nothing here.
    const { run: result } = await run(pipeline(0.1), fakes());
    expect((outcome(result, 'a').analysis as AutoSearchResult).layers.map((layer) => layer.bits)).toEqual([8, 16, 16]);

    const fragile = { ...LAYERS!.fc3!, quantizeDrop: { ...LAYERS!.fc3!.quantizeDrop, 16: 0.5 } };
    const services = new FakeServices({ key: 'fake-data', description: 'fake data' }, { layers: { ...LAYERS, fc3: fragile } });
    const none = await run(pipelineOf([{ id: 'a', type: 'auto', params: { maxDrop: 0.1, layers: ['fc3'] } }]), services);
    const kept = outcome(none.run, 'a');
    expect((kept.analysis as AutoSearchResult).notes).toEqual(['no layer could be quantized within 0.1 points; the output is the input unchanged']);
    expect(kept.key).toBe(outcome(none.run, 'model').key);
    expect(kept.metrics).toMatchObject({ accuracy: 0.9, agreement: 1, sqnrDb: 200 });
  });

  it('stops when cancelled during a verification, with nothing started after', async () => {
    const services = fakes({ compounding: 1.5 });
    const controller = new AbortController();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    services.hook = (call) => {
      if (call.method === 'evaluate' && !call.reference && services.callsOf('evaluate').length === 10) {
        controller.abort();
        return { holdUntil: held };
      }
      return 'run';
    };
    const { run: result, events } = await run(pipeline(), services, { signal: controller.signal });
    const callsAtEnd = services.calls.length;
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(statuses(result)).toEqual({ model: 'done', a: 'cancelled', p: 'cancelled' });
    expect(services.calls.length).toBe(callsAtEnd);
    expect(analysisEvents(events)).toEqual([]);
  });

  it('fails without data, and without labels it cannot bound a drop', async () => {
    const { run: result } = await run(pipeline(), fakes({ data: false }));
    expect(statuses(result)).toEqual({ model: 'done', a: 'failed', p: 'skipped' });
    expect(outcome(result, 'a').message).toBe("node 'a' (auto): needs data to measure the accuracy of its candidates; run the pipeline with a dataset (the CLI's --data D.npz)");
  });

  it('chains with other analysing blocks: a sensitivity after auto measures auto\'s model', async () => {
    const services = fakes();
    const { run: result } = await run(
      pipelineOf([
        { id: 's0', type: 'sensitivity' },
        { id: 'a', type: 'auto', params: { maxDrop: 1 } },
        { id: 's', type: 'sensitivity', params: { bits: 2 } },
      ]),
      services,
    );
    expect(statuses(result)).toEqual({ model: 'done', s0: 'done', a: 'done', s: 'done' });
    const a = outcome(result, 'a');
    const auto = a.analysis as AutoSearchResult;
    expect(auto.input).toMatchObject({ variantId: 's0', accuracy: 0.9, sizeBytes: INPUT_BYTES });
    const after = outcome(result, 's');
    expect(after.key).toBe(a.key);
    expect(after.metrics).toEqual(a.metrics);
    const analysis = after.analysis as SensitivityAnalysis;
    expect(analysis.input).toEqual({ variantId: 'a', accuracy: a.metrics!.accuracy, sizeBytes: a.metrics!.sizeBytes });
    // Layers auto quantized keep their bits in the fake; the one it left in float loses its 2-bit drop.
    const float = auto.layers.filter((layer) => layer.bits === null).map((layer) => layer.layer);
    expect(float).toEqual(['fc3']);
    for (const row of analysis.layers) expect(row.drop).toBeCloseTo(float.includes(row.layer) ? LAYERS![row.layer]!.quantizeDrop[2]! : 0, 10);
  });
});
