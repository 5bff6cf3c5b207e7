// The Distill block's parameters, as the pipeline spec v1 names them (../shared/DESIGN.md), with their
// defaults, and the check that turns a block's raw params into complete, valid ones. Extensions
// beyond the spec: `patience` (early stopping), `seed`, `criterion` (how a width student picks the
// teacher's channels it keeps), `trainSamples` (a cap on training images, for quick runs), and
// `features` with `featureWeight` (feature distillation between named layers' outputs).
import { PassError } from '../Pass.js';

export type StudentSpec = { width: number } | { template: string } | { sample: string };
export type DistillOptimizer = 'adam' | 'sgd';
/** How a `{ width }` student ranks the teacher's channels: filter L1 norm, or |γ| of the BatchNorm after it. */
export type StudentCriterion = 'l1' | 'bn';

export interface DistillParams {
  student: StudentSpec;
  /** Softens both distributions: softmax(logits / T). */
  temperature: number;
  /** Weight of the distillation term; 1 − alpha weighs cross-entropy with the labels (none needed at 1). */
  alpha: number;
  epochs: number;
  batchSize: number;
  /** Peak learning rate; it decays along a cosine over the run. */
  learningRate: number;
  optimizer: DistillOptimizer;
  /** Epochs in a row without a better validation accuracy before training stops early. */
  patience: number;
  /** Seeds the student's initialisation (templates) and the shuffling: same seed, same output bytes. */
  seed: number;
  criterion: StudentCriterion;
  /** Train on at most this many images (the first ones of the training split); all when absent. */
  trainSamples?: number;
  /** Layers whose outputs the student learns to match (MSE, through a 1×1 projection when widths differ). */
  features?: FeatureLayers[];
  /** Weight of the feature term beside the logit loss. */
  featureWeight: number;
}

/** A student layer and the teacher layer whose output it should reproduce, by layer name. */
export interface FeatureLayers {
  student: string;
  teacher: string;
}

export const DISTILL_DEFAULTS: Omit<DistillParams, 'trainSamples' | 'features'> = {
  student: { width: 0.5 },
  temperature: 4,
  alpha: 0.7,
  epochs: 3,
  batchSize: 64,
  learningRate: 0.001,
  optimizer: 'adam',
  patience: 2,
  seed: 1,
  criterion: 'l1',
  featureWeight: 1,
};

const PASS = 'distill';

function numberIn(field: string, value: unknown, min: number, max: number, what: string, options: { aboveMin?: boolean; integer?: boolean } = {}): number {
  const ok = typeof value === 'number' && Number.isFinite(value) && (options.aboveMin ? value > min : value >= min) && value <= max && (!options.integer || Number.isInteger(value));
  if (!ok) throw new PassError(PASS, `${field} must be ${options.integer ? 'a whole number' : 'a number'} ${options.aboveMin ? `above ${min}` : `from ${min}`} ${options.aboveMin ? 'and at most' : 'to'} ${max} (${what}), not ${JSON.stringify(value)}`);
  return value as number;
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new PassError(PASS, `${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, not ${JSON.stringify(value)}`);
}

function resolveStudent(value: unknown): StudentSpec {
  const expected = "{ width: w } with 0 < w ≤ 1, { template: ID } or { sample: ID }";
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PassError(PASS, `student must be ${expected}, not ${JSON.stringify(value)}`);
  const given = (['width', 'template', 'sample'] as const).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  if (given.length !== 1) throw new PassError(PASS, `student must be ${expected}; got ${given.length === 0 ? 'none of them' : given.join(' and ')}`);
  const key = given[0]!;
  const field = (value as Record<string, unknown>)[key];
  if (key === 'width') return { width: numberIn('student.width', field, 0, 1, 'the fraction of each channel group the student keeps', { aboveMin: true }) };
  if (typeof field !== 'string' || field === '') throw new PassError(PASS, `student.${key} must be an id (a non-empty string), not ${JSON.stringify(field)}`);
  return key === 'template' ? { template: field } : { sample: field };
}

/** Complete params from a block's (possibly partial) ones; throws PassError naming the bad field. */
export function resolveDistillParams(params: Partial<DistillParams>): DistillParams {
  const merged = { ...DISTILL_DEFAULTS, ...params };
  const resolved: DistillParams = {
    student: resolveStudent(merged.student),
    temperature: numberIn('temperature', merged.temperature, 0, 100, 'softmax temperature', { aboveMin: true }),
    alpha: numberIn('alpha', merged.alpha, 0, 1, 'the weight of the distillation term'),
    epochs: numberIn('epochs', merged.epochs, 1, 1000, 'passes over the training images', { integer: true }),
    batchSize: numberIn('batchSize', merged.batchSize, 1, 4096, 'images per step', { integer: true }),
    learningRate: numberIn('learningRate', merged.learningRate, 0, 10, 'the optimizer step size', { aboveMin: true }),
    optimizer: oneOf('optimizer', merged.optimizer, ['adam', 'sgd'] as const),
    patience: numberIn('patience', merged.patience, 1, 1000, 'epochs without a better validation accuracy before stopping', { integer: true }),
    seed: numberIn('seed', merged.seed, 0, 2 ** 32 - 1, 'the random seed', { integer: true }),
    criterion: oneOf('criterion', merged.criterion, ['l1', 'bn'] as const),
    featureWeight: numberIn('featureWeight', merged.featureWeight, 0, 1000, 'the weight of the feature term'),
  };
  if (merged.features !== undefined) resolved.features = resolveFeatures(merged.features);
  if (merged.trainSamples !== undefined) resolved.trainSamples = numberIn('trainSamples', merged.trainSamples, 1, 10_000_000, 'a cap on training images', { integer: true });
  return resolved;
}

function resolveFeatures(value: unknown): FeatureLayers[] {
  const expected = 'a list of { student: LAYER, teacher: LAYER } pairs of layer names';
  const isPair = (p: unknown): p is FeatureLayers =>
    typeof p === 'object' && p !== null && typeof (p as FeatureLayers).student === 'string' && typeof (p as FeatureLayers).teacher === 'string' && (p as FeatureLayers).student !== '' && (p as FeatureLayers).teacher !== '';
  if (!Array.isArray(value) || value.length === 0 || !value.every(isPair)) throw new PassError(PASS, `features must be ${expected}, not ${JSON.stringify(value)}`);
  return value.map((p) => ({ student: p.student, teacher: p.teacher }));
}
