// Keeps the graph colouring (graphColorStore) in step with what it is computed from: the chosen
// metric, the open model, the pipeline's blocks and the sensitivity analysis the results show.
import { useEffect, useMemo } from 'react';
import { sensitivityToShow } from '../../charts/sensitivityBars';
import { useGraphColorStore } from '../../stores/graphColorStore';
import type { LoadedModel } from '../../stores/modelStore';
import { usePipelineStore } from '../../stores/pipelineStore';
import { useResultsStore } from '../../stores/resultsStore';
import { weightLayers } from '../scope/layerScope';
import { layerColoring } from './layerMetrics';

export function useLayerColoring(model: LoadedModel | null): void {
  const metric = useGraphColorStore((s) => s.metric);
  // Only the metrics that read them subscribe, so a run's progress never recolours a bits view.
  const pipeline = usePipelineStore((s) => (metric === 'bits' || metric === 'sparsity' ? s.pipeline : null));
  const analyses = useResultsStore((s) => (metric === 'sensitivity' ? s.analyses : null));
  const selectedVariantId = useResultsStore((s) => (metric === 'sensitivity' ? s.selectedVariantId : null));
  const layers = useMemo(() => (model ? weightLayers(model.view) : []), [model]);

  useEffect(() => {
    const sensitivity = analyses ? (sensitivityToShow(analyses, selectedVariantId)?.analysis ?? null) : null;
    const coloring = layerColoring(metric, {
      layers,
      totalParams: model?.summary.totals.params ?? 0,
      pipeline: pipeline ?? usePipelineStore.getState().pipeline,
      sensitivity,
    });
    useGraphColorStore.getState().setColoring(coloring);
  }, [metric, layers, model, pipeline, analyses, selectedVariantId]);
}
