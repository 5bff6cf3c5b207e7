// Bad input to `whittle run` and `whittle eval`: each stops the command with one line naming the
// file and what is wrong (exit 1), or with the usage (exit 2), before any work starts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pipelineFolder, quantizeSweep } from './testing/pipelineFiles.js';
import { whittleInProcess } from './testing/whittleInProcess.js';

const SAMPLES = fileURLToPath(new URL('../public/samples/', import.meta.url));
const MLP = `${SAMPLES}fashion-mlp.onnx`;
const folder = pipelineFolder('whittle-errors-');
afterAll(() => folder.remove());
const pipelineFile = folder.write;

describe('whittle run and eval on bad input', () => {
  it('refuses a bad pipeline, model or dataset with one line naming the problem, before any work', async () => {
    const cases: [string[], RegExp][] = [
      [['run', pipelineFile('broken.json', '{ "type": "whittle-pipeline", ')], /^whittle: .*broken\.json: not a valid pipeline: the pipeline is not valid JSON: /],
      [['run', pipelineFile('bits.json', { ...quantizeSweep(), nodes: [{ id: 'model', type: 'model' }, { id: 'q', type: 'quantize', params: { bits: 5 } }] })], /^whittle: .*bits\.json: not a valid pipeline: node 'q': bits must be one of 2, 3, 4, 8, 16; got 5\n$/],
      [['run', pipelineFile('cycle.json', { ...quantizeSweep(), edges: [] })], /^whittle: .*cycle\.json: not a valid pipeline: .*'q'/],
      [['run', pipelineFile('nosample.json', quantizeSweep({ model: { sample: 'resnet-9000' } }))], /^whittle: .*nosample\.json: its model is the sample 'resnet-9000', which this Whittle does not have \(samples: fashion-cnn, fashion-mlp, .*mnist-cnn\)\n$/],
      [['run', pipelineFile('nodata.json', quantizeSweep({ dataset: { sample: 'cifar-10' } }))], /^whittle: .*nodata\.json: its dataset is the sample 'cifar-10', which this Whittle does not have \(sample datasets: fashion-mnist, mnist\)\n$/],
      [['run', pipelineFile('nomodel.json', { ...quantizeSweep(), model: undefined })], /^whittle: .*nomodel\.json: names no model; give one with --model M\.onnx\n$/],
      [['run', pipelineFile('ok.json', quantizeSweep()), '--model', pipelineFile('garbage.onnx', 'this is not a model')], /^whittle: garbage\.onnx: /],
      [['run', pipelineFile('ok2.json', quantizeSweep()), '--data', pipelineFile('garbage.npz', 'PK not really')], /^whittle: garbage\.npz: /],
      [['run', join(folder.path, 'absent.json')], /^whittle: .*absent\.json: no such file\n$/],
      [['eval', MLP, '--data', pipelineFile('empty.npz', '')], /^whittle: empty\.npz: is empty \(0 bytes\)\n$/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await whittleInProcess(...args);
      expect({ args, code, stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(stderr).toMatch(message);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('refuses a bad command line with the usage', async () => {
    for (const args of [['run'], ['run', 'a.json', 'b.json'], ['run', 'a.json', '--frobnicate'], ['run', 'a.json', '--out'], ['eval', MLP], ['run', 'a.json', '--model', 'x', '--model', 'y']]) {
      const { code, stderr } = await whittleInProcess(...args);
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(stderr).toContain('Usage: whittle <command>');
    }
  });

  it('says clearly when the data does not fit the model', async () => {
    const { code, stderr } = await whittleInProcess('eval', MLP, '--data', `${fileURLToPath(new URL('../src/core/eval/datasets/testing/fixtures/', import.meta.url))}tiny-savez.npz`);
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^whittle: the model, evaluation: /);
  });
});
