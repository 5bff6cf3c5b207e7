// `whittle eval`: the metrics of one model, through main() in-process, checked against ONNX Runtime.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../src/core/eval/datasets/arrayFile.js';
import { takeImageBatch } from '../src/core/eval/datasets/imageBatch.js';
import { ortAccuracy } from '../src/core/testing/bundledSamples.js';
import { whittleInProcess } from './testing/whittleInProcess.js';

const SAMPLES = fileURLToPath(new URL('../public/samples/', import.meta.url));
const NPZ = `${SAMPLES}fashion-mnist-test-500.npz`;
const MLP = `${SAMPLES}fashion-mlp.onnx`;

describe('whittle eval', () => {
  it('measures one model on a dataset file', async () => {
    const json = await whittleInProcess('eval', MLP, '--data', NPZ, '--json');
    expect(json.code).toBe(0);
    const payload = JSON.parse(json.stdout);
    expect(payload).toMatchObject({ type: 'whittle-eval', version: 1, model: 'fashion-mlp.onnx', dataset: 'fashion-mnist-test-500.npz', evaluation: 'fashion-mnist-test-500.npz: all 500 test images' });
    const data = loadArrayFileDataset(new Uint8Array(readFileSync(NPZ)), { fileName: 'test.npz', layout: 'nchw' });
    const batch = takeImageBatch(data.test, 0, 500);
    expect(payload.metrics).toMatchObject({ sizeBytes: readFileSync(MLP).length, params: 235_146, agreement: 1, sqnrDb: null });
    expect(payload.metrics.accuracy).toBe(await ortAccuracy(new Uint8Array(readFileSync(MLP)), { x: batch.x, y: batch.y!, shape: batch.shape }));

    const text = await whittleInProcess('eval', MLP, '--data', NPZ);
    expect(text.stdout).toMatch(/^model +fashion-mlp\.onnx\ndata +fashion-mnist-test-500\.npz: all 500 test images\nsize +919 KB\n/);
    expect(text.stdout).toContain(`\naccuracy  ${(payload.metrics.accuracy * 100).toFixed(2)} %\n`);
    expect(text.stdout).not.toMatch(/agreement|SQNR/); // trivially 1 and null for a model on its own
  });
});
