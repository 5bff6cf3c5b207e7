// The cache key of every planned variant: the model's hash for the model variant, and for a block
// nodeCacheKey(parent's key, type, params) — so two runs that reach the same model by the same
// steps share it, and a block downstream of an edit is the only thing whose key changes.
//
// A block that learns from data (static activation calibration, distillation, fine-tuning, the
// analysing blocks) makes a different model from different data, so its key also takes the data's
// key; a block that only reads weights does not, and its output survives a dataset switch.
import { nodeCacheKey, sha256Hex } from '../cacheKey.js';
import type { NodeType } from '../blockParams.js';
import type { PlannedVariant } from '../planVariants.js';

const BLOCKS_THAT_LEARN = new Set<NodeType>(['distill', 'finetune', 'sensitivity', 'auto']);

/** Whether a block's output depends on the dataset as well as on its input model and params. */
export function blockLearnsFromData(type: NodeType, params: Readonly<Record<string, unknown>>): boolean {
  return BLOCKS_THAT_LEARN.has(type) || (type === 'quantize' && params.activations === 'static');
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
    const key = await nodeCacheKey(parentKey, variant.type, variant.params);
    keys.set(variant.id, dataKey !== null && blockLearnsFromData(variant.type, variant.params) ? await sha256Hex(`${key}\ndata ${dataKey}`) : key);
  }
  return keys;
}
