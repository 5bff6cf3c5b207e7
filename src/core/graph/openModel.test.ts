// openModel: the structural checks that turn a decodable but broken graph into a ModelFileError
// ('invalid-graph') naming the file, the node and the value, and the success path for every
// structural model.
import { describe, expect, it } from 'vitest';
import { DataType } from '../onnx/dataType.js';
import { encodeModel, ModelFileError } from '../onnx/modelFile.js';
import { ModelBuilder } from './ModelBuilder.js';
import { openModel } from './openModel.js';
import { structuralModel, structuralModels } from '../testing/structuralModels.js';

function openError(bytes: Uint8Array, fileName: string): ModelFileError {
  try {
    openModel(bytes, { fileName });
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected openModel to fail');
}

function expectInvalidGraph(bytes: Uint8Array, fileName: string, ...mentions: (string | RegExp)[]): string {
  const error = openError(bytes, fileName);
  expect(error.problem).toBe('invalid-graph');
  expect(error.message.startsWith(`${fileName}: invalid graph: `)).toBe(true);
  for (const m of mentions) expect(error.message).toMatch(m);
  return error.message;
}

describe('openModel', () => {
  it.each(structuralModels.map((m) => [m.name, m] as const))('opens %s into a Graph', (_name, spec) => {
    const bytes = encodeModel(spec.build());
    const opened = openModel(bytes, { fileName: `${spec.name}.onnx` });
    expect(opened.fileName).toBe(`${spec.name}.onnx`);
    expect(opened.fileBytes).toBe(bytes.length);
    expect(opened.graph.nodes.length).toBeGreaterThan(0);
    expect(opened.graph.inputs.map((i) => i.name)).toEqual(Object.keys(spec.inputs()));
  });

  it('reports a cycle, naming the nodes on it', () => {
    const b = new ModelBuilder();
    const x = b.input('input', DataType.FLOAT, [2]);
    b.node('Add', [x, 'loop_b'], {}, { name: 'first', outputs: ['loop_a'] });
    b.node('Relu', ['loop_a'], {}, { name: 'second', outputs: ['loop_b'] });
    b.node('Neg', [x], {}, { name: 'fine', outputs: ['output'] });
    b.output('output', DataType.FLOAT, [2]);
    const message = expectInvalidGraph(encodeModel(b.build()), 'cyclic.onnx', /cycle through 'first', 'second'/);
    expect(message).not.toMatch(/'fine'/);
  });

  it('reports a node reading a value nothing provides, naming node and value', () => {
    const b = new ModelBuilder();
    const x = b.input('input', DataType.FLOAT, [1, 4]);
    const w = b.initializer('fc.weight', DataType.FLOAT, [4, 4], new Float32Array(16));
    b.node('Gemm', [x, w, 'fc.bias'], {}, { name: 'fc', outputs: ['output'] });
    b.output('output', DataType.FLOAT, [1, 4]);
    expectInvalidGraph(encodeModel(b.build()), 'dangling.onnx', "node 'fc' (Gemm) reads 'fc.bias', which no node, input or initializer provides");
  });

  it('reports a dangling read inside a subgraph, with the path to it', () => {
    const model = structuralModel('control-flow').build();
    const ifNode = model.graph!.node!.find((n) => n.opType === 'If')!;
    const thenBranch = ifNode.attribute!.find((a) => a.name === 'then_branch')!.g!;
    thenBranch.node![0]!.input = ['input', 'ghost'];
    expectInvalidGraph(
      encodeModel(model),
      'cf.onnx',
      "node 'then_mul' (Mul) reads 'ghost', which no node, input or initializer provides",
      "(in graph/node 'branch' (If)/then_branch)",
    );
  });

  it('accepts subgraphs reading outer values but not values of a sibling subgraph', () => {
    const model = structuralModel('control-flow').build();
    const ifNode = model.graph!.node!.find((n) => n.opType === 'If')!;
    const elseBranch = ifNode.attribute!.find((a) => a.name === 'else_branch')!.g!;
    elseBranch.node![0]!.input = ['input', 'then_out']; // defined only inside then_branch
    expectInvalidGraph(encodeModel(model), 'cf.onnx', /reads 'then_out'/, /else_branch/);
  });

  it('reports a graph output that is never produced', () => {
    const b = new ModelBuilder();
    const x = b.input('input', DataType.FLOAT, [2]);
    b.node('Relu', [x], {}, { name: 'relu', outputs: ['output'] });
    b.output('output', DataType.FLOAT, [2]);
    b.output('logits', DataType.FLOAT, [2]);
    expectInvalidGraph(encodeModel(b.build()), 'noout.onnx', "graph output 'logits' is never produced");
  });

  it('reports a value defined twice, and counts further problems', () => {
    const b = new ModelBuilder();
    const x = b.input('input', DataType.FLOAT, [2]);
    b.node('Relu', [x], {}, { name: 'a', outputs: ['output'] });
    const model = b.build();
    model.graph!.node!.push({ ...model.graph!.node![0]!, name: 'b' });
    model.graph!.output = [...(model.graph!.output ?? []), { name: 'missing1' }, { name: 'missing2' }];
    expectInvalidGraph(encodeModel(model), 'twice.onnx', /value 'output' is defined more than once \(again by node 'b' \(Relu\)\)/, /; 2 more problems/);
  });

  it('passes decode errors through unchanged', () => {
    const error = openError(new Uint8Array(0), 'empty.onnx');
    expect(error.problem).toBe('empty');
  });
});
