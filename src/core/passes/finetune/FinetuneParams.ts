// The Fine-tune block's parameters, as the pipeline spec v1 names them (../shared/DESIGN.md), with
// their defaults, and the check that turns a block's raw params into complete, valid ones.
// Extensions beyond the spec's table are marked; they are additive and optional.
import { PassError } from '../Pass.js';

export interface FinetuneParams {
  epochs: number;
  learningRate: number;
  /** Distil from the pipeline's original model (the model before the upstream compression). */
  distill: boolean;
  /** Quantization-aware training; planVariants fills it (true when an upstream block quantized). */
  qat?: boolean;
  /** Extension: train on at most this many images of the train split (its first ones). */
  trainSamples?: number;
  /** Extension: images per step [64]. */
  batchSize?: number;
  /** Extension: seeds the shuffling [1]; the same seed, model and data give the same model. */
  seed?: number;
  /** Extension: distillation temperature [4]. */
  temperature?: number;
  /** Extension: weight of the distillation term; 1 − alpha goes to cross-entropy with labels [0.5]. */
  alpha?: number;
}

export type ResolvedFinetuneParams = Required<Omit<FinetuneParams, 'qat' | 'trainSamples'>> & Pick<FinetuneParams, 'qat' | 'trainSamples'>;

/**
 * Distillation weighs the teacher's softened outputs and the labels equally (α 0.5) at T 4: a
 * fine-tune starts from a model that already agrees with its teacher, so the labels keep it honest
 * where the teacher is wrong, and T 4 passes on the teacher's ranking of the wrong classes.
 */
export const FINETUNE_DEFAULTS = { epochs: 1, learningRate: 1e-4, distill: true, batchSize: 64, seed: 1, temperature: 4, alpha: 0.5 } as const;

const PASS = 'finetune';

function positiveInteger(field: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) throw new PassError(PASS, `${field} must be a positive whole number (got ${JSON.stringify(value)})`);
  return value;
}

function positiveNumber(field: string, value: unknown): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new PassError(PASS, `${field} must be a positive number (got ${JSON.stringify(value)})`);
  return value;
}

function boolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new PassError(PASS, `${field} must be true or false (got ${JSON.stringify(value)})`);
  return value;
}

export function resolveFinetuneParams(given: Partial<FinetuneParams>): ResolvedFinetuneParams {
  const params = { ...FINETUNE_DEFAULTS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) } as ResolvedFinetuneParams;
  positiveInteger('epochs', params.epochs);
  positiveNumber('learningRate', params.learningRate);
  boolean('distill', params.distill);
  if (params.qat !== undefined) boolean('qat', params.qat);
  if (params.trainSamples !== undefined) positiveInteger('trainSamples', params.trainSamples);
  positiveInteger('batchSize', params.batchSize);
  if (!(Number.isInteger(params.seed) && params.seed >= 0)) throw new PassError(PASS, `seed must be a whole number ≥ 0 (got ${JSON.stringify(params.seed)})`);
  positiveNumber('temperature', params.temperature);
  if (!(typeof params.alpha === 'number' && params.alpha >= 0 && params.alpha <= 1)) throw new PassError(PASS, `alpha must be in [0, 1] (got ${JSON.stringify(params.alpha)})`);
  return params;
}
