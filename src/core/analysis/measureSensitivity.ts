// The `sensitivity` block: how much accuracy each layer costs when it alone is quantized (at
// `bits`) or pruned (at `sparsity`). One candidate per layer — the block's input with a quantize or
// prune step scoped to that one layer (`layers: [name]`) — built and evaluated against the input.
// The block's output model is its input unchanged; this table is its result.
//
// A layer the pass refuses (a PassError: e.g. a shape channel pruning cannot handle) is listed as
// skipped with the pass's reason and the others go on; a crash or a cancellation stops it all.
import { withBlockDefaults } from '../pipeline/blockParams.js';
import { dropInPoints, isPassRefusal, type AnalysisLayer, type AnalysisRuntime, type AnalysisStep } from './AnalysisRuntime.js';
import type { AnalysedInput, SensitivityAnalysis, SensitivityRow, SkippedLayer } from './BlockAnalysis.js';

export interface SensitivityParams {
  mode: 'quantize' | 'prune';
  bits: number;
  sparsity: number;
}

/** The step that changes `layer` alone, as the block's params say. */
export function sensitivityStep(layer: string, params: SensitivityParams): AnalysisStep {
  return params.mode === 'quantize'
    ? { type: 'quantize', params: withBlockDefaults('quantize', { bits: params.bits, layers: [layer] }) }
    : { type: 'prune', params: withBlockDefaults('prune', { sparsity: params.sparsity, layers: [layer] }) };
}

function describeSetting(params: SensitivityParams): string {
  return params.mode === 'quantize' ? (params.bits === 16 ? 'float16' : `${params.bits}-bit`) : `pruned to ${params.sparsity * 100}%`;
}

export async function measureSensitivity(
  runtime: AnalysisRuntime,
  input: { variantId: string; layers: readonly AnalysisLayer[]; skipped: readonly SkippedLayer[] },
  params: SensitivityParams,
): Promise<SensitivityAnalysis> {
  const setting = describeSetting(params);
  const total = input.layers.length;
  runtime.progress(0, total === 0 ? 'no layers to measure' : `measuring the input`);
  const reference = await runtime.inputAccuracy();
  const rows: SensitivityRow[] = [];
  const skipped: SkippedLayer[] = [...input.skipped];
  for (const [index, layer] of input.layers.entries()) {
    runtime.progress(index / total, `layer ${layer.name} (${index + 1} of ${total}): ${setting}`);
    try {
      const measured = await runtime.measure([sensitivityStep(layer.name, params)]);
      rows.push({
        layer: layer.name,
        opType: layer.opType,
        params: layer.params,
        drop: dropInPoints(reference, measured.accuracy),
        accuracy: measured.accuracy,
        agreement: measured.agreement,
        sqnrDb: measured.sqnrDb,
        sizeBytes: measured.sizeBytes,
      });
    } catch (error) {
      if (!isPassRefusal(error)) throw error;
      skipped.push({ layer: layer.name, reason: error.message });
    }
  }
  runtime.progress(1, `measured ${rows.length} layer${rows.length === 1 ? '' : 's'}`);
  const analysedInput: AnalysedInput = { variantId: input.variantId, accuracy: reference, sizeBytes: runtime.inputSizeBytes };
  return {
    kind: 'sensitivity',
    mode: params.mode,
    ...(params.mode === 'quantize' ? { bits: params.bits } : { sparsity: params.sparsity }),
    input: analysedInput,
    layers: rows,
    skipped,
  };
}
