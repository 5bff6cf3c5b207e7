// How the model graph is coloured: by op category (the default) or by a metric of each layer
// (sensitivity, assigned bits, sparsity, parameter share; src/graphView/coloring/layerMetrics.ts),
// and the colouring worked out for the open model and pipeline. The graph view computes the
// colouring when its inputs change and puts it here, so each node reads only its own value.
import { create } from 'zustand';
import type { GraphColorMetric, LayerColoring } from '../graphView/coloring/layerMetrics';

export interface GraphColorState {
  metric: GraphColorMetric;
  coloring: LayerColoring;
  setMetric(metric: GraphColorMetric): void;
  setColoring(coloring: LayerColoring): void;
}

const BY_CATEGORY: LayerColoring = { metric: 'category', values: new Map(), scale: null, emptyReason: null };

export const useGraphColorStore = create<GraphColorState>()((set) => ({
  metric: 'category',
  coloring: BY_CATEGORY,
  setMetric(metric) {
    set({ metric });
  },
  setColoring(coloring) {
    set({ coloring });
  },
}));
