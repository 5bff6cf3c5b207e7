// The Quantize pass as a whole: parameters checked with messages a user can act on; the stored
// types, nodes, opset and IR version each configuration produces; scope; layer names kept; biases
// left float32; the input graph untouched; progress and cancellation; weights held by Constant
// nodes or shared by two layers. (ONNX Runtime against the simulation: simulateQuantization.test.ts
// and quantizePass.samples.test.ts.)
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { readTensorValues } from '../../onnx/tensorData.js';
import { graphFromModel, modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { ModelBuilder } from '../../graph/ModelBuilder.js';
import { makeTensorProto } from '../../onnx/tensorData.js';
import { runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededFloats, seededUniform, structuralModel, type ModelFeed } from '../../testing/structuralModels.js';
import { loadBundledSample, runModelInNode } from '../../testing/bundledSamples.js';
import { PassCancelledError, PassError, type PassContext } from '../Pass.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { defaultOpset, irVersionOf } from './modelProperties.js';
import { readQuantizationReport } from './quantizationReport.js';
import { quantizePass } from './quantizePass.js';
import { simulateQuantization } from './simulateQuantization.js';

const kernels = createJsPassKernels();
const context = (overrides: Partial<PassContext> = {}): PassContext => ({ kernels, progress: () => {}, signal: new AbortController().signal, ...overrides });

const nodesOf = (graph: Graph, op: string) => graph.nodes.filter((n) => opTypeOf(n) === op);
const initializerTypes = (graph: Graph) => new Set([...graph.initializers.values()].map((t) => t.dataType));

/** Largest |onnxruntime-web output − simulation output|. */
async function disagreement(graph: Graph, params: Partial<QuantizeParams>, feeds: Record<string, ModelFeed>): Promise<number> {
  const quantized = encodeModel(modelFromGraph(await quantizePass(graph, params, context())));
  const simulated = encodeModel(modelFromGraph(await simulateQuantization(graph, params, context())));
  const [actual, expected] = [await runWithOrtWeb(quantized, feeds), await runWithOrtWeb(simulated, feeds)];
  let difference = 0;
  for (const [name, output] of Object.entries(expected)) {
    const a = actual[name]!.data as Float32Array;
    output.data.forEach((e, i) => (difference = Math.max(difference, Math.abs(a[i]! - Number(e)))));
  }
  return difference;
}

describe('parameters', () => {
  const cnn = graphFromModel(structuralModel('cnn').build());
  it.each([
    [{ bits: 5 }, /bits must be one of 2, 3, 4, 8, 16 \(got 5\)/],
    [{ granularity: 'row' }, /granularity must be one of "tensor", "channel", "group" \(got "row"\)/],
    [{ groupSize: 0 }, /groupSize must be a whole number of weights, at least 2 \(got 0\)/],
    [{ format: 'matmulnbits', bits: 8, granularity: 'group' }, /format 'matmulnbits' writes 4-bit weights; bits is 8/],
    [{ format: 'matmulnbits', bits: 4, granularity: 'channel' }, /set granularity to 'group'/],
    [{ format: 'matmulnbits', bits: 4, granularity: 'group', groupSize: 24 }, /power of two from 16 to 256 \(got 24\)/],
    [{ bits: 16, activations: 'static' }, /bits 16 stores weights as float16; activations 'static' needs integer weights/],
    [{ layers: ['conv9'] }, /layers names 'conv9', which is not a layer of this model/],
  ])('%j is refused', async (params, message) => {
    await expect(quantizePass(cnn, params as Partial<QuantizeParams>, context())).rejects.toThrow(PassError);
    await expect(quantizePass(cnn, params as Partial<QuantizeParams>, context())).rejects.toThrow(message);
  });
});

describe('what each configuration stores', () => {
  const cnn = graphFromModel(structuralModel('cnn').build());
  const layerNames = ['conv1', 'fc'];

  it('int8 per channel: int8 weights, one float32 scale per output, axis on the output channel, opset 13 is enough', async () => {
    const out = await quantizePass(cnn, { bits: 8, granularity: 'channel' }, context());
    const dq = nodesOf(out, 'DequantizeLinear');
    expect(dq).toHaveLength(2);
    expect(out.initializers.get('conv1.weight_quantized')!.dataType).toBe(DataType.INT8);
    expect(out.initializers.get('conv1.weight_scale')!.dims!.map(Number)).toEqual([8]);
    expect(dq.map((n) => n.proto.attribute!.find((a) => a.name === 'axis')!.i)).toEqual([0, 0]);
    expect(defaultOpset(out)).toBe(17);
    for (const name of layerNames) expect(out.nodes.find((n) => n.proto.name === name)!.proto.input![1]).toMatch(/_dequantized$/);
  });

  it('uint8 asymmetric: uint8 weights with uint8 zero points', async () => {
    const out = await quantizePass(cnn, { bits: 8, symmetric: false }, context());
    expect(out.initializers.get('fc.weight_quantized')!.dataType).toBe(DataType.UINT8);
    expect(out.initializers.get('fc.weight_zero_point')!.dataType).toBe(DataType.UINT8);
    expect(nodesOf(out, 'DequantizeLinear')[0]!.proto.input).toHaveLength(3);
  });

  it('int4 groups: packed int4, block_size, float16 scales cast to float32, conv weights reshaped, opset 21 and IR 10', async () => {
    const out = await quantizePass(cnn, { bits: 4, granularity: 'group', groupSize: 16 }, context());
    expect(out.initializers.get('fc.weight_quantized')!.dataType).toBe(DataType.INT4);
    expect(out.initializers.get('fc.weight_scale')!.dataType).toBe(DataType.FLOAT16);
    expect(nodesOf(out, 'DequantizeLinear').map((n) => n.proto.attribute!.find((a) => a.name === 'block_size')!.i)).toEqual([16, 16]);
    expect(nodesOf(out, 'Cast')).toHaveLength(2);
    expect(nodesOf(out, 'Reshape')).toHaveLength(1); // conv1 (8, 3·3·3) stored 2-D; fc is 2-D already
    expect(out.initializers.get('conv1.weight_quantized')!.dims!.map(Number)).toEqual([8, 27]);
    expect(defaultOpset(out)).toBe(21);
    expect(irVersionOf(out)).toBeGreaterThanOrEqual(10);
  });

  it('3-bit values stored as int4 in [−3, 3], and the report says 4-bit storage', async () => {
    const out = await quantizePass(cnn, { bits: 3, granularity: 'channel' }, context());
    const values = readTensorValues(out.initializers.get('fc.weight_quantized')!) as Int8Array;
    expect(out.initializers.get('fc.weight_quantized')!.dataType).toBe(DataType.INT4);
    expect(Math.min(...values)).toBe(-3);
    expect(Math.max(...values)).toBe(3);
    const report = readQuantizationReport(out)!;
    expect(report.layers.map((l) => [l.layer, l.valueBits, l.storageBits])).toEqual([['conv1', 3, 4], ['fc', 3, 4]]);
    expect(report.layers[1]!.bitsPerWeight).toBeGreaterThan(4);
  });

  it('2-bit values stored as int2 (opset 25, IR 13)', async () => {
    const out = await quantizePass(cnn, { bits: 2, granularity: 'group', groupSize: 8 }, context());
    expect(out.initializers.get('fc.weight_quantized')!.dataType).toBe(DataType.INT2);
    expect(defaultOpset(out)).toBe(25);
    expect(irVersionOf(out)).toBe(13);
    expect(readQuantizationReport(out)!.layers[0]).toMatchObject({ valueBits: 2, storageBits: 2 });
  });

  it('float16: float16 weights and a Cast each, biases and everything else still float32', async () => {
    const out = await quantizePass(cnn, { bits: 16 }, context());
    expect(out.initializers.get('conv1.weight_float16')!.dataType).toBe(DataType.FLOAT16);
    expect(nodesOf(out, 'Cast')).toHaveLength(2);
    expect(out.initializers.has('conv1.weight')).toBe(false);
    expect(readQuantizationReport(out)!.layers.map((l) => l.bitsPerWeight)).toEqual([16, 16]);
  });

  it('keeps biases (and batch norm) float32 and shared with the input graph', async () => {
    for (const bits of [8, 4, 16] as const) {
      const out = await quantizePass(cnn, { bits, granularity: 'group' }, context());
      for (const name of ['conv1.bias', 'fc.bias', 'bn1.scale', 'bn1.mean']) {
        if (cnn.initializers.has(name)) expect(out.initializers.get(name), name).toBe(cnn.initializers.get(name));
      }
      expect(out.nodes.map((n) => n.proto.name)).toEqual(expect.arrayContaining(cnn.nodes.map((n) => n.proto.name)));
    }
  });
});

describe('scope', () => {
  const mlp = graphFromModel(structuralModel('mlp').build());
  const quantizedLayers = async (params: Partial<QuantizeParams>) => readQuantizationReport(await quantizePass(mlp, params, context()))!.layers.map((l) => l.layer);
  it('honours layers, exclude and keepFirstLast', async () => {
    expect(await quantizedLayers({})).toEqual(['fc1', 'fc2']);
    expect(await quantizedLayers({ layers: ['fc2'] })).toEqual(['fc2']);
    expect(await quantizedLayers({ exclude: ['fc2'] })).toEqual(['fc1']);
    expect(await quantizedLayers({ keepFirstLast: true })).toEqual([]);
  });

  it('keeps the model\'s first and last layers in float whatever phase quantizes them', async () => {
    const cnn = graphFromModel(structuralModel('cnn').build());
    const layers = async (params: Partial<QuantizeParams>) => readQuantizationReport(await quantizePass(cnn, params, context()))!.layers.map((l) => l.layer);
    expect(await layers({ keepFirstLast: true })).toEqual([]);
    // fashion-cnn: conv1, conv2, fc1, fc2. 'dynamic' rewrites the Gemms in one phase and the
    // convolutions in another; the scope is still conv2 and fc1.
    const sample = loadBundledSample('fashion-cnn').graph;
    const dynamic = await quantizePass(sample, { keepFirstLast: true, activations: 'dynamic' }, context());
    expect(readQuantizationReport(dynamic)!.layers.map((l) => l.layer)).toEqual(['conv2']);
    expect(dynamic.nodes.find((n) => n.proto.name === 'fc1')!.proto.opType).not.toBe('Gemm');
    expect(dynamic.nodes.find((n) => n.proto.name === 'fc2')!.proto.opType).toBe('Gemm');
  });

  it('skips weights too small to gain, and says so', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [2, 1]);
    const w = b.initializer('w', DataType.FLOAT, [1, 10], seededFloats(3, 10));
    const [y] = b.node('MatMul', [x, w], {}, { name: 'tiny' });
    b.output(y!, DataType.FLOAT, [2, 10]);
    const out = await quantizePass(graphFromModel(b.build()), { bits: 8 }, context());
    expect(nodesOf(out, 'DequantizeLinear')).toHaveLength(0);
    expect(readQuantizationReport(out)!.skipped).toEqual([{ name: 'tiny', reason: 'its weight has 10 elements (fewer than 16)' }]);
  });

  it('leaves an already quantized layer alone', async () => {
    const out = await quantizePass(graphFromModel(structuralModel('qdq-conv').build()), { bits: 4 }, context());
    expect(readQuantizationReport(out)!.skipped[0]!.reason).toMatch(/not a constant tensor/);
  });
});

describe('the pass as a pass', () => {
  const cnn = graphFromModel(structuralModel('cnn').build());
  it('does not touch its input graph', async () => {
    const before = encodeModel(modelFromGraph(cnn));
    await quantizePass(cnn, { bits: 4, granularity: 'group' }, context());
    await quantizePass(cnn, { bits: 4, granularity: 'group', format: 'matmulnbits' }, context());
    expect(encodeModel(modelFromGraph(cnn))).toEqual(before);
  });

  it('reports progress per layer, ending at 1', async () => {
    const reports: [number, string | undefined][] = [];
    await quantizePass(cnn, { bits: 8 }, context({ progress: (f, m) => reports.push([f, m]) }));
    expect(reports.map(([f]) => f)).toEqual([0, 0.5, 1]);
    expect(reports[0]![1]).toBe('layer conv1: 8-bit symmetric QDQ, per channel');
    expect(reports[2]![1]).toBe('quantized 2 layers');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(quantizePass(cnn, { bits: 8 }, context({ signal: controller.signal }))).rejects.toThrow(PassCancelledError);
  });

  it('quantizes weights held by Constant nodes and drops the float Constant', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [2, 32]);
    const [w] = b.node('Constant', [], { value: makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [32, 8], values: seededFloats(4, 256) }) }, { name: 'weight' });
    b.node('MatMul', [x, w!], {}, { name: 'dense', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2, 8]);
    const graph = graphFromModel(b.build());
    const out = await quantizePass(graph, { bits: 8 }, context());
    expect(nodesOf(out, 'Constant')).toHaveLength(0);
    expect(nodesOf(out, 'DequantizeLinear')).toHaveLength(1);
    expect(await disagreement(graph, { bits: 8 }, { x: { type: 'float32', data: seededFloats(5, 64), dims: [2, 32] } })).toBeLessThan(1e-5);
  });

  it('raises an opset-11 model to 13 for per-channel int8, rewriting what changed on the way', async () => {
    const b = new ModelBuilder({ opset: 11, irVersion: 6 });
    const x = b.input('x', DataType.FLOAT, [2, 24]);
    const w = b.initializer('w', DataType.FLOAT, [24, 6], seededFloats(8, 144));
    const [y] = b.node('MatMul', [x, w], {}, { name: 'dense' });
    const [squeezed] = b.node('Unsqueeze', [y!], { axes: [1] }, { name: 'unsqueeze' });
    const [reduced] = b.node('ReduceSum', [squeezed!], { axes: [2], keepdims: 0 }, { name: 'sum' });
    b.node('Softmax', [reduced!], {}, { name: 'softmax', outputs: ['out'] });
    b.output('out', DataType.FLOAT, null);
    const graph = graphFromModel(b.build());
    const out = await quantizePass(graph, { bits: 8, granularity: 'channel' }, context());
    expect(defaultOpset(out)).toBe(13);
    expect(irVersionOf(out)).toBe(7);
    expect(await disagreement(graph, { bits: 8, granularity: 'channel' }, { x: { type: 'float32', data: seededFloats(9, 48), dims: [2, 24] } })).toBeLessThan(1e-6);
    expect(defaultOpset(await quantizePass(graph, { bits: 8, granularity: 'tensor' }, context()))).toBe(11);
  });

  it('follows Identity nodes in front of a weight, and drops them with the float weight', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 2, 6, 6]);
    const w = b.initializer('w', DataType.FLOAT, [4, 2, 3, 3], seededFloats(6, 72));
    const [once] = b.node('Identity', [w], {}, { name: 'w_identity' });
    const [twice] = b.node('Identity', [once!], {}, { name: 'w_identity_2' });
    b.node('Conv', [x, twice!], { kernel_shape: [3, 3] }, { name: 'conv', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 4, 4, 4]);
    const graph = graphFromModel(b.build());
    const out = await quantizePass(graph, { bits: 4, granularity: 'channel' }, context());
    expect(nodesOf(out, 'Identity')).toHaveLength(0);
    expect(out.initializers.has('w')).toBe(false);
    expect(readQuantizationReport(out)!.layers.map((l) => l.layer)).toEqual(['conv']);
    expect(await disagreement(graph, { bits: 4, granularity: 'channel' }, { x: { type: 'float32', data: seededFloats(7, 72), dims: [1, 2, 6, 6] } })).toBeLessThan(1e-5);
  });

  it('stores a weight shared by two layers once', async () => {
    const residual = graphFromModel(structuralModel('residual').build());
    const out = await quantizePass(residual, { bits: 8 }, context());
    const shared = nodesOf(out, 'MatMul').filter((n) => n.proto.name!.startsWith('block'));
    expect(shared).toHaveLength(2);
    expect(shared[0]!.proto.input![1]).toBe(shared[1]!.proto.input![1]);
    expect(nodesOf(out, 'DequantizeLinear')).toHaveLength(2); // the shared block weight and the head
  });
});

describe('activations', () => {
  const cnn = graphFromModel(structuralModel('cnn').build());
  const images = { x: seededUniform(12, 16 * 3 * 8 * 8), shape: [16, 3, 8, 8] as [number, number, number, number], y: null };
  const calibrated = (progress: PassContext['progress'] = () => {}) => context({ progress, calibration: { images, run: runModelInNode } });

  it("'static': weights quantized first, then calibrated QDQ on the activations; progress runs once from 0 to 1", async () => {
    const fractions: number[] = [];
    const out = await quantizePass(cnn, { bits: 8, activations: 'static', calibrationSamples: 16 }, calibrated((f) => fractions.push(f)));
    expect(nodesOf(out, 'QuantizeLinear').length).toBeGreaterThan(0);
    expect(readQuantizationReport(out)!.layers.map((l) => l.layer)).toEqual(['conv1', 'fc']);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    expect(fractions.at(-1)).toBe(1);
    const feeds = structuralModel('cnn').inputs();
    const [quantized, float] = [await runWithOrtWeb(encodeModel(modelFromGraph(out)), feeds), await runWithOrtWeb(encodeModel(modelFromGraph(cnn)), feeds)];
    expect(quantized.logits!.dims).toEqual(float.logits!.dims);
  });

  it("'static' without a dataset fails with a message", async () => {
    await expect(quantizePass(cnn, { bits: 8, activations: 'static' }, context())).rejects.toThrow(PassError);
  });

  it("'dynamic': Gemm/MatMul become MatMulInteger, convolutions get QDQ weights", async () => {
    const fractions: number[] = [];
    const out = await quantizePass(cnn, { bits: 8, activations: 'dynamic' }, context({ progress: (f) => fractions.push(f) }));
    expect(nodesOf(out, 'DynamicQuantizeLinear').length).toBeGreaterThan(0);
    expect(out.nodes.find((n) => n.proto.name === 'fc')!.proto.opType).not.toBe('Gemm');
    expect(out.nodes.find((n) => n.proto.name === 'conv1')!.proto.opType).toBe('Conv');
    expect(readQuantizationReport(out)!.layers.map((l) => [l.layer, l.format])).toEqual([['conv1', 'qdq']]);
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true);
    const outputs = await runWithOrtWeb(encodeModel(modelFromGraph(out)), structuralModel('cnn').inputs());
    expect(outputs.logits!.dims).toEqual([1, 10]);
  });
});
