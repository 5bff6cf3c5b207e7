// Visits every graph and every tensor inside a model: the main graph, subgraphs held in node
// attributes (If/Loop/Scan bodies, at any depth), local functions and training-info graphs.
import type { onnx } from './generated/onnx.js';

export interface GraphVisit {
  graph: onnx.IGraphProto;
  /** Where the graph sits, for messages: "graph", "graph/node 'loop'/body". */
  path: string;
}

function* nodeAttributeGraphs(nodes: onnx.INodeProto[] | null | undefined, path: string): Generator<GraphVisit> {
  for (const node of nodes ?? []) {
    for (const attribute of node.attribute ?? []) {
      const graphs = [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])];
      for (const graph of graphs) {
        yield* graphsWithin(graph, `${path}/node '${node.name || node.opType}'/${attribute.name}`);
      }
    }
  }
}

function* graphsWithin(graph: onnx.IGraphProto, path: string): Generator<GraphVisit> {
  yield { graph, path };
  yield* nodeAttributeGraphs(graph.node, path);
}

export function* modelGraphs(model: onnx.IModelProto): Generator<GraphVisit> {
  if (model.graph) yield* graphsWithin(model.graph, 'graph');
  for (const fn of model.functions ?? []) yield* nodeAttributeGraphs(fn.node, `function '${fn.name}'`);
  const trainingInfo = model.trainingInfo ?? [];
  for (let i = 0; i < trainingInfo.length; i++) {
    const { initialization, algorithm } = trainingInfo[i]!;
    if (initialization) yield* graphsWithin(initialization, `training_info[${i}]/initialization`);
    if (algorithm) yield* graphsWithin(algorithm, `training_info[${i}]/algorithm`);
  }
}

export interface TensorVisit {
  tensor: onnx.ITensorProto;
  path: string;
}

function* nodeTensors(nodes: onnx.INodeProto[] | null | undefined, path: string): Generator<TensorVisit> {
  for (const node of nodes ?? []) {
    for (const attribute of node.attribute ?? []) {
      const where = `${path}/node '${node.name || node.opType}'/${attribute.name}`;
      if (attribute.t) yield { tensor: attribute.t, path: where };
      for (const t of attribute.tensors ?? []) yield { tensor: t, path: where };
      for (const s of [...(attribute.sparseTensor ? [attribute.sparseTensor] : []), ...(attribute.sparseTensors ?? [])]) {
        if (s.values) yield { tensor: s.values, path: where };
        if (s.indices) yield { tensor: s.indices, path: where };
      }
    }
  }
}

/** Every TensorProto in the model: initializers, sparse initializers, and attribute tensors. */
export function* modelTensors(model: onnx.IModelProto): Generator<TensorVisit> {
  for (const { graph, path } of modelGraphs(model)) {
    for (const tensor of graph.initializer ?? []) yield { tensor, path };
    for (const sparse of graph.sparseInitializer ?? []) {
      if (sparse.values) yield { tensor: sparse.values, path };
      if (sparse.indices) yield { tensor: sparse.indices, path };
    }
    yield* nodeTensors(graph.node, path);
  }
  for (const fn of model.functions ?? []) yield* nodeTensors(fn.node, `function '${fn.name}'`);
}
