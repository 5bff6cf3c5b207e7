// What the executor works out for a training block (distill, finetune) from the plan: the lineage
// its pass sees (the steps that made its input from the original model), and which variants a
// "Stop & keep best" made untrue to their keys (TrainingStops.ts).
import type { PlannedVariant } from '../planVariants.js';
import type { TrainingRequest } from './PipelineServices.js';

/** The steps that make a variant's model from its input's: its own block, an auto block's choice, nothing for sensitivity. */
export type StepsOf = (variant: PlannedVariant) => ReadonlyArray<{ type: string; params: Record<string, unknown> }>;

/** The variant's ancestors, the model first. */
function ancestorsOf(variant: PlannedVariant, byId: ReadonlyMap<string, PlannedVariant>): PlannedVariant[] {
  const ancestors: PlannedVariant[] = [];
  for (let id = variant.parentId; id !== null; id = byId.get(id)!.parentId) ancestors.unshift(byId.get(id)!);
  return ancestors;
}

/** The steps from the original model to `variant`'s input, in order (the model itself not included). */
export function trainingLineage(variant: PlannedVariant, byId: ReadonlyMap<string, PlannedVariant>, stepsOf: StepsOf): TrainingRequest['lineage'] {
  return ancestorsOf(variant, byId)
    .slice(1)
    .flatMap((ancestor) => stepsOf(ancestor).map(({ type, params }) => ({ type, params })));
}

/** The variants whose model came from a stopped training variant (it included): their cached figures are not their params'. */
export function variantsFromStopped(variants: readonly PlannedVariant[], byId: ReadonlyMap<string, PlannedVariant>, stopped: ReadonlySet<string>): PlannedVariant[] {
  if (stopped.size === 0) return [];
  return variants.filter((variant) => stopped.has(variant.id) || ancestorsOf(variant, byId).some((ancestor) => stopped.has(ancestor.id)));
}
