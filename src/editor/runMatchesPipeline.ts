// Whether a node's run status still describes it: the run's badges belong to the pipeline that
// ran, and a node keeps its badge while it, and every node upstream of it, is what ran — same type,
// same params, same input. Moving nodes (editor-only `ui`) or editing another branch keeps it;
// changing its params, or anything upstream, shows it as not run yet. Pure.
import { canonicalJson } from '../core/pipeline/canonicalJson';
import type { PipelineNode, PipelineSpec } from '../core/pipeline/pipelineSpec';
import { inputOf } from './pipelineEdits';

function sameBlock(a: PipelineNode, b: PipelineNode): boolean {
  return a.type === b.type && canonicalJson(a.params) === canonicalJson(b.params);
}

/** Ids of the nodes of `pipeline` whose chain from the model is unchanged in `ran`. */
export function nodesUnchangedSince(pipeline: PipelineSpec, ran: PipelineSpec | null): Set<string> {
  const unchanged = new Set<string>();
  if (!ran) return unchanged;
  if (canonicalJson(pipeline.model ?? null) !== canonicalJson(ran.model ?? null) || canonicalJson(pipeline.dataset ?? null) !== canonicalJson(ran.dataset ?? null)) return unchanged;
  const ranById = new Map(ran.nodes.map((node) => [node.id, node]));
  const memo = new Map<string, boolean>();
  const check = (node: PipelineNode, depth: number): boolean => {
    const known = memo.get(node.id);
    if (known !== undefined) return known;
    const before = ranById.get(node.id);
    const input = inputOf(pipeline, node.id);
    let same = before !== undefined && sameBlock(node, before) && input === inputOf(ran, node.id);
    if (same && input !== null && depth < pipeline.nodes.length) {
      const inputNode = pipeline.nodes.find((candidate) => candidate.id === input);
      same = inputNode !== undefined && check(inputNode, depth + 1);
    }
    memo.set(node.id, same);
    return same;
  };
  for (const node of pipeline.nodes) if (check(node, 0)) unchanged.add(node.id);
  return unchanged;
}
