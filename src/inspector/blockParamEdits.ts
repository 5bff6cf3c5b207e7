// The inspector's changes to one block's params, as pure functions from params to params: set one
// param, reset it to its default, turn its sweep on or off, add or remove a layer name. Each
// returns a new object (the input is never changed), and `paramsProblems` checks a result the way
// a pipeline file is checked, so only params that restore are ever committed to the pipeline.
import { BLOCKS, isSweptParam, paramsSchema, type BlockType } from '../core/pipeline/blockParams';
import { canonicalJson } from '../core/pipeline/canonicalJson';
import { setParams } from '../editor/pipelineEdits';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { restorePipeline } from '../core/pipeline/restorePipeline';

type Params = Readonly<Record<string, unknown>>;

/** The block's default for a param, or undefined where it has none. */
export function defaultValue(type: BlockType, name: string): unknown {
  const defaults = BLOCKS[type].defaults as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(defaults, name) ? defaults[name] : undefined;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

/**
 * Whether the param holds its default: equal to it, or unset where the block has none. An empty
 * `exclude` and a false `keepFirstLast` mean the same as unset (normalizedParams drops them).
 */
export function isAtDefault(type: BlockType, name: string, value: unknown): boolean {
  const fallback = defaultValue(type, name);
  if (fallback === undefined) {
    if (value === undefined) return true;
    if (name === 'exclude') return Array.isArray(value) && value.length === 0;
    if (name === 'keepFirstLast') return value === false;
    return false;
  }
  return sameValue(value, fallback);
}

/** The params with `name` set to `value`; undefined removes it. */
export function withParam(params: Params, name: string, value: unknown): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(params)) if (key !== name) Object.defineProperty(next, key, { value: item, enumerable: true, writable: true, configurable: true });
  // defineProperty keeps even a '__proto__' name as data, as withBlockDefaults does.
  if (value !== undefined) Object.defineProperty(next, name, { value, enumerable: true, writable: true, configurable: true });
  return next;
}

/** The params with `name` back at its default (removed where the block has none). */
export function resetParam(type: BlockType, params: Params, name: string): Record<string, unknown> {
  const fallback = defaultValue(type, name);
  return withParam(params, name, fallback === undefined ? undefined : structuredClone(fallback));
}

/** Whether the param's value is a sweep (several values). */
export function isSwept(type: BlockType, name: string, value: unknown): boolean {
  return isSweptParam(type, name, value);
}

/** The values a param takes: a sweep's list, or the one value (unset: none). */
export function valuesOf(type: BlockType, name: string, value: unknown): unknown[] {
  if (value === undefined) return [];
  return isSweptParam(type, name, value) ? [...value] : [value];
}

/**
 * Sweep on: the one value becomes a one-value sweep (a `layers` list becomes one set); a param
 * with no value starts from its default, or for names from an empty set.
 */
export function sweepOn(type: BlockType, name: string, value: unknown, listValued: boolean): unknown[] {
  if (isSweptParam(type, name, value)) return value;
  const start = value !== undefined ? value : defaultValue(type, name);
  if (start !== undefined) return [structuredClone(start)];
  return listValued ? [[]] : [];
}

/** Sweep off: the sweep's first value is kept. */
export function sweepOff(type: BlockType, name: string, value: unknown): unknown {
  return isSweptParam(type, name, value) ? value[0] : value;
}

/** How many variants the block makes from each variant of its input: the product of its sweeps. */
export function variantsPerInput(type: BlockType, params: Params): number {
  return Object.entries(params).reduce((count, [name, value]) => count * (isSweptParam(type, name, value) ? value.length : 1), 1);
}

/** A layer name added to a list (kept once, in the order added). */
export function addName(names: readonly string[], name: string): string[] {
  return names.includes(name) ? [...names] : [...names, name];
}

export function removeName(names: readonly string[], name: string): string[] {
  return names.filter((item) => item !== name);
}

/**
 * A scope list after an edit: an empty `layers` or `exclude` is stored as unset — an empty `layers`
 * would mean "no layers", which nobody removing the last chip means; it means "all of them".
 */
export function scopeListValue(names: readonly string[]): string[] | undefined {
  return names.length === 0 ? undefined : [...names];
}

/**
 * Every problem the params have as the pipeline file would report it ("bits must be ..."); empty
 * when valid. A set inside a sweep of layer lists is named by its place; a scalar sweep's message
 * already quotes the value.
 */
export function paramsProblems(type: BlockType, params: Params): string[] {
  const result = paramsSchema(type).safeParse(params);
  if (result.success) return [];
  const problems = result.error.issues.map((issue) => {
    const [name, index] = issue.path;
    if (name === undefined) return `the parameters ${issue.message}`;
    const inSet = typeof index === 'number' && isSweptParam(type, String(name), params[String(name)]) && (BLOCKS[type].params as Record<string, { listValued: boolean }>)[String(name)]?.listValued;
    return `${String(name)}${inSet ? `, set ${index + 1},` : ''} ${issue.message}`;
  });
  return [...new Set(problems)];
}

/**
 * The pipeline with block `id`'s params replaced, when the result restores; otherwise the problems.
 * The inspector commits only through this, so a draft can never put an invalid pipeline in the store.
 */
export function pipelineWithParams(pipeline: PipelineSpec, id: string, params: Params): { ok: true; pipeline: PipelineSpec } | { ok: false; errors: string[] } {
  const node = pipeline.nodes.find((candidate) => candidate.id === id);
  if (!node || node.type === 'model') return { ok: false, errors: [`there is no block '${id}' to change`] };
  const problems = paramsProblems(node.type, params);
  if (problems.length > 0) return { ok: false, errors: problems };
  const changed = setParams(pipeline, id, { ...params });
  const restored = restorePipeline(changed);
  return restored.ok ? { ok: true, pipeline: changed } : { ok: false, errors: restored.errors };
}

export interface BlockVariantCounts {
  /** Variants made from each variant of the block's input (the product of its own sweeps). */
  perInput: number;
  /** Variants of its input (1 when it takes the model itself). */
  inputs: number;
  /** Variants the block makes in all: perInput × inputs. */
  total: number;
  /** Whether a block upstream quantizes (finetune's `qat` is then on unless set). */
  upstreamQuantizes: boolean;
}

/** What the block makes, read from the pipeline's chain of inputs (no plan is built). */
export function blockVariantCounts(pipeline: PipelineSpec, id: string): BlockVariantCounts {
  const byId = new Map(pipeline.nodes.map((node) => [node.id, node]));
  const inputOf = new Map(pipeline.edges.map((edge) => [edge.target, edge.source]));
  const node = byId.get(id);
  const perInput = node && node.type !== 'model' ? variantsPerInput(node.type, node.params) : 1;
  let inputs = 1;
  let upstreamQuantizes = false;
  const seen = new Set<string>([id]);
  for (let current = inputOf.get(id); current !== undefined && !seen.has(current); current = inputOf.get(current)) {
    seen.add(current);
    const upstream = byId.get(current);
    if (!upstream || upstream.type === 'model') continue;
    inputs *= variantsPerInput(upstream.type, upstream.params);
    if (upstream.type === 'quantize') upstreamQuantizes = true;
  }
  return { perInput, inputs, total: perInput * inputs, upstreamQuantizes };
}
