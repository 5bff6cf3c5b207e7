// One colour per block type, shared by the chart's points, its legend and the table's swatches.
// Mid-tone hues that read on the light and the dark theme alike; the model (the baseline) is a
// neutral grey, so the compressed variants carry the colour.
import type { NodeType } from '../core/pipeline/blockParams';

export const BLOCK_COLORS: Record<NodeType, string> = {
  model: '#6b7280',
  quantize: '#d6457a',
  prune: '#1f9a8a',
  distill: '#8a5cd6',
  finetune: '#d9822b',
  lowrank: '#3b6fe0',
  cluster: '#5a9e3c',
  foldbn: '#a07a4a',
  sensitivity: '#b7791f',
  auto: '#c4322b',
};

export const BLOCK_LABELS: Record<NodeType, string> = {
  model: 'Model (baseline)',
  quantize: 'Quantize',
  prune: 'Prune',
  distill: 'Distill',
  finetune: 'Fine-tune',
  lowrank: 'Low-rank',
  cluster: 'Cluster',
  foldbn: 'Fold BN',
  sensitivity: 'Sensitivity',
  auto: 'Auto',
};
