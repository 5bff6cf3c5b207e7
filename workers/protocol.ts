// The typed interfaces between the UI thread and its workers, exposed with comlink. Failures a user
// can act on (a bad file, a model ONNX Runtime cannot run) come back as values, never as thrown
// errors, so the UI shows them and keeps going. Big buffers cross as transferables.
import type { ModelSummary } from '../src/core/graph/summary';
import type { GraphView } from '../src/core/graph/viewModel';

/** A problem with something the user gave us, worded for them. */
export interface UserFacingError {
  fileName: string;
  /** A stable code ('truncated', 'external-data', 'runtime', ...) for tests and styling. */
  problem: string;
  /** The full sentence to show, starting with the file name. */
  message: string;
}

export type WorkerResult<T> = { ok: true; value: T } | { ok: false; error: UserFacingError };

/** A file the user opened or dropped, by its name (no folders: browsers do not give them). */
export interface OpenedFile {
  name: string;
  bytes: ArrayBuffer;
}

// ---- engine.worker ----------------------------------------------------------------------------

export interface OpenedModelData {
  summary: ModelSummary;
  view: GraphView;
  /** The model as one self-contained file (external data inlined) for ONNX Runtime. Transferred. */
  runtimeBytes: ArrayBuffer;
}

export interface EngineApi {
  /** Opens the .onnx among the files, using the others as its external-data files. */
  openModel(files: OpenedFile[]): Promise<WorkerResult<OpenedModelData>>;
}

// ---- layout.worker ----------------------------------------------------------------------------

export type LayoutEngine = 'elk' | 'layered';

export interface LayoutRequest {
  widths: Float64Array;
  heights: Float64Array;
  /** Edge i goes from node edgeSources[i] to node edgeTargets[i] (indices into the node arrays). */
  edgeSources: Int32Array;
  edgeTargets: Int32Array;
}

export interface LayoutResult {
  /** Top-left corner of each node, in request order. Transferred. */
  xs: Float64Array;
  ys: Float64Array;
  /**
   * Bend points of the edges, when the engine routes them (ELK does): edge i's points are
   * (bends[2k], bends[2k+1]) for k in [bendOffsets[i], bendOffsets[i+1]). Transferred.
   */
  bends: Float64Array | null;
  bendOffsets: Int32Array | null;
  engine: LayoutEngine;
  milliseconds: number;
}

export interface LayoutApi {
  layout(request: LayoutRequest, engine: LayoutEngine): Promise<LayoutResult>;
}

// ---- eval.worker ------------------------------------------------------------------------------

export type RuntimeBackendChoice = 'wasm' | 'webgpu';

export interface RuntimeProbe {
  backend: RuntimeBackendChoice;
  threads: number;
  /** Latency of one inference on zero-filled inputs, after a warm-up run. */
  latencyMs: number;
  /** Why WebGPU was asked for but not used. */
  fallbackReason: string | null;
}

export interface EvalApi {
  /** Creates a session for the model, runs it on zero-filled inputs and reports how it ran. */
  probeModel(modelBytes: ArrayBuffer, fileName: string, backend: RuntimeBackendChoice): Promise<WorkerResult<RuntimeProbe>>;
}
