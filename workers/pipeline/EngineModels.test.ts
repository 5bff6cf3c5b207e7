// The engine worker's models and passes, in Node: the same models and sizes as the in-process
// services (the CLI's), calibration loaded only for blocks that learn from data, and the errors and
// cancellation the executor relies on. Fashion MLP on the 500-image example .npz, so it runs in seconds.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createInProcessServices } from '../../src/core/pipeline/executor/inProcessServices';
import { loadArrayFileDataset } from '../../src/core/eval/datasets/arrayFile';
import { SAMPLES_DIRECTORY } from '../../src/core/testing/bundledSamples';
import type { DatasetSource } from '../protocol';
import { EngineModels } from './EngineModels';
import type { CallContext } from './workerCalls';

const MODEL = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}fashion-mlp.onnx`));
const NPZ_NAME = 'fashion-mnist-test-500.npz';
const NPZ = new Uint8Array(readFileSync(`${SAMPLES_DIRECTORY}${NPZ_NAME}`));
const NPZ_SOURCE: DatasetSource = { kind: 'arrays', fileName: NPZ_NAME, bytes: NPZ, key: 'npz-500', layout: 'nchw' };
const STATIC = { bits: 8, granularity: 'channel', groupSize: 32, symmetric: true, activations: 'static', calibration: 'minmax', calibrationSamples: 32 };

function callContext(signal = new AbortController().signal): CallContext & { reports: number[] } {
  const reports: number[] = [];
  return { signal, reports, progress: (fraction) => void reports.push(fraction), stopRequested: () => false };
}

/** Byte-for-byte equality without Vitest's element-by-element diff of a megabyte array. */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const control = () => ({ signal: new AbortController().signal, onProgress: () => undefined });

describe('EngineModels', () => {
  it('builds the same model files, sizes and notes as the in-process services', async () => {
    const engine = new EngineModels();
    engine.setData(NPZ_SOURCE);
    const inProcess = await createInProcessServices({ data: { dataset: loadArrayFileDataset(NPZ, { fileName: NPZ_NAME, layout: 'nchw' }), key: 'npz-500' }, modelFileName: 'fashion-mlp.onnx' });

    const put = await engine.put('m', MODEL, 'fashion-mlp.onnx', callContext());
    expect(put).toEqual(await inProcess.putModel({ key: 'm', bytes: MODEL }));
    for (const [outputKey, params] of [
      ['int4', { bits: 4, granularity: 'group', groupSize: 32, symmetric: true, activations: 'none' }],
      ['static', STATIC],
    ] as const) {
      const request = { inputKey: 'm', outputKey, type: 'quantize' as const, params };
      const call = callContext();
      const fromEngine = await engine.runPass(request, call);
      const fromInProcess = await inProcess.runPass(request, control());
      expect(fromEngine, outputKey).toEqual(fromInProcess);
      expect(sameBytes(engine.bytesCopy(outputKey), await inProcess.modelBytes(outputKey)), `${outputKey}: same file`).toBe(true);
      expect(call.reports.at(-1), `${outputKey}: progress ends at 1`).toBe(1);
    }
    // The data has no train split, and the note says that calibration used the test split.
    expect((await engine.runPass({ inputKey: 'm', outputKey: 's2', type: 'quantize', params: STATIC }, callContext())).notes).toEqual([
      `calibrated on the test split: ${NPZ_NAME} has no train split, so accuracy is measured on the images the ranges were chosen from`,
    ]);
  });

  it('gives away copies: the held model survives the caller taking (transferring) what it got', async () => {
    const engine = new EngineModels();
    await engine.put('m', MODEL, 'fashion-mlp.onnx', callContext());
    const copy = engine.bytesCopy('m');
    copy.fill(0);
    expect(sameBytes(engine.bytesCopy('m'), MODEL)).toBe(true);
  });

  it('fails clearly: unknown keys, a training block without data, static calibration without data, a file that is no model', async () => {
    const engine = new EngineModels();
    await engine.put('m', MODEL, 'fashion-mlp.onnx', callContext());
    expect(() => engine.bytesCopy('0123456789abcdef')).toThrow('no model is held under key 0123456789ab…; put it or build it first');
    await expect(engine.runPass({ inputKey: 'missing', outputKey: 'x', type: 'quantize', params: { bits: 8 } }, callContext())).rejects.toThrow('no model is held under key missing');
    await expect(engine.runPass({ inputKey: 'm', outputKey: 'x', type: 'distill', params: {} }, callContext())).rejects.toMatchObject({
      name: 'PassError',
      message: expect.stringContaining('distill: needs data to train on'),
    });
    await expect(engine.runPass({ inputKey: 'm', outputKey: 'x', type: 'quantize', params: STATIC }, callContext())).rejects.toThrow('static activation quantization needs a calibration dataset');
    await expect(engine.put('bad', new TextEncoder().encode('not a model'), 'notes.onnx', callContext())).rejects.toThrow(/^notes\.onnx/);
  });

  it('reports a dataset that cannot be read when a calibrating pass needs it, and tries again on the next one', async () => {
    const engine = new EngineModels();
    await engine.put('m', MODEL, 'fashion-mlp.onnx', callContext());
    engine.setData({ ...NPZ_SOURCE, bytes: NPZ.subarray(0, 100), fileName: 'cut.npz' });
    const weightsOnly = await engine.runPass({ inputKey: 'm', outputKey: 'w', type: 'quantize', params: { bits: 8 } }, callContext());
    expect(weightsOnly.notes).toEqual([]); // a weights-only pass never reads the data
    await expect(engine.runPass({ inputKey: 'm', outputKey: 's', type: 'quantize', params: STATIC }, callContext())).rejects.toMatchObject({ name: 'DatasetError', message: expect.stringMatching(/^cut\.npz/) });
    engine.setData(NPZ_SOURCE);
    await expect(engine.runPass({ inputKey: 'm', outputKey: 's', type: 'quantize', params: STATIC }, callContext())).resolves.toMatchObject({ key: 's' });
  });

  it('stops a pass when its signal fires', async () => {
    const engine = new EngineModels();
    await engine.put('m', MODEL, 'fashion-mlp.onnx', callContext());
    const controller = new AbortController();
    const call: CallContext = {
      signal: controller.signal,
      stopRequested: () => false,
      progress: (fraction) => {
        if (fraction > 0) controller.abort();
      },
    };
    await expect(engine.runPass({ inputKey: 'm', outputKey: 'c', type: 'cluster', params: { clusters: 16 } }, call)).rejects.toMatchObject({ name: 'PassCancelledError' });
    expect(() => engine.bytesCopy('c')).toThrow('no model is held');
  });
});
