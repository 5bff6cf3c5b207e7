// The pipeline as the panel lists it: its nodes in run order (every block after its input), each
// with the block it takes its model from and its params as short text — a sweep as its values
// joined by " · " ("8 · 4 · 3 · 2"), scope lists as names, params left at their defaults marked so
// the panel can fold them away. Pure: the editor (issue 6) can reuse it for its inspector's summary.
import { BLOCKS, declaredParams, isSweptParam, type NodeType } from '../core/pipeline/blockParams';
import { canonicalJson } from '../core/pipeline/canonicalJson';
import { orderPipeline } from '../core/pipeline/pipelineGraph';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';

export interface ParamView {
  name: string;
  /** The value as the panel prints it. */
  text: string;
  /** A sweep: one variant per value. */
  swept: boolean;
  /** How many values it takes: the sweep's length, or 1. */
  valueCount: number;
  /** Equal to the block's default (the panel folds these). */
  isDefault: boolean;
  /** The block's first param, what it is mostly about (quantize's bits, prune's sparsity): always shown. */
  headline: boolean;
  /** A param this Whittle does not know: kept in the file, no effect. */
  unknown: boolean;
}

export interface BlockView {
  id: string;
  type: NodeType;
  /** The node it takes its model from; null for the model node. */
  inputId: string | null;
  /** Whether its input is not the block listed just before it (the pipeline branches). */
  branches: boolean;
  params: ParamView[];
  /** How many variants the node makes per variant of its input (the product of its sweeps). */
  variantsPerInput: number;
}

const SWEEP_SEPARATOR = ' · ';

/** One param value as text: lists of names comma-separated, flat objects as `key value` (distill's `width 0.5`), anything else as compact JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.length === 0 ? 'none' : value.join(', ');
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, item]) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
      return entries.map(([key, item]) => `${key} ${String(item)}`).join(', ');
    }
  }
  return JSON.stringify(value) ?? String(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false;
  }
}

/** The node's params in declaration order, then unknown ones; scope params only when given. */
export function paramViews(type: NodeType, params: Readonly<Record<string, unknown>>): ParamView[] {
  const defaults: Record<string, unknown> = type === 'model' ? {} : BLOCKS[type].defaults;
  const declared = new Set(declaredParams(type));
  const headline = declaredParams(type)[0];
  const views: ParamView[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const unknown = !declared.has(name);
    const swept = !unknown && isSweptParam(type, name, value);
    const text = swept ? (value as unknown[]).map(valueText).join(SWEEP_SEPARATOR) : valueText(value);
    views.push({ name, text, swept, valueCount: swept ? (value as unknown[]).length : 1, isDefault: !unknown && name in defaults && sameValue(value, defaults[name]), headline: name === headline, unknown });
  }
  const order = [...declared];
  const rank = (view: ParamView) => (view.unknown ? order.length : order.indexOf(view.name));
  return views.sort((a, b) => rank(a) - rank(b));
}

/** The blocks of a valid pipeline in run order (the order the planner builds them in). */
export function pipelineBlocks(pipeline: PipelineSpec): BlockView[] {
  const ordered = orderPipeline(pipeline.nodes, pipeline.edges);
  // A valid pipeline always orders; document order is the honest fallback if it ever did not.
  const order = ordered.ok ? ordered.order : pipeline.nodes.map((node) => node.id);
  const byId = new Map(pipeline.nodes.map((node) => [node.id, node]));
  return order.map((id, index) => {
    const node = byId.get(id)!;
    const inputId = ordered.ok ? (ordered.inputOf.get(id) ?? null) : null;
    const params = paramViews(node.type, node.params);
    const variantsPerInput = params.reduce((count, param) => count * param.valueCount, 1);
    return { id, type: node.type, inputId, branches: inputId !== null && index > 0 && order[index - 1] !== inputId, params, variantsPerInput };
  });
}
