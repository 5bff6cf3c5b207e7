import { describe, expect, it } from 'vitest';
import { DataType } from '../onnx/dataType.js';
import { graphFromModel } from './Graph.js';
import { ModelBuilder } from './ModelBuilder.js';
import { summarizeGraph } from './summary.js';
import { buildGraphView } from './viewModel.js';

function smallCnn() {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 1, 4, 4]);
  const w = b.initializer('conv.weight', DataType.FLOAT, [2, 1, 3, 3], new Float32Array(18).fill(0.1));
  const [conv] = b.node('Conv', [x, w], { pads: [1, 1, 1, 1] }, { name: 'conv' });
  const [relu] = b.node('Relu', [conv!], {}, { name: 'relu' });
  const [shape] = b.node('Constant', [], { value_ints: [1, 32] }, { name: 'shape' });
  const [flat] = b.node('Reshape', [relu!, shape!], {}, { name: 'flatten' });
  const fcW = b.initializer('fc.weight', DataType.FLOAT, [32, 10], new Float32Array(320));
  const [logits] = b.node('MatMul', [flat!, fcW], {}, { name: 'fc' });
  b.output(logits!, DataType.FLOAT, ['N', 10]);
  return graphFromModel(b.build());
}

describe('buildGraphView', () => {
  it('draws operators and terminals, not constants', () => {
    const graph = smallCnn();
    const summary = summarizeGraph(graph, { fileName: 'cnn.onnx', fileBytes: 0 });
    const view = buildGraphView(graph, summary.layers);
    expect(view.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual([
      'input:input',
      'op:conv',
      'op:relu',
      'op:flatten',
      'op:fc',
      'output:fc_out',
    ]);
    expect(view.opNodeCount).toBe(4);
    const conv = view.nodes.find((n) => n.id === 'conv')!;
    expect(conv).toMatchObject({ isLayer: true, params: 18, opType: 'Conv' });
    expect(view.nodes.find((n) => n.id === 'relu')).toMatchObject({ isLayer: false, params: 0 });
  });

  it('labels each edge with the tensor it carries, skipping constants', () => {
    const graph = smallCnn();
    const view = buildGraphView(graph, []);
    const edges = view.edges.map((e) => `${e.source}->${e.target} [${e.tensor}]`);
    expect(edges).toEqual([
      'input:input->conv [input]',
      'conv->relu [conv_out]',
      'relu->flatten [relu_out]',
      'flatten->fc [flatten_out]',
      'fc->output:fc_out [fc_out]',
    ]);
    expect(new Set(view.edges.map((e) => e.id)).size).toBe(view.edges.length);
  });

  it('keeps terminal ids distinct from node ids', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [1]);
    const [y] = b.node('Relu', [x], {}, { name: 'input:x' });
    b.output(y!, DataType.FLOAT, [1]);
    const view = buildGraphView(graphFromModel(b.build()), []);
    const ids = view.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(view.edges[0]).toMatchObject({ target: 'input:x', tensor: 'x' });
  });

  it('handles a 6,000-node chain', () => {
    const b = new ModelBuilder();
    let value = b.input('x', DataType.FLOAT, ['N', 8]);
    for (let i = 0; i < 6000; i++) value = b.node(i % 2 ? 'Relu' : 'Sigmoid', [value])[0]!;
    b.output(value, DataType.FLOAT, ['N', 8]);
    const graph = graphFromModel(b.build());
    const view = buildGraphView(graph, []);
    expect(view.opNodeCount).toBe(6000);
    expect(view.edges).toHaveLength(6001);
  });
});
