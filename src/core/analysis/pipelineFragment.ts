// The auto block's choice as ordinary pipeline pieces: the quantize steps that build the chosen
// model (one per bit width, scoped by `layers`, most bits first), and the same steps as spec v1
// nodes and edges, so the studio can put an editable pipeline where the auto block was and the
// CLI can print one. Both sides make the same cache keys: the steps' params are the fragment's
// params with the quantize defaults filled, which restorePipeline fills too.
import { withBlockDefaults } from '../pipeline/blockParams.js';
import { PIPELINE_LIMITS } from '../pipeline/limits.js';
import type { PipelineEdge, PipelineNode, PipelineSpec } from '../pipeline/pipelineSpec.js';
import type { AnalysisStep } from './AnalysisRuntime.js';
import type { PipelineFragment } from './BlockAnalysis.js';
import type { BitChoice } from './chooseBits.js';

interface BitGroup {
  bits: number;
  /** In the order the caller listed the layers (graph order). */
  layers: string[];
}

function bitGroups(choice: BitChoice, layerOrder: readonly string[]): BitGroup[] {
  const groups = new Map<number, string[]>();
  for (const layer of layerOrder) {
    const bits = choice.get(layer);
    if (bits !== undefined) groups.set(bits, [...(groups.get(bits) ?? []), layer]);
  }
  return [...groups].sort(([a], [b]) => b - a).map(([bits, layers]) => ({ bits, layers }));
}

/** The quantize steps that apply `choice` to a model, most bits first. */
export function quantizeSteps(choice: BitChoice, layerOrder: readonly string[]): AnalysisStep[] {
  return bitGroups(choice, layerOrder).map(({ bits, layers }) => ({ type: 'quantize', params: withBlockDefaults('quantize', { bits, layers }) }));
}

/**
 * `prefix + tail`, or `prefix + tail-2`, `-3`, ... — the first not in `taken` (lower case), with the
 * prefix shortened to keep within the node id length limit.
 */
function freshId(prefix: string, tail: string, taken: Set<string>): string {
  const fit = (suffix: string) => `${prefix.slice(0, PIPELINE_LIMITS.maxIdLength - tail.length - suffix.length)}${tail}${suffix}`;
  let id = fit('');
  for (let n = 2; taken.has(id.toLowerCase()); n++) id = fit(`-${n}`);
  taken.add(id.toLowerCase());
  return id;
}

/**
 * The nodes and edges of spec v1 that rebuild `choice` from node `inputNodeId`: quantize nodes
 * named after the auto node (`a-q8`, `a-q4`), ids fresh against `takenIds` (ignoring case, as the
 * spec does).
 */
export function fragmentOf(choice: BitChoice, layerOrder: readonly string[], where: { nodeId: string; inputNodeId: string; takenIds: Iterable<string> }): PipelineFragment {
  const taken = new Set([...where.takenIds].map((id) => id.toLowerCase()));
  const nodes: PipelineNode[] = bitGroups(choice, layerOrder).map(({ bits, layers }) => ({
    id: freshId(where.nodeId, `-q${bits}`, taken),
    type: 'quantize',
    params: { bits, layers },
  }));
  const chain = [where.inputNodeId, ...nodes.map((node) => node.id)];
  const edges: PipelineEdge[] = nodes.map((node, index) => ({ source: chain[index]!, target: node.id }));
  return { input: where.inputNodeId, output: chain.at(-1)!, nodes, edges };
}

/**
 * `pipeline` with node `nodeId` replaced by `fragment`: the node and its edges go, the fragment's
 * nodes and edges come in, and what the node fed is fed from the fragment's output. Returns a new
 * document; restorePipeline checks it like any other.
 */
export function replaceNodeWithFragment(pipeline: PipelineSpec, nodeId: string, fragment: PipelineFragment): PipelineSpec {
  const kept = pipeline.edges.filter((edge) => edge.target !== nodeId && edge.source !== nodeId);
  const fed = pipeline.edges.filter((edge) => edge.source === nodeId).map((edge) => ({ ...edge, source: fragment.output }));
  return {
    ...pipeline,
    nodes: [...pipeline.nodes.filter((node) => node.id !== nodeId), ...structuredClone(fragment.nodes)],
    edges: [...kept, ...structuredClone(fragment.edges), ...fed],
  };
}
