// What the toolbar calls the pipeline on the canvas: the file it was loaded from, "suggested" while
// it is still the suggested pipeline for its model (node positions aside), else "unsaved" — a
// pipeline from a share link, an autosave or the user's own edits, which Save would download.
import { canonicalJson } from '../core/pipeline/canonicalJson';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { suggestedPipeline } from '../stores/pipelineStore';

/** The parts that decide what a pipeline computes: editor-only `ui` data left out. */
function computedParts(pipeline: PipelineSpec): string {
  return canonicalJson({
    nodes: pipeline.nodes.map(({ ui: _ui, ...node }) => node),
    edges: pipeline.edges,
  });
}

export function pipelineLabel(pipeline: PipelineSpec, fileName: string | null): string {
  if (fileName !== null) return fileName;
  return computedParts(pipeline) === computedParts(suggestedPipeline()) ? 'suggested' : 'unsaved';
}
