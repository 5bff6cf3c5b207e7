// The words the inspector puts around a block: its one-line description (the palette's, from the
// editor's help pages), a label per parameter (written out where the spec's camelCase name would
// read poorly, derived otherwise so a new param always has one), a short hint where the name alone
// does not say enough, and the help page's sentence about each param.
import type { BlockType } from '../core/pipeline/blockParams';
import { BLOCK_HELP, SCOPE_HELP } from '../editor/help/blockHelp';

/** The model node's line; a block's is its palette line (BLOCK_HELP's summary), so the two never differ. */
export const MODEL_DESCRIPTION = 'The model as opened: the baseline every variant is measured against.';

export function blockDescription(type: BlockType): string {
  return BLOCK_HELP[type].summary;
}

/** The help page's sentence about a param (its meaning and values), for the label's tooltip. */
export function paramHelpText(type: BlockType, name: string): string | null {
  return [...BLOCK_HELP[type].params, ...SCOPE_HELP].find((param) => param.name === name)?.text ?? null;
}

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
