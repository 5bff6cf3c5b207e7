// summarizeGraph: the plain-data summary `whittle inspect` prints and the studio shows.
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { encodeModel } from '../onnx/modelFile.js';
import { graphFromModel } from './Graph.js';
import { makeValueInfo, ModelBuilder } from './ModelBuilder.js';
import { openModel } from './openModel.js';
import { describeValue, summarizeGraph } from './summary.js';
import { structuralModel, structuralModels } from '../testing/structuralModels.js';

function summarize(model: onnx.IModelProto, fileName = 'model.onnx') {
  const bytes = encodeModel(model);
  const opened = openModel(bytes, { fileName });
  return summarizeGraph(opened.graph, opened);
}

describe('summarizeGraph', () => {
  it('CNN: header, inputs, outputs, op counts, layers and totals', () => {
    const bytes = encodeModel(structuralModel('cnn').build());
    const summary = summarize(structuralModel('cnn').build(), 'cnn.onnx');
    expect(summary).toMatchObject({
      fileName: 'cnn.onnx',
      fileBytes: bytes.length,
      irVersion: 8,
      producer: 'whittle 0.1.0',
      graphName: 'main',
      opsets: [{ domain: 'ai.onnx', version: 17 }],
      inputs: [{ name: 'input', dtype: 'float32', shape: [1, 3, 8, 8] }],
      outputs: [{ name: 'logits', dtype: 'float32', shape: [1, 10] }],
      nodeCount: 6,
      initializerCount: 8,
      functionCount: 0,
      subgraphCount: 0,
      metadata: [],
    });
    expect(summary.opCounts.map((o) => o.opType)).toEqual(['BatchNormalization', 'Conv', 'Flatten', 'Gemm', 'MaxPool', 'Relu']);
    expect(summary.layers.map((l) => l.name)).toEqual(['conv1', 'bn1', 'fc']);
    expect(summary.totals.params).toBe(1546);
  });

  it.each(structuralModels.map((m) => [m.name, m] as const))('%s: is plain data that survives JSON and structuredClone', (_name, spec) => {
    const summary = summarize(spec.build(), `${spec.name}.onnx`);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(structuredClone(summary)).toEqual(summary);
  });

  it('sorts op counts by count, then name, and keeps domains apart', () => {
    const summary = summarize(structuralModel('attention').build());
    expect(summary.opCounts[0]).toEqual({ opType: 'MatMul', domain: '', count: 6 });
    const counts = summary.opCounts.map((o) => o.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('counts subgraphs at every depth', () => {
    expect(summarize(structuralModel('control-flow').build()).subgraphCount).toBe(3);
    const b = new ModelBuilder();
    const c = b.input('c', DataType.BOOL, []);
    const x = b.input('x', DataType.FLOAT, [1]);
    const leaf = (name: string) =>
      b.subgraph(name, (g) => {
        g.node('Identity', [x], {}, { name: `${name}_id`, outputs: [`${name}_out`] });
        g.output(`${name}_out`, DataType.FLOAT, [1]);
      });
    const outer = b.subgraph('outer', (g) => {
      g.node('If', [c], { then_branch: leaf('a'), else_branch: leaf('b') }, { name: 'inner_if', outputs: ['outer_out'] });
      g.output('outer_out', DataType.FLOAT, [1]);
    });
    b.node('If', [c], { then_branch: outer, else_branch: leaf('c') }, { name: 'top_if', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1]);
    expect(summarize(b.build()).subgraphCount).toBe(4);
  });

  it('lists only real inputs when initializers are also declared as inputs (old IR)', () => {
    const model = structuralModel('mlp').build();
    model.graph!.input!.push(makeValueInfo('fc1.weight', DataType.FLOAT, [32, 16]));
    expect(summarize(model).inputs.map((i) => i.name)).toEqual(['input']);
  });

  it('reports metadata, extra opsets and local functions', () => {
    const b = new ModelBuilder({ opset: 18, extraOpsets: { 'com.microsoft': 1 }, metadata: { license: 'MIT' } });
    const x = b.input('x', DataType.FLOAT, [2]);
    b.node('Relu', [x], {}, { name: 'r', outputs: ['y'] });
    b.output('y', DataType.FLOAT, [2]);
    const model = b.build();
    model.functions = [new onnx.FunctionProto({ name: 'F', domain: 'local', node: [] })];
    const summary = summarize(model);
    expect(summary.opsets).toEqual([{ domain: 'ai.onnx', version: 18 }, { domain: 'com.microsoft', version: 1 }]);
    expect(summary.metadata).toEqual([{ key: 'license', value: 'MIT' }]);
    expect(summary.functionCount).toBe(1);
  });
});

describe('describeValue', () => {
  it('symbolic, fixed and unknown dimensions; unknown rank', () => {
    expect(describeValue(makeValueInfo('a', DataType.FLOAT16, ['batch', 3, null]))).toEqual({ name: 'a', dtype: 'float16', shape: ['batch', 3, null] });
    expect(describeValue(makeValueInfo('b', DataType.INT64, null))).toEqual({ name: 'b', dtype: 'int64', shape: null });
    expect(describeValue(makeValueInfo('c', DataType.BOOL, []))).toEqual({ name: 'c', dtype: 'bool', shape: [] });
  });

  it('a declared dimension no tensor could have (beyond 2^53) is shown as unknown, not thrown', () => {
    const value = makeValueInfo('x', DataType.FLOAT, [1, 2]);
    value.type!.tensorType!.shape!.dim![0]!.dimValue = Long.MAX_VALUE;
    expect(describeValue(value).shape).toEqual([null, 2]);
  });

  it('non-tensor types by kind', () => {
    const sequence = new onnx.ValueInfoProto({ name: 's', type: new onnx.TypeProto({ sequenceType: new onnx.TypeProto.Sequence({ elemType: new onnx.TypeProto() }) }) });
    expect(describeValue(sequence)).toEqual({ name: 's', dtype: 'sequence', shape: null });
    expect(describeValue(new onnx.ValueInfoProto({ name: 'u' }))).toEqual({ name: 'u', dtype: 'unknown', shape: null });
    const sparse = new onnx.ValueInfoProto({ name: 'sp', type: new onnx.TypeProto({ sparseTensorType: new onnx.TypeProto.SparseTensor({ elemType: DataType.FLOAT, shape: new onnx.TensorShapeProto({ dim: [new onnx.TensorShapeProto.Dimension({ dimValue: Long.fromNumber(7) })] }) }) }) });
    expect(describeValue(sparse)).toEqual({ name: 'sp', dtype: 'float32', shape: [7] });
  });

  it('works on a decoded model where dims are Longs', () => {
    const graph = graphFromModel(openModel(encodeModel(structuralModel('depthwise').build()), { fileName: 'd.onnx' }).graph.model);
    expect(describeValue(graph.outputs[0]!)).toEqual({ name: 'output', dtype: 'float32', shape: [1, 8, 1, 1] });
  });
});
