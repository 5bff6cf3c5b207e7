// The planner: turns a pipeline into the list of variants to build and evaluate. A param given as
// a list is a sweep; a node makes one variant per combination of its sweeps (cartesian product, in
// the block's param-declaration order, the first param varying slowest) for every variant of its
// input. Nodes come in pipelineGraph's topological order (every node after its input; of those
// ready, the first in the document), and a node's variants in input-variant order, then sweep
// order, so every variant comes after the one it is made from and the same pipeline always plans
// the same list. Names follow variantNames.ts.
//
//   model → p (sparsity [0.25, 0.5]) → q (bits [8, 4])   plans 1 + 2 + 4 = 7 variants:
//   model, p[sparsity=0.25], p[sparsity=0.5], p[sparsity=0.25]/q[bits=8], ..., p[sparsity=0.5]/q[bits=4]
import { isSweptParam, sweepValues, withBlockDefaults, type NodeType } from './blockParams.js';
import { PIPELINE_LIMITS } from './limits.js';
import { orderPipeline } from './pipelineGraph.js';
import type { PipelineNode, PipelineSpec } from './pipelineSpec.js';
import { FileNamer, fileStem, sweepLabels, variantId, type IdSegment, type SweptChoice } from './variantNames.js';

/** One block applied on the way to a variant, with the one value of each param it ran with. */
export interface PlannedStep {
  nodeId: string;
  type: NodeType;
  params: Record<string, unknown>;
}

export interface PlannedVariant {
  /** `q[bits=4]`, `p[sparsity=0.5]/q[bits=4]`, `model`. Stable: the same pipeline plans the same ids. */
  id: string;
  nodeId: string;
  type: NodeType;
  /** Node ids from the model to this node: ['model', 'p', 'q']. */
  path: string[];
  /** The variant this one is made from; null for the model. */
  parentId: string | null;
  /** This node's params, defaults filled, one value each. */
  params: Record<string, unknown>;
  /** Only the params of this node that a sweep chose (the results contract's `params`). */
  swept: Record<string, unknown>;
  /** Every block from the model to this variant (the model itself not included), in order. */
  steps: PlannedStep[];
  /** `q-bits-4.onnx`: unique (ignoring case) within the plan, filename-safe. */
  fileName: string;
}

export type VariantPlan = { ok: true; variants: PlannedVariant[] } | { ok: false; errors: string[] };

/** One combination of a node's sweeps: its concrete params and the choices that made it. */
interface Setting {
  params: Record<string, unknown>;
  swept: Record<string, unknown>;
  choices: SweptChoice[];
}

/** Every combination of a node's sweeps, first param varying slowest. */
function settingsOf(node: PipelineNode): Setting[] {
  let settings: Setting[] = [{ params: {}, swept: {}, choices: [] }];
  for (const [name, value] of Object.entries(withBlockDefaults(node.type, node.params))) {
    const isSweep = isSweptParam(node.type, name, value);
    const values = isSweep ? value : [value];
    const labels = isSweep ? sweepLabels(values) : [];
    settings = settings.flatMap((setting) =>
      values.map((choice, index) => ({
        params: { ...setting.params, [name]: choice },
        swept: isSweep ? { ...setting.swept, [name]: choice } : setting.swept,
        choices: isSweep ? [...setting.choices, { name, label: labels[index]! }] : setting.choices,
      })),
    );
  }
  return settings;
}

/** Counts of settings per node, before anything is expanded: a sweep of sweeps can be huge. */
function sweepSizes(node: PipelineNode): number {
  return Object.entries(node.params).reduce((product, [name, value]) => product * sweepValues(node.type, name, value).length, 1);
}

/** Params whose default depends on the path: finetune's `qat` is on when an upstream block quantized. */
function withPathDefaults(type: NodeType, params: Record<string, unknown>, upstream: readonly PlannedStep[]): Record<string, unknown> {
  if (type !== 'finetune' || params.qat !== undefined) return params;
  return { ...params, qat: upstream.some((step) => step.type === 'quantize') };
}

function tooManyVariants(total: number, counts: ReadonlyMap<string, { variants: number; settings: number }>): string {
  const shown = (count: number) => (count > 1e9 ? 'more than a billion' : count.toLocaleString('en-US'));
  const culprits = [...counts]
    .filter(([, count]) => count.variants > 1)
    .map(([id, count]) => `node '${id}': ${shown(count.variants)}${count.settings > 1 && count.settings !== count.variants ? ` (${shown(count.variants / count.settings)} inputs × ${shown(count.settings)} settings)` : ''}`);
  return `this pipeline would make ${shown(total)} variants, more than the ${PIPELINE_LIMITS.maxVariants} allowed; shorten a sweep — ${culprits.join(', ')}`;
}

/**
 * Plans the variants of a valid pipeline (from restorePipeline or validatePipeline; defaults are
 * filled here too). Never throws; fails only when the graph is not a tree from one model, or when
 * the plan would pass PIPELINE_LIMITS.maxVariants.
 */
export function planVariants(pipeline: PipelineSpec): VariantPlan {
  const ordered = orderPipeline(pipeline.nodes, pipeline.edges);
  if (!ordered.ok) return ordered;
  const nodeById = new Map(pipeline.nodes.map((node) => [node.id, node]));

  const counts = new Map<string, { variants: number; settings: number }>();
  let total = 0;
  for (const id of ordered.order) {
    const input = ordered.inputOf.get(id);
    const settings = sweepSizes(nodeById.get(id)!);
    const variants = Math.min((input ? counts.get(input)!.variants : 1) * settings, 1e12);
    counts.set(id, { variants, settings });
    total = Math.min(total + variants, 1e12);
  }
  if (total > PIPELINE_LIMITS.maxVariants) return { ok: false, errors: [tooManyVariants(total, counts)] };

  const segmentsOf = new Map<string, IdSegment[]>();
  const variantsOf = new Map<string, PlannedVariant[]>();
  const fileNamer = new FileNamer();
  const variants: PlannedVariant[] = [];
  for (const id of ordered.order) {
    const node = nodeById.get(id)!;
    const input = ordered.inputOf.get(id) ?? null;
    const parents: (PlannedVariant | null)[] = input === null ? [null] : variantsOf.get(input)!;
    const settings = settingsOf(node);
    const made: PlannedVariant[] = [];
    for (const parent of parents) {
      const upstream = parent?.steps ?? [];
      for (const setting of settings) {
        const segments = [...(parent ? segmentsOf.get(parent.id)! : []), { nodeId: id, choices: setting.choices }];
        const params = withPathDefaults(node.type, setting.params, upstream);
        const variant: PlannedVariant = {
          id: variantId(segments),
          nodeId: id,
          type: node.type,
          path: [...(parent?.path ?? []), id],
          parentId: parent?.id ?? null,
          params,
          swept: setting.swept,
          steps: node.type === 'model' ? [] : [...upstream, { nodeId: id, type: node.type, params }],
          fileName: fileNamer.name(fileStem(segments)),
        };
        segmentsOf.set(variant.id, segments);
        made.push(variant);
      }
    }
    variantsOf.set(id, made);
    variants.push(...made);
  }
  return { ok: true, variants };
}
