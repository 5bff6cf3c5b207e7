// What the upstream Quantize blocks did, read from the lineage (the blocks between the original model
// and this block's input, with their planned params): the schemes QAT simulates while training and
// re-applies afterwards, so the fine-tuned model keeps the input's format and size.
import type { Graph } from '../../graph/Graph.js';
import { PassError, type TrainingContext } from '../Pass.js';
import type { QuantizeParams } from '../quantize/QuantizeParams.js';
import { planWeightQuantization, type PlannedLayer } from '../quantize/quantizationPlan.js';
import { resolveQuantizeParams } from '../quantize/resolveQuantizeParams.js';

const PASS = 'finetune';

/** The resolved params of every upstream quantize block, in pipeline order. */
export function upstreamQuantizeParams(lineage: TrainingContext['lineage']): QuantizeParams[] {
  return lineage.filter((block) => block.type === 'quantize').map((block) => resolveQuantizeParams(block.params as Partial<QuantizeParams>));
}

/** Refuses schemes with no float model to train: dynamic activation quantization (its MatMulInteger layers are not undone here). Static QDQ is stripped and re-calibrated. */
export function checkRecoverableSchemes(schemes: readonly QuantizeParams[]): void {
  for (const params of schemes) {
    if (params.activations === 'dynamic') {
      throw new PassError(PASS, `fine-tuning a quantized model needs weight-only or static quantization; the upstream quantize block quantizes activations 'dynamic' (MatMulInteger). Fine-tune before that block, or set its activations to 'none' or 'static'`);
    }
  }
}

/**
 * Every weight the upstream blocks quantize in the (float) graph, with the plan that says how. A
 * weight planned by an earlier block is the earlier block's, as when the blocks ran in order.
 */
export function plannedWeights(graph: Graph, schemes: readonly QuantizeParams[]): Map<string, PlannedLayer> {
  const planned = new Map<string, PlannedLayer>();
  for (const params of schemes) {
    for (const layer of planWeightQuantization(graph, params).layers) if (!planned.has(layer.weightName)) planned.set(layer.weightName, layer);
  }
  return planned;
}
