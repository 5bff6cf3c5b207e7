// `whittle run`: one sweep end to end through the real shim (`node cli/whittle.mjs`, what `npx
// whittle` runs), checked against the results contract and re-measured in ONNX Runtime; runs
// without data, with a failing block and with hashed file refs through main() in-process.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadArrayFileDataset } from '../src/core/eval/datasets/arrayFile.js';
import { takeImageBatch } from '../src/core/eval/datasets/imageBatch.js';
import { sha256Hex } from '../src/core/pipeline/cacheKey.js';
import { validateResults, type WhittleResults } from '../src/core/results/resultsContract.js';
import { ortAccuracy, runModelInNode } from '../src/core/testing/bundledSamples.js';
import { pipelineFolder, quantizeSweep } from './testing/pipelineFiles.js';
import { whittleInProcess } from './testing/whittleInProcess.js';

const SHIM = fileURLToPath(new URL('./whittle.mjs', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../public/samples/', import.meta.url));
const NPZ = `${SAMPLES}fashion-mnist-test-500.npz`;
const MLP = `${SAMPLES}fashion-mlp.onnx`;
const folder = pipelineFolder('whittle-run-');
afterAll(() => folder.remove());
const pipelineFile = folder.write;

describe('whittle run', () => {
  it('runs a quantize sweep on the MLP: results.json follows the contract, every file re-measures to its reported accuracy', async () => {
    const out = join(folder.path, 'sweep-out');
    const pipeline = pipelineFile('sweep.json', quantizeSweep());
    const result = spawnSync(process.execPath, [SHIM, 'run', pipeline, '--data', NPZ, '--out', out, '--json'], { encoding: 'utf8', timeout: 120_000 });
    expect(result.stderr).toContain('whittle: running 3 variants on fashion-mnist-test-500.npz: all 500 test images');
    expect(result.stderr).toMatch(/whittle: \[3\/3\] q\[bits=4\] {2}accuracy \d+\.\d\d % {2}\d+ KB/);
    expect(result.stderr).not.toContain('\r'); // not a terminal: plain lines, no bar
    expect(result.status).toBe(0);

    const written = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as WhittleResults;
    expect(JSON.parse(result.stdout)).toEqual(written);
    const checked = validateResults(written);
    expect(checked.ok ? [] : checked.errors).toEqual([]);
    expect(written.variants.map((v) => [v.id, v.file])).toEqual([
      ['model', 'model.onnx'],
      ['q[bits=8]', 'q-bits-8.onnx'],
      ['q[bits=4]', 'q-bits-4.onnx'],
    ]);
    expect(readdirSync(out).sort()).toEqual(['model.onnx', 'q-bits-4.onnx', 'q-bits-8.onnx', 'results.json']);
    expect(readFileSync(join(out, 'model.onnx'))).toEqual(readFileSync(MLP));

    const data = loadArrayFileDataset(new Uint8Array(readFileSync(NPZ)), { fileName: 'test.npz', layout: 'nchw' });
    const batch = takeImageBatch(data.test, 0, data.test.shape[0]);
    const labelled = { x: batch.x, y: batch.y!, shape: batch.shape };
    const modelLogits = (await runModelInNode(new Uint8Array(readFileSync(MLP)), { input: { type: 'float32', data: batch.x, dims: batch.shape } })).logits!.data as Float32Array;
    for (const variant of written.variants) {
      const bytes = new Uint8Array(readFileSync(join(out, variant.file)));
      expect(variant.metrics.sizeBytes).toBe(bytes.length);
      expect(variant.metrics.accuracy).toBe(await ortAccuracy(bytes, labelled));
      const logits = (await runModelInNode(bytes, { input: { type: 'float32', data: batch.x, dims: batch.shape } })).logits!.data as Float32Array;
      let agree = 0;
      for (let i = 0; i < 500; i++) agree += Number(argmax(logits, i) === argmax(modelLogits, i));
      expect(variant.metrics.agreement).toBe(agree / 500);
    }
    expect(written.variants[0]!.metrics.accuracy).toBeGreaterThan(0.85);
    expect(written.variants[2]!.metrics.sizeBytes).toBeLessThan(written.variants[1]!.metrics.sizeBytes);
  }, 120_000);

  it('without data measures sizes only, and prints a table', async () => {
    const pipeline = pipelineFile('sizes.json', quantizeSweep({ nodes: [{ id: 'model', type: 'model' }, { id: 'q', type: 'quantize', params: { bits: 8 } }] }));
    const { code, stdout, stderr } = await whittleInProcess('run', pipeline);
    expect(stderr).toContain('whittle: running 2 variants (no dataset: size figures only)');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^variant +size +gzip +params +nonzero +accuracy +agreement +SQNR +latency +file$/);
    expect(lines[1]).toMatch(/^model +919 KB .* 235,146 +235,146 +— +— +— +— +model\.onnx$/);
    expect(lines[2]).toMatch(/^q +\d+ KB .* — +— +— +— +q\.onnx$/);
  });

  it('reports a block that cannot run on its node, writes the rest, and exits 1', async () => {
    const out = join(folder.path, 'partial-out');
    const pipeline = pipelineFile('partial.json', {
      ...quantizeSweep(),
      nodes: [{ id: 'model', type: 'model' }, { id: 'f', type: 'foldbn' }, { id: 'd', type: 'distill' }],
      edges: [{ source: 'model', target: 'f' }, { source: 'model', target: 'd' }],
    });
    const { code, stdout, stderr } = await whittleInProcess('run', pipeline, '--out', out, '--json');
    expect(code).toBe(1);
    // No --data: a distill block has nothing to train on, and says what to give.
    expect(stderr).toContain("whittle: [3/3] d failed: node 'd' (distill): needs data to train on; run the pipeline with a dataset that has a train split (a bundled sample, or the CLI's --data D.npz with x_train and y_train)");
    expect(stderr).toContain("whittle: 1 of 3 variants did not finish: 'd' (failed)");
    const results = JSON.parse(stdout) as WhittleResults;
    expect(results.variants.map((v) => v.id)).toEqual(['model', 'f']);
    expect(results.failures).toEqual([{ id: 'd', path: ['model', 'd'], status: 'failed', message: expect.stringContaining('needs data to train on') }]);
    expect(readdirSync(out).sort()).toEqual(['f.onnx', 'model.onnx', 'results.json']);
  });

  it('checks a { name, sha256 } model and dataset against the files given', async () => {
    const modelHash = await sha256Hex(new Uint8Array(readFileSync(MLP)));
    const dataHash = await sha256Hex(new Uint8Array(readFileSync(NPZ)));
    const mine = { ...quantizeSweep(), model: { name: 'my-mlp.onnx', sha256: modelHash }, dataset: { name: 'my-data.npz', sha256: dataHash } };
    const nodes = [{ id: 'model', type: 'model' }];
    const pipeline = pipelineFile('mine.json', { ...mine, nodes, edges: [] });

    const missingModel = await whittleInProcess('run', pipeline);
    expect(missingModel).toMatchObject({ code: 1, stdout: '' });
    expect(missingModel.stderr).toBe(`whittle: ${pipeline}: its model is your file 'my-mlp.onnx' (SHA-256 ${modelHash.slice(0, 16)}…); give that file with --model\n`);

    const missingData = await whittleInProcess('run', pipeline, '--model', MLP);
    expect(missingData.stderr).toBe(`whittle: ${pipeline}: its dataset is your file 'my-data.npz' (SHA-256 ${dataHash.slice(0, 16)}…); give that file with --data\n`);

    const wrongModel = await whittleInProcess('run', pipeline, '--model', `${SAMPLES}mnist-cnn.onnx`, '--data', NPZ);
    expect(wrongModel.code).toBe(1);
    expect(wrongModel.stderr).toMatch(new RegExp(`^whittle: .*mnist-cnn\\.onnx: is not the model this pipeline was made with: its SHA-256 is [0-9a-f]{16}…, the pipeline names 'my-mlp\\.onnx' with SHA-256 ${modelHash.slice(0, 16)}…\\n$`));

    const right = await whittleInProcess('run', pipeline, '--model', MLP, '--data', NPZ, '--json');
    expect(right.code).toBe(0);
    expect(JSON.parse(right.stdout).variants[0].metrics.accuracy).toBeGreaterThan(0.85);
  });
});

function argmax(logits: Float32Array, row: number): number {
  let best = 0;
  for (let c = 1; c < 10; c++) if (logits[row * 10 + c]! > logits[row * 10 + best]!) best = c;
  return best;
}
