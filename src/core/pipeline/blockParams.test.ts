import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUANTIZE_DEFAULTS, type QuantizeParams } from '../passes/quantize/QuantizeParams.js';
import type { ScopeParams } from '../passes/scope.js';
import {
  BLOCK_TYPES,
  declaredParams,
  isBlockType,
  isSweptParam,
  normalizedParams,
  paramsSchema,
  sweepValues,
  withBlockDefaults,
  type ConcreteBlockParams,
  type NodeType,
} from './blockParams.js';
import { PIPELINE_LIMITS } from './limits.js';

/** Problems as `path message`, the way the pipeline names them under a node. */
function problems(type: NodeType, params: unknown): string[] {
  const result = paramsSchema(type).safeParse(params);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '')} ${issue.message}`);
}

// Compile-time: what the planner hands a quantize pass is the pass's own parameter type.
const quantizeParamsFromPipeline = (params: ConcreteBlockParams<'quantize'>): QuantizeParams => params;
const scopeFromPipeline = (params: ConcreteBlockParams<'prune'>): ScopeParams => params;

describe('block vocabulary', () => {
  it('fills the defaults DESIGN.md gives, in declaration order', () => {
    expect(withBlockDefaults('quantize', {})).toEqual({ ...QUANTIZE_DEFAULTS });
    expect(Object.keys(withBlockDefaults('quantize', {}))).toEqual(['bits', 'granularity', 'groupSize', 'symmetric', 'activations', 'calibration', 'calibrationSamples', 'format', 'percentile']);
    expect(withBlockDefaults('prune', {})).toEqual({ sparsity: 0.5, pattern: 'unstructured', scope: 'layer', criterion: 'magnitude' });
    expect(withBlockDefaults('distill', {})).toEqual({ student: { width: 0.5 }, temperature: 4, alpha: 0.7, epochs: 3, batchSize: 64, learningRate: 0.001, optimizer: 'adam' });
    expect(withBlockDefaults('finetune', {})).toEqual({ epochs: 1, learningRate: 0.0001, distill: true });
    expect(withBlockDefaults('lowrank', {})).toEqual({ rank: 0.5 });
    expect(withBlockDefaults('cluster', {})).toEqual({ clusters: 16 });
    expect(withBlockDefaults('foldbn', {})).toEqual({});
    expect(withBlockDefaults('sensitivity', {})).toEqual({ mode: 'quantize', bits: 4, sparsity: 0.5 });
    expect(withBlockDefaults('auto', {})).toEqual({ maxDrop: 1, objective: 'size' });
    expect(withBlockDefaults('model', { anything: 1 })).toEqual({ anything: 1 });
    expect(quantizeParamsFromPipeline(withBlockDefaults('quantize', {}) as ConcreteBlockParams<'quantize'>).bits).toBe(8);
    expect(scopeFromPipeline({ sparsity: 0.5, pattern: 'unstructured', scope: 'layer', criterion: 'magnitude' }).layers).toBeUndefined();
  });

  it('keeps given values, sweeps and unknown params, unknown ones last', () => {
    const filled = withBlockDefaults('quantize', { extra: { a: 1 }, bits: [8, 4], symmetric: false });
    expect(filled).toMatchObject({ bits: [8, 4], symmetric: false, granularity: 'channel', extra: { a: 1 } });
    expect(Object.keys(filled).at(-1)).toBe('extra');
  });

  it('knows its block types and no others', () => {
    expect(BLOCK_TYPES).toEqual(['quantize', 'prune', 'distill', 'finetune', 'lowrank', 'cluster', 'foldbn', 'sensitivity', 'auto']);
    expect(BLOCK_TYPES.every(isBlockType)).toBe(true);
    expect(['model', 'quantise', 'toString', '__proto__', 7].some(isBlockType)).toBe(false);
  });

  it('hands out defaults that no caller can change for everyone', () => {
    (withBlockDefaults('distill', {}).student as { width: number }).width = 0.1;
    expect(withBlockDefaults('distill', {}).student).toEqual({ width: 0.5 });
  });

  it('keeps a __proto__ param that reached it as data, never as a prototype', () => {
    const filled = withBlockDefaults('prune', JSON.parse('{"__proto__": {"sparsity": 0.9}}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(filled)).toBe(Object.prototype);
    expect(filled.sparsity).toBe(0.5);
    expect(Object.keys(filled)).toContain('__proto__');
  });

  it('gives every block the scope params', () => {
    for (const type of BLOCK_TYPES) expect(declaredParams(type).slice(-3)).toEqual(['layers', 'exclude', 'keepFirstLast']);
    expect(declaredParams('model')).toEqual([]);
  });

  it('accepts the values of the vocabulary', () => {
    const good: [NodeType, Record<string, unknown>][] = [
      ['quantize', { bits: 16, granularity: 'group', groupSize: 128, symmetric: false, activations: 'static', calibration: 'percentile', calibrationSamples: 512, format: 'matmulnbits', percentile: 99.9 }],
      ['prune', { sparsity: 0.99, pattern: '2:4', scope: 'global', criterion: 'bn' }],
      ['prune', { sparsity: 0 }],
      ['distill', { student: { template: 'tiny-cnn' }, temperature: 2, alpha: 1, epochs: 5, batchSize: 32, learningRate: 0.01, optimizer: 'sgd' }],
      ['distill', { student: { sample: 'fashion-mlp' } }],
      ['finetune', { epochs: 2, learningRate: 0.001, distill: false, qat: true }],
      ['lowrank', { rank: 1 }],
      ['cluster', { clusters: 256 }],
      ['cluster', { clusters: 2 }],
      ['sensitivity', { mode: 'prune', bits: 2, sparsity: 0.9 }],
      ['auto', { maxDrop: 0, objective: 'size' }],
      ['foldbn', { layers: ['bn1'], exclude: [], keepFirstLast: true }],
    ];
    for (const [type, params] of good) expect(problems(type, params), `${type} ${JSON.stringify(params)}`).toEqual([]);
  });

  it('says what each bad value must be, and what it was', () => {
    const bad: [NodeType, Record<string, unknown>, string][] = [
      ['quantize', { bits: 5 }, 'bits must be one of 2, 3, 4, 8, 16; got 5'],
      ['quantize', { bits: '8' }, "bits must be one of 2, 3, 4, 8, 16; got '8'"],
      ['quantize', { granularity: 'row' }, "granularity must be one of 'tensor', 'channel', 'group'; got 'row'"],
      ['quantize', { groupSize: 0 }, 'groupSize must be a whole number from 1 to 65536; got 0'],
      ['quantize', { groupSize: 31.5 }, 'groupSize must be a whole number from 1 to 65536; got 31.5'],
      ['quantize', { symmetric: 'yes' }, "symmetric must be true or false; got 'yes'"],
      ['quantize', { activations: 'full' }, "activations must be one of 'none', 'static', 'dynamic'; got 'full'"],
      ['quantize', { calibration: 'kl' }, "calibration must be one of 'minmax', 'percentile', 'entropy', 'mse'; got 'kl'"],
      ['quantize', { calibrationSamples: -1 }, 'calibrationSamples must be a whole number from 1 to 100000; got -1'],
      ['quantize', { format: 'int4' }, "format must be one of 'qdq', 'matmulnbits'; got 'int4'"],
      ['quantize', { percentile: 0 }, 'percentile must be a number above 0, at most 100; got 0'],
      ['quantize', { percentile: 100.5 }, 'percentile must be a number above 0, at most 100; got 100.5'],
      ['prune', { sparsity: 1 }, 'sparsity must be a number from 0 to 0.99; got 1'],
      ['prune', { sparsity: -0.1 }, 'sparsity must be a number from 0 to 0.99; got -0.1'],
      ['prune', { pattern: '4:8' }, "pattern must be one of 'unstructured', '2:4', 'channel'; got '4:8'"],
      ['prune', { scope: 'model' }, "scope must be one of 'layer', 'global'; got 'model'"],
      ['prune', { criterion: 'random' }, "criterion must be one of 'magnitude', 'l1', 'l2', 'bn'; got 'random'"],
      ['distill', { student: { width: 0 } }, 'student.width must be a number above 0, at most 1; got 0'],
      ['distill', { student: {} }, 'student must be { width: 0–1 }, { template: ID } or { sample: ID }; got none of them'],
      ['distill', { student: { width: 0.5, sample: 'fashion-mlp' } }, 'student must be { width: 0–1 }, { template: ID } or { sample: ID }; got width and sample'],
      ['distill', { student: 0.5 }, 'student must be { width: 0–1 }, { template: ID } or { sample: ID }; got 0.5'],
      ['distill', { student: { template: 'Big Net' } }, "student.template must be a student template id (lower-case letters, digits, '-', '_', '.'; at most 64); got 'Big Net'"],
      ['distill', { temperature: 0 }, 'temperature must be a number above 0, at most 100; got 0'],
      ['distill', { alpha: 1.5 }, 'alpha must be a number from 0 to 1; got 1.5'],
      ['distill', { epochs: 0 }, 'epochs must be a whole number from 1 to 1000; got 0'],
      ['distill', { batchSize: 1e6 }, 'batchSize must be a whole number from 1 to 4096; got 1000000'],
      ['distill', { learningRate: 0 }, 'learningRate must be a number above 0, at most 10; got 0'],
      ['distill', { optimizer: 'rmsprop' }, "optimizer must be one of 'adam', 'sgd'; got 'rmsprop'"],
      ['finetune', { distill: 1 }, 'distill must be true or false; got 1'],
      ['finetune', { qat: null }, 'qat must be true or false; got null'],
      ['lowrank', { rank: 0 }, 'rank must be a number above 0, at most 1; got 0'],
      ['lowrank', { rank: 64 }, 'rank must be a number above 0, at most 1; got 64'],
      ['cluster', { clusters: 1 }, 'clusters must be a whole number from 2 to 256; got 1'],
      ['cluster', { clusters: 512 }, 'clusters must be a whole number from 2 to 256; got 512'],
      ['sensitivity', { mode: 'distill' }, "mode must be one of 'quantize', 'prune'; got 'distill'"],
      ['sensitivity', { bits: 1 }, 'bits must be one of 2, 3, 4, 8, 16; got 1'],
      ['auto', { maxDrop: -1 }, 'maxDrop must be a number from 0 to 100; got -1'],
      ['auto', { objective: 'latency' }, "objective must be 'size'; got 'latency'"],
      ['foldbn', { layers: 'conv1' }, "layers must be a list of layer names; got 'conv1'"],
      ['foldbn', { exclude: [''] }, "exclude[0] must be a layer name, not empty; got ''"],
      ['foldbn', { keepFirstLast: 'true' }, "keepFirstLast must be true or false; got 'true'"],
      ['prune', [0.5] as unknown as Record<string, unknown>, ' must be an object of parameters; got [0.5]'],
    ];
    for (const [type, params, message] of bad) expect(problems(type, params), `${type} ${JSON.stringify(params)}`).toEqual([message]);
  });

  it('reads a list as a sweep of distinct valid values', () => {
    expect(problems('quantize', { bits: [8, 4, 3, 2], groupSize: [32, 128] })).toEqual([]);
    expect(problems('quantize', { bits: [8, 5, 4, 7] })).toEqual(['bits[1] must be one of 2, 3, 4, 8, 16; got 5', 'bits[3] must be one of 2, 3, 4, 8, 16; got 7']);
    expect(problems('quantize', { bits: [] })).toEqual(['bits is an empty sweep; give one value, or a list of the values to try']);
    expect(problems('quantize', { bits: [8, 4, 8] })).toEqual(['bits[2] lists 8 twice; each value of a sweep makes one variant']);
    const long = Array.from({ length: PIPELINE_LIMITS.maxSweepValues + 1 }, (_, i) => 0.01 * i);
    expect(problems('prune', { sparsity: long })).toEqual([`sparsity sweeps ${long.length} values; at most ${PIPELINE_LIMITS.maxSweepValues} are allowed`]);
    expect(problems('distill', { student: [{ width: 0.5 }, { width: 0.25 }, { width: 0.5 }] })).toEqual(['student[2] lists { width: 0.5 } twice; each value of a sweep makes one variant']);
  });

  it('tells a list-valued param from a sweep of lists', () => {
    expect(isSweptParam('prune', 'layers', ['conv1', 'conv2'])).toBe(false);
    expect(isSweptParam('prune', 'layers', [])).toBe(false);
    expect(isSweptParam('prune', 'layers', [['conv1'], ['conv2']])).toBe(true);
    expect(sweepValues('prune', 'exclude', [['conv1'], []])).toEqual([['conv1'], []]);
    expect(problems('prune', { layers: [['conv1'], ['conv2', 'fc1']] })).toEqual([]);
    expect(problems('prune', { layers: [['conv1'], 'conv2'] })).toEqual(["layers[1] must be a list of layer names; got 'conv2'"]);
    expect(isSweptParam('quantize', 'bits', [8, 4])).toBe(true);
    expect(isSweptParam('quantize', 'bits', 8)).toBe(false);
  });

  it('keeps unknown params as they are and never sweeps them', () => {
    const result = paramsSchema('prune').safeParse({ sparsity: 0.5, future: [1, 2], nested: { a: [true] } });
    expect(result.success && result.data).toEqual({ sparsity: 0.5, future: [1, 2], nested: { a: [true] } });
    expect(isSweptParam('prune', 'future', [1, 2])).toBe(false);
    expect(sweepValues('prune', 'future', [1, 2])).toEqual([[1, 2]]);
    expect(isSweptParam('prune', 'toString', [1, 2])).toBe(false);
    expect(isSweptParam('model', 'bits', [1, 2])).toBe(false);
  });

  it('normalizes params for cache keys: defaults spelled out, scope lists as sets', () => {
    expect(normalizedParams('quantize', { bits: 8 })).toEqual(normalizedParams('quantize', {}));
    expect(normalizedParams('prune', { layers: ['b', 'a', 'b'], exclude: [], keepFirstLast: false })).toEqual({ ...withBlockDefaults('prune', {}), layers: ['a', 'b'] });
    expect(normalizedParams('prune', { keepFirstLast: true, exclude: ['z'] })).toMatchObject({ keepFirstLast: true, exclude: ['z'] });
  });

  it('never throws on arbitrary params, for any node type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(['model', ...BLOCK_TYPES] as NodeType[])),
        fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.constantFrom('bits', 'sparsity', 'student', 'layers', 'clusters', 'rank', 'other'), fc.jsonValue({ maxDepth: 3 }))),
        (type, params) => {
        const result = paramsSchema(type).safeParse(params);
          if (!result.success) for (const issue of result.error.issues) expect(issue.message).toMatch(/^(must be|is an empty sweep|sweeps \d+ values|lists .* twice)/);
        },
      ),
      { numRuns: 500 },
    );
  });
});
