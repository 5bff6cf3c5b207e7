// The pipeline as React Flow elements: one node per pipeline node at its canvas position (stored or
// auto-placed, canvasLayout.ts) carrying what its card shows, one edge per pipeline edge. Edges out
// of the model cannot be deleted (the block would have no input; pipelineEdits.disconnect refuses
// them), and neither can the model node. Pure.
import type { Edge, Node } from '@xyflow/react';
import type { NodeType } from '../core/pipeline/blockParams';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { pipelineBlocks, type ParamView } from '../pipelinePanel/pipelineBlocks';
import { placeNodes } from './canvasLayout';

export interface BlockNodeData extends Record<string, unknown> {
  nodeType: NodeType;
  params: ParamView[];
  /** Variants it makes per variant of its input (the product of its sweeps). */
  variantsPerInput: number;
  /** Whether the last run's status still describes it (runMatchesPipeline.ts). */
  showsRun: boolean;
}

export type BlockFlowNode = Node<BlockNodeData, 'block'>;

export function flowNodesOf(pipeline: PipelineSpec, unchangedSinceRun: ReadonlySet<string>): BlockFlowNode[] {
  const positions = placeNodes(pipeline);
  return pipelineBlocks(pipeline).map((block) => ({
    id: block.id,
    type: 'block',
    position: positions[block.id] ?? { x: 0, y: 0 },
    deletable: block.type !== 'model',
    data: { nodeType: block.type, params: block.params, variantsPerInput: block.variantsPerInput, showsRun: unchangedSinceRun.has(block.id) },
  }));
}

export function edgeId(source: string, target: string): string {
  return `${source}->${target}`;
}

export function flowEdgesOf(pipeline: PipelineSpec): Edge[] {
  const model = pipeline.nodes.find((node) => node.type === 'model')?.id;
  return pipeline.edges.map((edge) => ({
    id: edgeId(edge.source, edge.target),
    source: edge.source,
    target: edge.target,
    deletable: edge.source !== model,
  }));
}
