// The eval worker's evaluations, in Node: the same figures as the in-process services, the data
// description with its backend, and reference logits that belong to one dataset.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../../src/core/eval/datasets/arrayFile';
import { createInProcessServices } from '../../src/core/pipeline/executor/inProcessServices';
import { SAMPLES_DIRECTORY } from '../../src/core/testing/bundledSamples';
import type { DatasetSource } from '../protocol';
import { EngineModels } from './EngineModels';
import { Evaluator } from './Evaluator';
import type { CallContext } from './workerCalls';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const NPZ_NAME = 'fashion-mnist-test-500.npz';
const NPZ = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${NPZ_NAME}`));
const NPZ_SOURCE: DatasetSource = { kind: 'arrays', fileName: NPZ_NAME, bytes: NPZ, key: 'npz-500', layout: 'nchw' };
const SETTINGS = { latencyRuns: 2 };

function callContext(signal = new AbortController().signal): CallContext {
  return { signal, progress: () => undefined, stopRequested: () => false };
}

const control = () => ({ signal: new AbortController().signal, onProgress: () => undefined });

async function int4Model(): Promise<Uint8Array> {
  const engine = new EngineModels();
  await engine.put('m', MODEL, 'fashion-mlp.onnx', callContext());
  await engine.runPass({ inputKey: 'm', outputKey: 'q', type: 'quantize', params: { bits: 4, granularity: 'channel', groupSize: 32, symmetric: true, activations: 'none' } }, callContext());
  return engine.bytesCopy('q');
}

describe('Evaluator', () => {
  it('describes the data with the backend that evaluates, and keys it by data, settings and backend', async () => {
    const evaluator = new Evaluator();
    const description = await evaluator.setData(NPZ_SOURCE, { quick: true, latencyRuns: 2 });
    expect(description).toEqual({
      key: 'npz-500 quick=true latencyRuns=2 batch=default backend=wasm',
      description: `${NPZ_NAME}: all 500 test images (the split is no larger than the quick subset of 1,000); ONNX Runtime wasm, 1 thread (the page is not cross-origin isolated)`,
    });
  });

  it('gives the figures the in-process services give: accuracy, agreement and SQNR against the held reference', async () => {
    const evaluator = new Evaluator();
    await evaluator.setData(NPZ_SOURCE, SETTINGS);
    const inProcess = await createInProcessServices({ data: { dataset: loadArrayFileDataset(NPZ, { fileName: NPZ_NAME, layout: 'nchw' }), key: 'npz-500' }, evaluation: SETTINGS });
    const int4 = await int4Model();
    await inProcess.putModel({ key: 'm', bytes: MODEL });
    await inProcess.putModel({ key: 'q', bytes: int4 });

    const model = await evaluator.evaluate(MODEL, true, callContext());
    const expectedModel = await inProcess.evaluate({ key: 'm', reference: true }, control());
    expect({ ...model, latencyMs: null }).toEqual({ ...expectedModel, latencyMs: null });
    expect(model.accuracy).toBeGreaterThan(0.85);
    const quantized = await evaluator.evaluate(int4, false, callContext());
    const expectedQuantized = await inProcess.evaluate({ key: 'q', reference: false }, control());
    expect({ ...quantized, latencyMs: null }).toEqual({ ...expectedQuantized, latencyMs: null });
    expect(quantized.agreement).toBeGreaterThan(0.9);
    expect(quantized.agreement).toBeLessThan(1);
    expect(quantized.latencyMs).toBeGreaterThan(0);
  });

  it('needs data and a reference, and forgets the reference when the data changes', async () => {
    const evaluator = new Evaluator();
    await expect(evaluator.evaluate(MODEL, true, callContext())).rejects.toThrow('the evaluation worker has no dataset yet');
    await evaluator.setData(NPZ_SOURCE, SETTINGS);
    await expect(evaluator.evaluate(MODEL, false, callContext())).rejects.toThrow('no reference logits held');
    await evaluator.evaluate(MODEL, true, callContext());
    await expect(evaluator.evaluate(MODEL, false, callContext())).resolves.toMatchObject({ agreement: 1 });
    await evaluator.setData(NPZ_SOURCE, SETTINGS);
    await expect(evaluator.evaluate(MODEL, false, callContext())).rejects.toThrow('no reference logits held');
  });

  it('rejects data it cannot read with the reader\'s message, and a cancelled evaluation with an AbortError', async () => {
    const evaluator = new Evaluator();
    await expect(evaluator.setData({ ...NPZ_SOURCE, bytes: new Uint8Array(0), fileName: 'empty.npz' }, SETTINGS)).rejects.toMatchObject({
      name: 'DatasetError',
      message: 'empty.npz: is empty (0 bytes)',
    });
    await expect(evaluator.setData({ kind: 'sample', id: 'cifar-10', baseUrl: 'http://127.0.0.1/datasets/' }, SETTINGS)).rejects.toThrow(
      'cifar-10: is not a bundled sample dataset (samples: fashion-mnist, mnist)',
    );
    await evaluator.setData(NPZ_SOURCE, { latencyRuns: 200, batchSize: 100 });
    const controller = new AbortController();
    const call: CallContext = { signal: controller.signal, progress: (fraction) => (fraction > 0 ? controller.abort() : undefined), stopRequested: () => false };
    await expect(evaluator.evaluate(MODEL, true, call)).rejects.toMatchObject({ name: 'AbortError' });
  });
});
