// GraphEditor: edits come out as a new graph that ONNX Runtime runs, while the source graph, its
// protos and its file bytes stay exactly as they were.
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { encodeModel } from '../onnx/modelFile.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../onnx/tensorData.js';
import { maxAbsoluteDifference, runWithOrtWeb } from '../testing/onnxRuntimeReference.js';
import { structuralModel } from '../testing/structuralModels.js';
import { graphFromModel, modelFromGraph, opTypeOf } from './Graph.js';
import { GraphEditor } from './GraphEditor.js';

const cnn = structuralModel('cnn');

describe('GraphEditor', () => {
  it('hands out names nothing in the graph uses', () => {
    const edit = new GraphEditor(graphFromModel(cnn.build()));
    expect(edit.freshName('conv1.weight')).toBe('conv1.weight_1');
    expect(edit.freshName('conv1.weight')).toBe('conv1.weight_2');
    expect(edit.freshName('brand_new')).toBe('brand_new');
  });

  it('inserts a node before its consumer, rewires it, and leaves the source untouched', async () => {
    const model = cnn.build();
    const before = encodeModel(model);
    const graph = graphFromModel(model);
    const conv = graph.nodes.find((n) => opTypeOf(n) === 'Conv')!;
    const edit = new GraphEditor(graph);
    // Scale the weight by 2 through a Mul node: the output of a linear conv doubles before BN.
    const two = edit.freshName('two');
    edit.setInitializer(makeTensorProto({ name: two, dataType: DataType.FLOAT, dims: [], values: new Float32Array([2]) }));
    const doubled = edit.freshName('conv1.weight_doubled');
    edit.insertBefore(conv.id, [new onnx.NodeProto({ name: edit.freshName('double_weight'), opType: 'Mul', input: ['conv1.weight', two], output: [doubled] })]);
    edit.setNodeInput(conv.id, 1, doubled);
    const edited = edit.build();

    expect(encodeModel(model)).toEqual(before);
    expect(graph.nodes.find((n) => n.id === conv.id)!.proto.input![1]).toBe('conv1.weight');
    const names = edited.nodes.map((n) => n.id);
    expect(names.indexOf('double_weight')).toBeLessThan(names.indexOf(conv.id));
    // Untouched nodes are shared, not copied.
    expect(edited.nodes.at(-1)!.proto).toBe(graph.nodes.at(-1)!.proto);

    const bytes = encodeModel(modelFromGraph(edited));
    // The same model with the doubled weight stored directly must give the same outputs.
    const direct = cnn.build();
    const weight = direct.graph!.initializer!.find((t) => t.name === 'conv1.weight')!;
    const doubledValues = Float32Array.from(readTensorValues(weight) as Float32Array, (v) => 2 * v);
    direct.graph!.initializer = direct.graph!.initializer!.map((t) => (t === weight ? makeTensorProto({ name: 'conv1.weight', dataType: DataType.FLOAT, dims: tensorDims(weight), values: doubledValues }) : t));
    const [viaEditor, expected, original] = await Promise.all([bytes, encodeModel(direct), before].map((b) => runWithOrtWeb(b, cnn.inputs())));
    const name = Object.keys(expected!)[0]!;
    expect(maxAbsoluteDifference(viaEditor![name]!, expected![name]!)).toBeLessThan(1e-5);
    expect(maxAbsoluteDifference(original![name]!, expected![name]!)).toBeGreaterThan(1e-3);
  });

  it('drops initializers nothing reads any more, and keeps those that are still read', () => {
    const graph = graphFromModel(cnn.build());
    const conv = graph.nodes.find((n) => opTypeOf(n) === 'Conv')!;
    const edit = new GraphEditor(graph);
    const copy = edit.freshName('conv1.weight_copy');
    edit.setInitializer({ ...graph.initializers.get('conv1.weight')!, name: copy });
    edit.setNodeInput(conv.id, 1, copy);
    const edited = edit.build();
    expect(edited.initializers.has('conv1.weight')).toBe(false);
    expect(edited.initializers.has(copy)).toBe(true);
    expect(edit.build({ keepUnusedInitializers: true }).initializers.has('conv1.weight')).toBe(true);
  });

  it('renames reads of a value, graph outputs included, and sets opset imports', () => {
    const graph = graphFromModel(structuralModel('mlp').build());
    const edit = new GraphEditor(graph);
    const last = graph.nodes.at(-1)!;
    const output = last.proto.output![0]!;
    const renamed = edit.freshName(`${output}_renamed`);
    edit.replaceNode(last.id, new onnx.NodeProto({ ...last.proto, output: [renamed] }));
    edit.renameValueReads(output, renamed);
    edit.setOpset('', 21);
    edit.setOpset('com.microsoft', 1);
    const edited = edit.build();
    expect(edited.outputs[0]!.name).toBe(renamed);
    expect(edited.model.opsetImport!.map((o) => [o.domain, Number(o.version)])).toEqual([['', 21], ['com.microsoft', 1]]);
    expect(graph.outputs[0]!.name).toBe(output);
    expect(Number(graph.model.opsetImport![0]!.version)).not.toBe(21);
  });
});
