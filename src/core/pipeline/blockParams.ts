// The block vocabulary of pipeline spec v1 (../shared/DESIGN.md, "Block vocabulary"): each block's
// parameters in declaration order, what each may hold, and its defaults. Names here are part of the
// contract — add blocks and params, never rename. Declaration order is also the order sweeps
// expand in and the order a variant id lists its choices (`q[bits=4,groupSize=32]`).
//
// Every block also takes the scope params `layers` (only these layer names), `exclude` (never
// these) and the extension `keepFirstLast`. Unknown params are kept (a newer Whittle may have
// added them) but never swept; unknown block types are an error.
import { z } from 'zod';
import { QUANTIZE_DEFAULTS } from '../passes/quantize/QuantizeParams.js';
import {
  integer,
  isSweep,
  mustBe,
  nameList,
  numberIn,
  oneOf,
  studentSpec,
  sweepable,
  trueOrFalse,
  type ParamKind,
  type ParamValue,
  type StudentSpec,
} from './paramKinds.js';

const quantizeBits = oneOf([2, 3, 4, 8, 16]);
const sparsity = numberIn(0, 0.99);
const learningRate = numberIn(0, 10, { aboveMin: true });
const epochs = integer(1, 1000);
/** Extension (distill, finetune): train on at most this many of the train split's images — a quick look; absent: all of them. */
const trainSamples = integer(1, 10_000_000);

const SCOPE_PARAMS = {
  layers: nameList('layer name'),
  exclude: nameList('layer name'),
  keepFirstLast: trueOrFalse(),
};

type ParamTable = Record<string, ParamKind<any>>;
type Values<Table extends ParamTable> = { [Name in keyof Table]: ParamValue<Table[Name]> };

interface BlockDefinition<Table extends ParamTable, Defaulted extends keyof Table> {
  readonly params: Table;
  readonly defaults: Pick<Values<Table>, Defaulted>;
}

function block<Table extends ParamTable, Defaulted extends keyof Table>(
  params: Table,
  defaults: Pick<Values<Table>, Defaulted>,
): BlockDefinition<Table & typeof SCOPE_PARAMS, Defaulted> {
  return { params: { ...params, ...SCOPE_PARAMS }, defaults } as BlockDefinition<Table & typeof SCOPE_PARAMS, Defaulted>;
}

export const BLOCKS = {
  quantize: block(
    {
      bits: quantizeBits,
      granularity: oneOf(['tensor', 'channel', 'group']),
      groupSize: integer(1, 65536),
      symmetric: trueOrFalse(),
      activations: oneOf(['none', 'static', 'dynamic']),
      calibration: oneOf(['minmax', 'percentile', 'entropy', 'mse']),
      calibrationSamples: integer(1, 100_000),
      /** Extension: 4-bit MatMul/Gemm weights as QDQ (opset 21 int4) or com.microsoft.MatMulNBits. */
      format: oneOf(['qdq', 'matmulnbits']),
      /** Extension: the percentile kept by 'percentile' calibration. */
      percentile: numberIn(0, 100, { aboveMin: true }),
    },
    {
      bits: QUANTIZE_DEFAULTS.bits,
      granularity: QUANTIZE_DEFAULTS.granularity,
      groupSize: QUANTIZE_DEFAULTS.groupSize,
      symmetric: QUANTIZE_DEFAULTS.symmetric,
      activations: QUANTIZE_DEFAULTS.activations,
      calibration: QUANTIZE_DEFAULTS.calibration,
      calibrationSamples: QUANTIZE_DEFAULTS.calibrationSamples,
      format: QUANTIZE_DEFAULTS.format ?? 'qdq',
      percentile: QUANTIZE_DEFAULTS.percentile ?? 99.99,
    },
  ),
  prune: block(
    {
      sparsity,
      pattern: oneOf(['unstructured', '2:4', 'channel']),
      scope: oneOf(['layer', 'global']),
      criterion: oneOf(['magnitude', 'l1', 'l2', 'bn']),
    },
    { sparsity: 0.5, pattern: 'unstructured', scope: 'layer', criterion: 'magnitude' },
  ),
  distill: block(
    {
      student: studentSpec(),
      temperature: numberIn(0, 100, { aboveMin: true }),
      alpha: numberIn(0, 1),
      epochs,
      batchSize: integer(1, 4096),
      learningRate,
      optimizer: oneOf(['adam', 'sgd']),
      trainSamples,
    },
    // The spec gives no default student; half the teacher's width is the one that needs nothing else.
    { student: { width: 0.5 } as StudentSpec, temperature: 4, alpha: 0.7, epochs: 3, batchSize: 64, learningRate: 0.001, optimizer: 'adam' },
  ),
  finetune: block(
    {
      epochs,
      learningRate,
      /** Use the block's input model as teacher. */
      distill: trueOrFalse(),
      /** Quantization-aware training. No constant default: true when an upstream block quantized (planVariants fills it). */
      qat: trueOrFalse(),
      trainSamples,
    },
    // The spec gives no default learning rate; a tenth of distill's suits an already trained model.
    { epochs: 1, learningRate: 0.0001, distill: true },
  ),
  lowrank: block({ rank: numberIn(0, 1, { aboveMin: true }) }, { rank: 0.5 }),
  cluster: block({ clusters: integer(2, 256) }, { clusters: 16 }),
  foldbn: block({}, {}),
  sensitivity: block(
    { mode: oneOf(['quantize', 'prune']), bits: quantizeBits, sparsity },
    // The spec gives no defaults; 4 bits shows differences between layers that 8 bits hides.
    { mode: 'quantize', bits: 4, sparsity: 0.5 },
  ),
  auto: block({ maxDrop: numberIn(0, 100), objective: oneOf(['size']) }, { maxDrop: 1.0, objective: 'size' }),
} as const;

export type BlockType = keyof typeof BLOCKS;
/** Every node type: the one `model` node, then the blocks. */
export type NodeType = 'model' | BlockType;

export const BLOCK_TYPES = Object.keys(BLOCKS) as BlockType[];
export const NODE_TYPES: readonly NodeType[] = ['model', ...BLOCK_TYPES];

type Definition<Type extends BlockType> = (typeof BLOCKS)[Type];
type TableOf<Type extends BlockType> = Definition<Type>['params'];
type DefaultedOf<Type extends BlockType> = keyof Definition<Type>['defaults'];

/** A block's params with one value each (no sweeps), defaults filled: what a pass receives. */
export type ConcreteBlockParams<Type extends BlockType> = Partial<Values<TableOf<Type>>> &
  Pick<Values<TableOf<Type>>, DefaultedOf<Type> & keyof TableOf<Type>> & { [unknown: string]: unknown };

export function isBlockType(type: unknown): type is BlockType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(BLOCKS, type);
}

function paramTable(type: BlockType): ParamTable {
  return BLOCKS[type].params;
}

/** The params a block declares, in declaration order (the scope params last). */
export function declaredParams(type: NodeType): readonly string[] {
  return type === 'model' ? [] : Object.keys(paramTable(type));
}

const paramsSchemas = new Map<NodeType, z.ZodType<Record<string, unknown>, unknown>>();

/** The zod schema of a node type's params: declared params checked (each may be a sweep), unknown ones kept. */
export function paramsSchema(type: NodeType): z.ZodType<Record<string, unknown>, unknown> {
  let schema = paramsSchemas.get(type);
  if (!schema) {
    const shape = Object.fromEntries(declaredParams(type).map((name) => [name, sweepable(paramTable(type as BlockType)[name]!).optional()]));
    schema = z.looseObject(shape, mustBe('an object of parameters')) as unknown as z.ZodType<Record<string, unknown>, unknown>;
    paramsSchemas.set(type, schema);
  }
  return schema;
}

/**
 * True when the value given for a param is a sweep. Unknown params are never swept — this Whittle
 * cannot tell a sweep from a list-valued param it does not know.
 */
export function isSweptParam(type: NodeType, name: string, value: unknown): value is unknown[] {
  return isDeclaredParam(type, name) && isSweep(paramTable(type as BlockType)[name]!, value);
}

/** The values a param takes: the listed values of a sweep, or [value] for one value. */
export function sweepValues(type: NodeType, name: string, value: unknown): readonly unknown[] {
  return isSweptParam(type, name, value) ? value : [value];
}

/** True when the block declares this param. */
export function isDeclaredParam(type: NodeType, name: string): boolean {
  return type !== 'model' && Object.prototype.hasOwnProperty.call(paramTable(type), name);
}

/**
 * The params with every missing default filled, declared params first in declaration order, then
 * unknown ones as given. Sweeps are kept as sweeps. Returns a new object.
 */
export function withBlockDefaults(type: NodeType, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const defaults: Record<string, unknown> = type === 'model' ? {} : BLOCKS[type].defaults;
  const filled: Record<string, unknown> = {};
  for (const name of declaredParams(type)) {
    // defaults are cloned so that no caller can change them for everyone (distill's student is an object)
    const value = params[name] !== undefined ? params[name] : structuredClone(defaults[name]);
    if (value !== undefined) filled[name] = value;
  }
  for (const [name, value] of Object.entries(params)) {
    // defineProperty, not assignment: even a '__proto__' key that slipped past validation stays data
    if (!isDeclaredParam(type, name) && value !== undefined) Object.defineProperty(filled, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return filled;
}

/**
 * Concrete params reduced to what changes a pass's result, for cache keys: defaults filled,
 * `layers`/`exclude` sorted and deduplicated (they are sets), an empty `exclude` and a false
 * `keepFirstLast` dropped (they mean the same as absent).
 */
export function normalizedParams(type: NodeType, params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const normalized = withBlockDefaults(type, params);
  if (type === 'model') return normalized;
  for (const name of ['layers', 'exclude'] as const) {
    const names = normalized[name];
    if (Array.isArray(names) && names.every((item) => typeof item === 'string')) normalized[name] = [...new Set(names as string[])].sort();
  }
  if (Array.isArray(normalized.exclude) && normalized.exclude.length === 0) delete normalized.exclude;
  if (normalized.keepFirstLast === false) delete normalized.keepFirstLast;
  return normalized;
}
