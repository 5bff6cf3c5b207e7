// Raising a model's default-domain opset, correctly: int4 weights and block-wise scales need
// DequantizeLinear-21 (int2 needs 25), and an opset import applies to every node of the model, so
// each node whose op changed meaning between the model's opset and the target is rewritten to keep
// its meaning (opsetConverters.ts). When some node cannot be kept — or sits inside a subgraph,
// which this upgrade does not rewrite — nothing is changed and the error lists every such node.
import type { onnx } from '../../onnx/generated/onnx.js';
import type { Graph } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { PassError } from '../Pass.js';
import { OPSET_CHANGES, REMOVED_OPS, type OpsetChange } from './opsetConverters.js';
import { defaultDomainKey, defaultOpset, withIrVersionAtLeast } from './modelProperties.js';

/** Opsets older than this predate broadcasting and operator versioning as later opsets know them. */
export const OLDEST_UPGRADABLE_OPSET = 7;

/** The IR version each opset came with (ONNX releases); raising the opset raises the IR to match. */
export function irVersionForOpset(opset: number): number {
  if (opset >= 25) return 13;
  if (opset >= 24) return 12;
  if (opset >= 23) return 11;
  if (opset >= 21) return 10;
  if (opset >= 19) return 9;
  if (opset >= 15) return 8;
  if (opset >= 12) return 7;
  if (opset >= 11) return 6;
  if (opset >= 10) return 5;
  if (opset >= 9) return 4;
  return 3;
}

function isDefaultDomain(node: onnx.INodeProto): boolean {
  return !node.domain || node.domain === 'ai.onnx';
}

function changesBetween(opType: string, from: number, to: number): OpsetChange[] {
  return (OPSET_CHANGES.get(opType) ?? []).filter((change) => change.since > from && change.since <= to);
}

/** Nodes inside subgraphs (If/Loop/Scan bodies) that would need a rewrite, described. */
function subgraphProblems(nodes: readonly onnx.INodeProto[], from: number, to: number, where: string, problems: string[]): void {
  for (const node of nodes) {
    for (const attribute of node.attribute ?? []) {
      for (const body of [...(attribute.g ? [attribute.g] : []), ...(attribute.graphs ?? [])]) {
        const inside = `${where}${node.name || node.opType} (${attribute.name})`;
        for (const child of body.node ?? []) {
          if (!isDefaultDomain(child)) continue;
          if (REMOVED_OPS.has(child.opType ?? '')) problems.push(`${child.name || child.opType} in ${inside}: ${child.opType} is not part of any recent opset`);
          else if (changesBetween(child.opType ?? '', from, to).length > 0) problems.push(`${child.name || child.opType} in ${inside}: ${child.opType} changed meaning, and subgraphs are not rewritten`);
        }
        subgraphProblems(body.node ?? [], from, to, `${inside} → `, problems);
      }
    }
  }
}

/**
 * The graph with its default-domain opset raised to `target` (and its IR version to match), every
 * affected node rewritten. A graph already at or above `target` comes back unchanged.
 */
export function upgradeOpset(graph: Graph, target: number, pass = 'quantize'): Graph {
  const current = defaultOpset(graph);
  if (current === undefined) throw new PassError(pass, 'the model imports no default (ai.onnx) opset, so its operators cannot be interpreted');
  if (current >= target) return graph;
  if (current < OLDEST_UPGRADABLE_OPSET) {
    throw new PassError(pass, `the model uses opset ${current}; upgrading to opset ${target} is supported from opset ${OLDEST_UPGRADABLE_OPSET} (convert it with onnx.version_converter first)`);
  }
  const edit = new GraphEditor(graph);
  const problems: string[] = [];
  for (const node of graph.nodes) {
    const proto = node.proto;
    if (!isDefaultDomain(proto)) continue;
    const label = `${node.id} (${proto.opType})`;
    if (REMOVED_OPS.has(proto.opType ?? '')) {
      problems.push(`${label}: ${proto.opType} is not part of any recent opset`);
      continue;
    }
    let converted: onnx.INodeProto = proto;
    for (const change of changesBetween(proto.opType ?? '', current, target)) {
      const result = change.convert(converted, { edit, nodeId: node.id, targetOpset: target });
      if (typeof result === 'string') {
        problems.push(`${label}: ${result}`);
        break;
      }
      converted = result;
    }
    if (converted !== proto) edit.replaceNode(node.id, converted);
  }
  subgraphProblems(graph.nodes.map((n) => n.proto), current, target, '', problems);
  if (problems.length > 0) {
    throw new PassError(pass, `needs opset ${target} (the model has ${current}), but ${problems.length === 1 ? 'this node' : 'these nodes'} cannot be carried over: ${problems.join('; ')}`);
  }
  edit.setOpset(defaultDomainKey(graph), target);
  return withIrVersionAtLeast(edit.build({ keepUnusedInitializers: true }), irVersionForOpset(target));
}
