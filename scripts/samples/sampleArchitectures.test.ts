// Every sample architecture builds deterministically, matches the shared input/output contract, and
// runs in ONNX Runtime before any training.
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../src/core/onnx/modelFile.js';
import { openModel } from '../../src/core/graph/openModel.js';
import { summarizeGraph } from '../../src/core/graph/summary.js';
import { runWithOrtWeb } from '../../src/core/testing/onnxRuntimeReference.js';
import { seededUniform } from '../../src/core/testing/structuralModels.js';
import { SAMPLE_ARCHITECTURES, sampleArchitecture } from './sampleArchitectures.js';

describe.each(SAMPLE_ARCHITECTURES.map((a) => [a.id, a] as const))('sample architecture %s', (_id, architecture) => {
  const bytes = encodeModel(architecture.build(1));

  it('is the same model for the same seed and a different one for another seed', () => {
    expect(Buffer.compare(Buffer.from(encodeModel(architecture.build(1))), Buffer.from(bytes))).toBe(0);
    expect(Buffer.compare(Buffer.from(encodeModel(architecture.build(2))), Buffer.from(bytes))).not.toBe(0);
  });

  it('takes input (N, 1, 28, 28) and returns logits (N, 10)', () => {
    const { graph } = openModel(bytes, { fileName: `${architecture.id}.onnx` });
    const summary = summarizeGraph(graph, { fileName: `${architecture.id}.onnx`, fileBytes: bytes.length });
    expect(summary.inputs.map((v) => [v.name, v.shape])).toEqual([['input', ['N', 1, 28, 28]]]);
    expect(summary.outputs.map((v) => [v.name, v.shape])).toEqual([['logits', ['N', 10]]]);
  });

  it('runs in onnxruntime-web with finite, input-dependent logits', async () => {
    const batch = 2;
    const out = await runWithOrtWeb(bytes, { input: { type: 'float32', data: seededUniform(3, batch * 784), dims: [batch, 1, 28, 28] } });
    const logits = Array.from(out.logits!.data as Float32Array);
    expect(out.logits!.dims).toEqual([batch, 10]);
    expect(logits.every(Number.isFinite)).toBe(true);
    expect(logits.slice(0, 10)).not.toEqual(logits.slice(10));
  });
});

describe('sampleArchitecture', () => {
  it('names the known samples when asked for an unknown one', () => {
    expect(() => sampleArchitecture('resnet')).toThrow(/unknown sample 'resnet'; known: fashion-mlp, fashion-cnn, fashion-mobilenet, mnist-cnn/);
  });
});
