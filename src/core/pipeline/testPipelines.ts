// Pipelines for the pipeline tests: DESIGN.md's example, and a builder for small variations of it.
import type { PipelineSpec } from './pipelineSpec.js';

/** The example of DESIGN.md, "Contract: pipeline spec v1", verbatim. */
export function designExample(): Record<string, unknown> {
  return {
    type: 'whittle-pipeline',
    version: 1,
    model: { sample: 'fashion-cnn' },
    dataset: { sample: 'fashion-mnist' },
    nodes: [
      { id: 'model', type: 'model' },
      { id: 'p', type: 'prune', params: { sparsity: 0.5, pattern: 'unstructured' } },
      { id: 'q', type: 'quantize', params: { bits: [8, 4], granularity: 'channel' } },
    ],
    edges: [
      { source: 'model', target: 'p' },
      { source: 'p', target: 'q' },
    ],
  };
}

type NodeInput = { id: string; type: string; params?: Record<string, unknown> };

/** A pipeline of `nodes` (the model node first is added for you), chained in the order given unless `edges` says otherwise. */
export function pipelineOf(nodes: NodeInput[], edges?: [string, string][]): PipelineSpec {
  const all = [{ id: 'model', type: 'model', params: {} }, ...nodes.map((node) => ({ params: {}, ...node }))];
  const chain = all.slice(1).map((node, index) => [all[index]!.id, node.id] as [string, string]);
  return {
    type: 'whittle-pipeline',
    version: 1,
    nodes: all,
    edges: (edges ?? chain).map(([source, target]) => ({ source, target })),
  } as PipelineSpec;
}
