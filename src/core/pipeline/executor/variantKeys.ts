// The cache key of every planned variant: the model's hash for the model variant, and for a block
// nodeCacheKey(parent's key, type, params) — so two runs that reach the same model by the same
// steps share it, and a block downstream of an edit is the only thing whose key changes.
//
// A block that learns from data (static activation calibration, distillation, fine-tuning, the
// analysing blocks) makes a different model from different data, so its key also takes the data's
// key; a block that only reads weights does not, and its output survives a dataset switch.
//
// The analysing blocks: a `sensitivity` block passes its input through, so its variant is keyed as
// its input (same model, same figures). An `auto` block's model is the chain of quantize steps its
// search chose, known only once it has run: until then its key is a placeholder, and runPipeline
// re-keys it (to the key of the last step, as a pipeline of those steps would have it) and its
// descendants with `rekeyDescendants`. Its search result is cached under `analysisKey`.
import { nodeCacheKey, sha256Hex } from '../cacheKey.js';
import type { NodeType } from '../blockParams.js';
import type { PlannedVariant } from '../planVariants.js';

const BLOCKS_THAT_LEARN = new Set<NodeType>(['distill', 'finetune', 'sensitivity', 'auto']);

/** Whether a block's output depends on the dataset as well as on its input model and params. */
export function blockLearnsFromData(type: NodeType, params: Readonly<Record<string, unknown>>): boolean {
  return BLOCKS_THAT_LEARN.has(type) || (type === 'quantize' && params.activations === 'static');
}

/** The key of what a block of `type` with `params` makes from the model keyed `inputKey`. */
export async function blockOutputKey(inputKey: string, type: NodeType, params: Readonly<Record<string, unknown>>, dataKey: string | null): Promise<string> {
  const key = await nodeCacheKey(inputKey, type, params);
  return dataKey !== null && blockLearnsFromData(type, params) ? sha256Hex(`${key}\ndata ${dataKey}`) : key;
}

/** The key an analysing block's result is cached under: its input, params and data. */
export async function analysisKey(inputKey: string, type: NodeType, params: Readonly<Record<string, unknown>>, dataKey: string): Promise<string> {
  return sha256Hex(`${await nodeCacheKey(inputKey, type, params)}\nanalysis of data ${dataKey}`);
}

function variantKey(variant: PlannedVariant, parentKey: string, dataKey: string | null): Promise<string> {
  if (variant.type === 'sensitivity') return Promise.resolve(parentKey);
  return blockOutputKey(parentKey, variant.type, variant.params, dataKey);
}

/** Keys by variant id, for a plan whose model variant is keyed `modelKey`; `dataKey` null without data. */
export async function variantKeys(variants: readonly PlannedVariant[], modelKey: string, dataKey: string | null): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const variant of variants) {
    if (variant.parentId === null) {
      keys.set(variant.id, modelKey);
      continue;
    }
    const parentKey = keys.get(variant.parentId);
    if (parentKey === undefined) throw new Error(`variantKeys: '${variant.id}' comes before its input '${variant.parentId}'; plans list inputs first`);
    keys.set(variant.id, await variantKey(variant, parentKey, dataKey));
  }
  return keys;
}

/**
 * After the key of `changedId` changed in `keys`, recomputes the keys of its descendants in place
 * (an `auto` descendant gets a placeholder again, until it is resolved itself). Returns the ids
 * whose key changed.
 */
export async function rekeyDescendants(variants: readonly PlannedVariant[], keys: Map<string, string>, changedId: string, dataKey: string | null): Promise<string[]> {
  const changed = new Set([changedId]);
  const rekeyed: string[] = [];
  for (const variant of variants) {
    if (variant.parentId === null || !changed.has(variant.parentId)) continue;
    const key = await variantKey(variant, keys.get(variant.parentId)!, dataKey);
    if (key === keys.get(variant.id)) continue;
    keys.set(variant.id, key);
    changed.add(variant.id);
    rekeyed.push(variant.id);
  }
  return rekeyed;
}
