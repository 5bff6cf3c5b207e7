// validateModelGraph: the list of structural problems, with subgraph scoping as the IR specifies.
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { makeTensorProto } from '../onnx/tensorData.js';
import { validateModelGraph } from './validate.js';
import { makeValueInfo } from './ModelBuilder.js';
import { structuralModels } from '../testing/structuralModels.js';

const node = (name: string, opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []) =>
  new onnx.NodeProto({ name, opType, input, output, attribute });
const model = (graph: onnx.IGraphProto) => new onnx.ModelProto({ irVersion: Long.fromNumber(8), graph });

describe('validateModelGraph', () => {
  it.each(structuralModels.map((m) => [m.name, m] as const))('finds nothing wrong with %s', (_name, spec) => {
    expect(validateModelGraph(spec.build())).toEqual([]);
  });

  it('accepts old-IR models that list initializers among the inputs', () => {
    const w = makeTensorProto({ name: 'w', dataType: DataType.FLOAT, dims: [2], values: new Float32Array(2) });
    const graph = new onnx.GraphProto({
      input: [makeValueInfo('x', DataType.FLOAT, [2]), makeValueInfo('w', DataType.FLOAT, [2])],
      initializer: [w],
      node: [node('add', 'Add', ['x', 'w'], ['y'])],
      output: [makeValueInfo('y', DataType.FLOAT, [2])],
    });
    expect(validateModelGraph(model(graph))).toEqual([]);
  });

  it('accepts omitted optional inputs and sparse initializers', () => {
    const sparse = new onnx.SparseTensorProto({ values: makeTensorProto({ name: 's', dataType: DataType.FLOAT, dims: [1], values: Float32Array.of(1) }) });
    const graph = new onnx.GraphProto({
      input: [makeValueInfo('x', DataType.FLOAT, [2])],
      sparseInitializer: [sparse],
      node: [node('clip', 'Clip', ['x', '', 's'], ['y'])],
      output: [makeValueInfo('y', DataType.FLOAT, [2])],
    });
    expect(validateModelGraph(model(graph))).toEqual([]);
  });

  it('lets nested subgraphs see every enclosing scope, and reports problems with their path', () => {
    const inner = new onnx.GraphProto({
      node: [node('inner', 'Add', ['x', 'mid'], ['inner_out']), node('bad', 'Neg', ['nowhere'], ['bad_out'])],
      output: [makeValueInfo('inner_out', DataType.FLOAT, [2])],
    });
    const middle = new onnx.GraphProto({
      node: [node('mid_node', 'Relu', ['x'], ['mid']), node('nested', 'If', ['c'], ['mid_out'], [new onnx.AttributeProto({ name: 'then_branch', g: inner })])],
      output: [makeValueInfo('mid_out', DataType.FLOAT, [2])],
    });
    const graph = new onnx.GraphProto({
      input: [makeValueInfo('x', DataType.FLOAT, [2]), makeValueInfo('c', DataType.BOOL, [])],
      node: [node('outer', 'If', ['c'], ['y'], [new onnx.AttributeProto({ name: 'else_branch', g: middle })])],
      output: [makeValueInfo('y', DataType.FLOAT, [2])],
    });
    expect(validateModelGraph(model(graph))).toEqual([
      {
        path: "graph/node 'outer' (If)/else_branch/node 'nested' (If)/then_branch",
        message: "node 'bad' (Neg) reads 'nowhere', which no node, input or initializer provides",
      },
    ]);
  });

  it('does not let the outer graph read values defined inside a subgraph', () => {
    const body = new onnx.GraphProto({ node: [node('b', 'Relu', ['x'], ['hidden'])], output: [makeValueInfo('hidden', DataType.FLOAT, [2])] });
    const graph = new onnx.GraphProto({
      input: [makeValueInfo('x', DataType.FLOAT, [2]), makeValueInfo('c', DataType.BOOL, [])],
      node: [node('if', 'If', ['c'], ['y'], [new onnx.AttributeProto({ name: 'then_branch', g: body })]), node('use', 'Neg', ['hidden'], ['z'])],
      output: [makeValueInfo('z', DataType.FLOAT, [2])],
    });
    expect(validateModelGraph(model(graph)).map((p) => p.message)).toEqual(["node 'use' (Neg) reads 'hidden', which no node, input or initializer provides"]);
  });

  it('names unnamed nodes by op type and index', () => {
    const graph = new onnx.GraphProto({ node: [new onnx.NodeProto({ opType: 'Relu', input: ['ghost'], output: ['y'] })], output: [makeValueInfo('y', DataType.FLOAT, null)] });
    expect(validateModelGraph(model(graph))[0]!.message).toBe("Relu node #0 reads 'ghost', which no node, input or initializer provides");
  });

  it('reports a value defined by an input and a node, and an output nobody makes', () => {
    const graph = new onnx.GraphProto({
      input: [makeValueInfo('x', DataType.FLOAT, [2])],
      node: [node('n', 'Relu', ['x'], ['x'])],
      output: [makeValueInfo('out', DataType.FLOAT, [2])],
    });
    const messages = validateModelGraph(model(graph)).map((p) => p.message);
    expect(messages).toContain("value 'x' is defined more than once (again by node 'n' (Relu))");
    expect(messages).toContain("graph output 'out' is never produced");
  });

  it('returns nothing for a model without a graph', () => {
    expect(validateModelGraph(new onnx.ModelProto())).toEqual([]);
  });
});
