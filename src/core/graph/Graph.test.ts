// Graph IR basics: node ids, and graphFromModel/modelFromGraph sharing rather than copying.
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { encodeModel } from '../onnx/modelFile.js';
import { assignNodeIds, graphFromModel, modelFromGraph, nodeInputs, nodeOutputs, opTypeOf } from './Graph.js';
import { structuralModel } from '../testing/structuralModels.js';

describe('assignNodeIds', () => {
  it('uses names, falls back to opType_index, and disambiguates duplicates', () => {
    const ids = assignNodeIds([
      new onnx.NodeProto({ name: 'conv', opType: 'Conv' }),
      new onnx.NodeProto({ opType: 'Relu' }),
      new onnx.NodeProto({ name: 'conv', opType: 'Conv' }),
      new onnx.NodeProto({}),
      new onnx.NodeProto({ name: 'Relu_1', opType: 'Add' }),
      new onnx.NodeProto({ opType: 'Relu' }),
    ]).map((n) => n.id);
    expect(ids).toEqual(['conv', 'Relu_1', 'conv#2', 'node_3', 'Relu_1#4', 'Relu_5']);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('graphFromModel / modelFromGraph', () => {
  it('exposes nodes, initializers, inputs and outputs, sharing the protos', () => {
    const model = structuralModel('cnn').build();
    const graph = graphFromModel(model);
    expect(graph.name).toBe('main');
    expect(graph.nodes[0]!.proto).toBe(model.graph!.node![0]);
    expect(opTypeOf(graph.nodes[0]!)).toBe('Conv');
    expect(nodeInputs(graph.nodes[0]!)).toEqual(['input', 'conv1.weight', 'conv1.bias']);
    expect(nodeOutputs(graph.nodes[0]!)).toEqual(['conv1_out']);
    expect(graph.initializers.get('fc.weight')).toBe(model.graph!.initializer!.find((t) => t.name === 'fc.weight'));
    const rebuilt = modelFromGraph(graph);
    expect(rebuilt.graph!.initializer![0]).toBe(graph.initializers.get('conv1.weight'));
    expect(rebuilt.graph).not.toBe(model.graph);
  });

  it('writes an edited graph (a pass result) without touching the source model', () => {
    const model = structuralModel('mlp').build();
    const before = encodeModel(model);
    const graph = graphFromModel(model);
    const initializers = new Map(graph.initializers);
    initializers.delete('fc2.bias');
    const fc2 = graph.nodes.find((n) => n.id === 'fc2')!;
    const edited = modelFromGraph({
      ...graph,
      initializers,
      nodes: graph.nodes.map((n) => (n === fc2 ? { ...n, proto: new onnx.NodeProto({ ...n.proto, input: n.proto.input!.slice(0, 2) }) } : n)),
    });
    expect(edited.graph!.initializer!.map((t) => t.name)).not.toContain('fc2.bias');
    expect(Buffer.from(encodeModel(model)).equals(Buffer.from(before))).toBe(true);
  });

  it('handles a model without a graph name or any graph at all', () => {
    const graph = graphFromModel(new onnx.ModelProto({}));
    expect(graph.name).toBe('');
    expect(graph.nodes).toEqual([]);
    const rebuilt = modelFromGraph(graph);
    expect(Object.prototype.hasOwnProperty.call(rebuilt.graph, 'name')).toBe(false);
  });
});
