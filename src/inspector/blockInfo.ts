// The words the inspector puts around a block: a one-line description per block type, a label per
// parameter (written out where the spec's camelCase name would read poorly, derived otherwise so
// a new param always has one) and a short hint where the name alone does not say enough.
import type { NodeType } from '../core/pipeline/blockParams';

export const BLOCK_DESCRIPTIONS: Record<NodeType, string> = {
  model: 'The model as opened: the baseline every variant is measured against.',
  quantize: 'Stores weights (and optionally activations) in fewer bits.',
  prune: 'Sets the least important weights to zero.',
  distill: 'Trains a smaller student to imitate this model.',
  finetune: 'Trains the compressed model a little to win back accuracy.',
  lowrank: 'Replaces each weight matrix by a product of two thinner ones.',
  cluster: 'Shares weights: each layer keeps a small codebook and indices into it.',
  foldbn: 'Folds BatchNormalization into the layer before it; predictions stay the same.',
  sensitivity: 'Measures how much accuracy each layer loses when compressed alone.',
  auto: 'Searches per-layer settings within an accuracy budget, verified by evaluation.',
};

const LABELS: Record<string, string> = {
  groupSize: 'Group size',
  calibrationSamples: 'Calibration samples',
  learningRate: 'Learning rate',
  batchSize: 'Batch size',
  qat: 'Quantization-aware training',
  distill: 'Distil from the input model',
  rank: 'Rank (fraction of full)',
  maxDrop: 'Max accuracy drop (points)',
  layers: 'Only these layers',
  exclude: 'Keep in float',
  keepFirstLast: 'Keep first and last in float',
  format: '4-bit MatMul format',
};

const HINTS: Record<string, string> = {
  bits: '16 stores float16; the others are integers.',
  groupSize: "Used when granularity is 'group'.",
  percentile: "Used by 'percentile' calibration.",
  calibrationSamples: 'Images used to calibrate static activations.',
  activations: 'static and dynamic also quantize what flows between layers.',
  alpha: 'Weight of the teacher’s soft targets against the labels.',
  qat: 'Unset: on when a block upstream quantizes.',
  layers: 'Unset: every layer the block can change.',
  exclude: 'These layers are never changed.',
  maxDrop: 'Accuracy points the search may give up.',
  sparsity: 'Fraction of weights set to zero.',
  trainSamples: 'Unset: every training image.',
  keepFirstLast: 'The first and last layers are the most sensitive.',
};

/** "groupSize" → "Group size": what a param without a written label is called. */
export function labelFromName(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function paramLabel(name: string): string {
  return Object.prototype.hasOwnProperty.call(LABELS, name) ? LABELS[name]! : labelFromName(name);
}

export function paramHint(name: string): string | null {
  return Object.prototype.hasOwnProperty.call(HINTS, name) ? HINTS[name]! : null;
}
