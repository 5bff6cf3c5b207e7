// Structural validation of a model's graphs: every value a node reads exists, every value is
// defined once, graph outputs are produced, and there is no cycle. Subgraphs are checked with their
// enclosing scopes visible, as the ONNX IR specifies.
import type { onnx } from '../onnx/generated/onnx.js';
import { assignNodeIds } from './Graph.js';
import { GraphCycleError, buildTopology, topologicalOrder } from './topology.js';

export interface GraphProblem {
  /** Where: "graph" or a subgraph path such as "graph/node 'loop'/body". */
  path: string;
  message: string;
}

function nodeLabel(node: onnx.INodeProto, index: number): string {
  return node.name ? `node '${node.name}' (${node.opType})` : `${node.opType} node #${index}`;
}

function validateGraphProto(graph: onnx.IGraphProto, path: string, outerScope: ReadonlySet<string>, problems: GraphProblem[]): void {
  const report = (message: string) => problems.push({ path, message });
  const defined = new Set<string>();
  const define = (name: string, what: string) => {
    if (name === '') return;
    if (defined.has(name)) report(`value '${name}' is defined more than once (again by ${what})`);
    defined.add(name);
  };
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const input of graph.input ?? []) {
    // Old IR versions list initializers among the inputs too; that is not a redefinition.
    if (!initializerNames.has(input.name ?? '')) define(input.name ?? '', 'a graph input');
  }
  for (const tensor of graph.initializer ?? []) define(tensor.name ?? '', 'an initializer');
  for (const sparse of graph.sparseInitializer ?? []) define(sparse.values?.name ?? '', 'a sparse initializer');
  const nodes = graph.node ?? [];
  nodes.forEach((node, i) => {
    for (const output of node.output ?? []) define(output, nodeLabel(node, i));
  });

  const visible = (name: string) => defined.has(name) || outerScope.has(name);
  nodes.forEach((node, i) => {
    for (const input of node.input ?? []) {
      if (input !== '' && !visible(input)) {
        report(`${nodeLabel(node, i)} reads '${input}', which no node, input or initializer provides`);
      }
    }
  });
  for (const output of graph.output ?? []) {
    if (!visible(output.name ?? '')) report(`graph output '${output.name}' is never produced`);
  }

  try {
    topologicalOrder({ nodes: assignNodeIds(nodes) }, buildTopology(assignNodeIds(nodes)));
  } catch (error) {
    if (error instanceof GraphCycleError) report(error.message);
    else throw error;
  }

  const innerScope = new Set([...outerScope, ...defined]);
  nodes.forEach((node, i) => {
    for (const attribute of node.attribute ?? []) {
      const graphs = [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])];
      for (const subgraph of graphs) {
        validateGraphProto(subgraph, `${path}/${nodeLabel(node, i)}/${attribute.name}`, innerScope, problems);
      }
    }
  });
}

/** All structural problems of the model's main graph and its subgraphs (empty when valid). */
export function validateModelGraph(model: onnx.IModelProto): GraphProblem[] {
  const problems: GraphProblem[] = [];
  if (model.graph) validateGraphProto(model.graph, 'graph', new Set(), problems);
  return problems;
}
