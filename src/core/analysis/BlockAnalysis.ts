// What the analysing blocks find, as the executor reports it (an `analysis` PipelineEvent, the
// run's VariantOutcome.analysis) and as the results document carries it — additive fields of the
// results contract, which every reader keeps:
//
//   variants[i].sensitivity   on a `sensitivity` block's variant: one row per layer
//   variants[i].auto          on an `auto` block's variant: the chosen bits, the verification log,
//                             and the pipeline fragment that rebuilds the chosen model
//
// Drops are accuracy points (0–100 scale) lost against the BLOCK'S INPUT model — the model variant
// when the block hangs off the model node — measured on the run's data (the test split, or the
// quick subset when evaluation runs quick). Agreement and SQNR in a sensitivity row are measured
// against that input too, so an upstream block's own error does not show up as a layer's.
import type { PipelineEdge, PipelineNode } from '../pipeline/pipelineSpec.js';

/** The model an analysis compares against: the block's input variant. */
export interface AnalysedInput {
  variantId: string;
  /** Top-1 accuracy (0–1) on the data; null when the data has no labels. */
  accuracy: number | null;
  sizeBytes: number;
}

/** A layer in the block's scope that was not measured, and why. */
export interface SkippedLayer {
  layer: string;
  reason: string;
}

/** One layer, changed alone (quantized at `bits` or pruned at `sparsity`), everything else as the input has it. */
export interface SensitivityRow {
  /** The layer's name (its node name, or node id when unnamed), as `layers` / `exclude` take it. */
  layer: string;
  opType: string;
  /** Elements of the layer's weight tensors. */
  params: number;
  /** Accuracy points lost against the input (negative: it improved); null without labels. */
  drop: number | null;
  accuracy: number | null;
  /** Top-1 agreement (0–1) with the input model. */
  agreement: number | null;
  /** Output SQNR in dB against the input model. */
  sqnrDb: number | null;
  /** The .onnx size with only this layer changed. */
  sizeBytes: number;
}

export interface SensitivityAnalysis {
  kind: 'sensitivity';
  mode: 'quantize' | 'prune';
  /** Quantize mode: the bits each layer was quantized at. */
  bits?: number;
  /** Prune mode: the sparsity each layer was pruned to. */
  sparsity?: number;
  input: AnalysedInput;
  /** In graph order. */
  layers: SensitivityRow[];
  skipped: SkippedLayer[];
}

/** A layer's weight bits in the chosen model; null: left as the input has it (float). */
export type ChosenBits = number | null;

export interface AutoLayerChoice {
  layer: string;
  opType: string;
  params: number;
  bits: ChosenBits;
  /** Drop measured with only this layer at `bits` (0 when left in float). */
  measuredDrop: number;
  /** Bytes the file saves with only this layer at `bits`. */
  savedBytes: number;
}

/** One candidate that was built and evaluated while searching. */
export interface AutoAttempt {
  /** Bits per layer name; layers left in float are absent. */
  bits: Record<string, number>;
  sizeBytes: number;
  accuracy: number | null;
  drop: number | null;
  /** Within `maxDrop` of the input, and smaller than any candidate accepted before it: the output unless a later one is accepted. */
  accepted: boolean;
}

/**
 * Spec v1 nodes and edges that rebuild the chosen model from the auto block's input: quantize
 * blocks scoped by `layers`, one per bit width, chained from `input`. Put them in place of the auto
 * node (pipelineFragment.ts replaceNodeWithFragment) and connect what the auto node fed from
 * `output`. No nodes when the best model is the input itself (then `output` is `input`).
 */
export interface PipelineFragment {
  /** The node the fragment hangs from: the auto node's input. */
  input: string;
  /** The node whose output is the chosen model. */
  output: string;
  nodes: PipelineNode[];
  edges: PipelineEdge[];
}

export interface AutoSearchResult {
  kind: 'auto';
  maxDrop: number;
  objective: 'size';
  input: AnalysedInput;
  /** The chosen model as evaluated against the input (the input itself when nothing fits). */
  chosen: { sizeBytes: number; accuracy: number | null; drop: number; agreement: number | null; sqnrDb: number | null };
  /** False when no candidate was verified within `maxDrop` before the search gave up: the output is then the input unchanged. */
  converged: boolean;
  /** Every layer in scope, in graph order, with the bits chosen for it. */
  layers: AutoLayerChoice[];
  skipped: SkippedLayer[];
  /** Each layer measured alone at each bit width the search considered. */
  measurements: { layer: string; bits: number; drop: number; sizeBytes: number }[];
  /** The candidates verified by evaluation, in order; the last accepted one is the output. */
  attempts: AutoAttempt[];
  pipeline: PipelineFragment;
  /** What the user should know: why the search stopped, what it left out. */
  notes: string[];
}

export type BlockAnalysis = SensitivityAnalysis | AutoSearchResult;

/** The block types that analyse rather than transform. */
export type AnalysisBlockType = BlockAnalysis['kind'];

export function isAnalysisBlock(type: string): type is AnalysisBlockType {
  return type === 'sensitivity' || type === 'auto';
}
