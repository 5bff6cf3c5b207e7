// Weight-only quantization of a whole graph: plan the layers, raise the opset if the chosen storage
// needs it, then rewrite one layer at a time — QDQ, MatMulNBits or float16 — reporting progress
// and checking for cancellation between layers. The heavy loops (group statistics, quantization)
// run in ctx.kernels; the rest is per group or per layer.
import type { Graph } from '../../graph/Graph.js';
import { GraphEditor } from '../../graph/GraphEditor.js';
import { nodeSubgraphReads } from '../../graph/topology.js';
import { throwIfCancelled, yieldToEventLoop, type PassContext } from '../Pass.js';
import type { QuantizeParams } from './QuantizeParams.js';
import { writeFloat16Weight } from './float16Weights.js';
import { writeMatMulNBits } from './matMulNBits.js';
import { withIrVersionAtLeast } from './modelProperties.js';
import { upgradeOpset } from './opsetUpgrade.js';
import { writeDequantizedWeight } from './qdqWeights.js';
import { integerStorageBytes, planWeightQuantization, QUANTIZABLE_OPS, type PlannedLayer, type QuantizationPlan } from './quantizationPlan.js';
import { withQuantizationReport, type QuantizedLayerRecord } from './quantizationReport.js';
import { chooseWeightQuantization, quantizeWeightValues } from './quantizeWeights.js';
import { dequantizeRequirements, storageBits } from './storageTypes.js';
import { product } from './weightLayout.js';

const PASS = 'quantize';

/** The opset and IR version the planned storage needs (DequantizeLinear's int4, blocks, int2). */
export function planRequirements(plan: QuantizationPlan): { opset: number; irVersion: number } {
  let opset = 0;
  let irVersion = 0;
  for (const planned of plan.layers) {
    if (planned.format !== 'qdq') continue;
    const { grid, layout, scaleType } = planned.integer!;
    const needs = dequantizeRequirements(storageBits(grid.bits), layout.granularity, scaleType === 'float16');
    opset = Math.max(opset, needs.opset);
    irVersion = Math.max(irVersion, needs.irVersion);
  }
  return { opset, irVersion };
}

function describe(planned: PlannedLayer, params: QuantizeParams): string {
  if (planned.format === 'float16') return 'float16';
  const { layout, grid } = planned.integer!;
  const grouping = layout.granularity === 'group' ? `groups of ${layout.blockSize}` : `per ${layout.granularity}`;
  return `${params.bits}-bit ${grid.signed ? 'symmetric' : 'asymmetric'} ${planned.format === 'matmulnbits' ? 'MatMulNBits' : 'QDQ'}, ${grouping}`;
}

function record(planned: PlannedLayer, params: QuantizeParams): QuantizedLayerRecord {
  const parameters = product(planned.role.dims);
  const base = { layer: planned.name, format: planned.format, ...(planned.note ? { note: planned.note } : {}) };
  if (planned.format === 'float16') return { ...base, valueBits: 16, storageBits: 16, bitsPerWeight: 16 };
  const { grid, layout } = planned.integer!;
  const groupSize = planned.format === 'matmulnbits' ? params.groupSize : layout.blockSize;
  return {
    ...base,
    valueBits: grid.bits,
    storageBits: storageBits(grid.bits),
    granularity: planned.format === 'matmulnbits' ? 'group' : layout.granularity,
    ...(groupSize !== undefined ? { groupSize } : {}),
    symmetric: grid.signed,
    bitsPerWeight: Math.round((integerStorageBytes(planned, params.groupSize) * 8000) / parameters) / 1000,
  };
}

/**
 * Removes the Identity and Constant nodes that fed rewired weights once nothing reads them, so the
 * float payload they carry (or keep alive) leaves the file. Repeats, since removing an Identity can
 * leave the node before it unread.
 */
function withoutDeadSourceNodes(graph: Graph, candidates: ReadonlySet<string>): Graph {
  let current = graph;
  for (;;) {
    const read = new Set(current.outputs.map((o) => o.name ?? ''));
    for (const node of current.nodes) {
      for (const input of node.proto.input ?? []) read.add(input);
      for (const name of nodeSubgraphReads(node.proto)) read.add(name);
    }
    const dead = current.nodes.filter((n) => candidates.has(n.id) && (n.proto.output ?? []).every((o) => !read.has(o)));
    if (dead.length === 0) return current;
    const edit = new GraphEditor(current);
    for (const node of dead) edit.removeNode(node.id);
    current = edit.build();
  }
}

/**
 * Quantizes the weights of the graph's in-scope layers whose op is in `opTypes`; returns the new
 * graph (the input is untouched) and what was done, layer by layer.
 */
export async function quantizeGraphWeights(graph: Graph, params: QuantizeParams, ctx: PassContext, opTypes: ReadonlySet<string> = QUANTIZABLE_OPS): Promise<{ graph: Graph; records: QuantizedLayerRecord[] }> {
  const plan = planWeightQuantization(graph, params, opTypes);
  if (plan.layers.length === 0) return { graph: withQuantizationReport(graph, [], plan.skipped), records: [] };
  const needs = planRequirements(plan);
  const upgraded = needs.opset > 0 ? upgradeOpset(graph, needs.opset, PASS) : graph;

  const edit = new GraphEditor(upgraded);
  const written = new Map<string, string>();
  const records: QuantizedLayerRecord[] = [];
  for (const [index, planned] of plan.layers.entries()) {
    throwIfCancelled(ctx, PASS);
    const layerId = planned.layer.node.id;
    ctx.progress(index / plan.layers.length, `layer ${planned.name}: ${describe(planned, params)}`);
    if (planned.format === 'float16') {
      const key = `${planned.weightName}|float16`;
      const value = written.get(key) ?? writeFloat16Weight(edit, layerId, planned.weightName, planned.weights, planned.role.dims);
      written.set(key, value);
      edit.setNodeInput(layerId, 1, value);
    } else {
      const { grid, layout, scaleType } = planned.integer!;
      const key = `${planned.weightName}|${planned.format}|${JSON.stringify([grid, layout, scaleType])}`;
      const cached = planned.format === 'qdq' ? written.get(key) : undefined;
      if (cached) {
        edit.setNodeInput(layerId, 1, cached);
      } else {
        const quantization = chooseWeightQuantization(planned.weights, layout, grid, scaleType, ctx.kernels);
        const values = quantizeWeightValues(planned.weights, quantization, ctx.kernels);
        if (planned.format === 'matmulnbits') {
          writeMatMulNBits(edit, planned, values, quantization, params.groupSize);
        } else {
          const value = writeDequantizedWeight(edit, layerId, planned.weightName, values, quantization);
          written.set(key, value);
          edit.setNodeInput(layerId, 1, value);
        }
      }
    }
    records.push(record(planned, params));
    await yieldToEventLoop();
  }
  ctx.progress(1, `quantized ${records.length} layer${records.length === 1 ? '' : 's'}`);
  const candidates = new Set(plan.layers.flatMap((planned) => planned.sourceNodeIds));
  const built = withIrVersionAtLeast(withoutDeadSourceNodes(edit.build(), candidates), needs.irVersion);
  return { graph: withQuantizationReport(built, records, plan.skipped), records };
}
