// The one owner of ONNX Runtime (onnxruntime-web): its configuration (threads, WebGPU opt-in), a
// queue that creates sessions one at a time, runs, and disposal. In a Vite module worker the import
// bundles ORT's glue and emits its .wasm as an asset of our own origin; in Node (Vitest, CLI) the
// same import resolves to ORT's Node build, which finds its .wasm itself.
import * as ort from 'onnxruntime-web';

export type RuntimeBackend = 'wasm' | 'webgpu';

export interface RuntimeSession {
  session: ort.InferenceSession;
  /** The backend the session actually runs on (WebGPU falls back to wasm when unavailable). */
  backend: RuntimeBackend;
  threads: number;
  /** Why the requested backend was not used, when it was not. */
  fallbackReason: string | null;
}

export interface CreateSessionOptions {
  /** Ask for WebGPU; used only when the platform gives an adapter. Default wasm. */
  backend?: RuntimeBackend;
}

export interface RunResult {
  latencyMs: number;
  outputs: { name: string; type: string; dims: number[] }[];
}

/** A tensor ORT can take as input or gives as output. */
export type RuntimeTensor = ort.Tensor;

interface PlatformGlobals {
  crossOriginIsolated?: boolean;
  navigator?: { hardwareConcurrency?: number; gpu?: { requestAdapter(): Promise<unknown> } };
}
const platform = globalThis as unknown as PlatformGlobals;

/**
 * Threads only help when SharedArrayBuffer is allowed (a cross-origin isolated page or worker);
 * without it ORT would silently fall back to one, so we say one. More than four rarely pays for
 * models of the size the studio handles, and leaves cores for the UI and the other workers.
 */
export function runtimeThreadCount(): number {
  if (platform.crossOriginIsolated !== true) return 1;
  return Math.max(1, Math.min(4, platform.navigator?.hardwareConcurrency ?? 1));
}

let configured = false;
function configureRuntime(): void {
  if (configured) return;
  configured = true;
  ort.env.logLevel = 'error';
  ort.env.wasm.numThreads = runtimeThreadCount();
  // We already run inside a worker; ORT's own proxy worker would only add a hop.
  ort.env.wasm.proxy = false;
}

async function webgpuUnavailableReason(): Promise<string | null> {
  const gpu = platform.navigator?.gpu;
  if (!gpu) return 'WebGPU is not available here';
  try {
    return (await gpu.requestAdapter()) ? null : 'WebGPU gave no adapter';
  } catch (error) {
    return `WebGPU adapter request failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

// ORT's wasm backend initialises once and must not see two session creations racing each other.
let creationQueue: Promise<unknown> = Promise.resolve();

export function createSession(modelBytes: Uint8Array, options: CreateSessionOptions = {}): Promise<RuntimeSession> {
  const create = async (): Promise<RuntimeSession> => {
    configureRuntime();
    let backend: RuntimeBackend = 'wasm';
    let fallbackReason: string | null = null;
    if (options.backend === 'webgpu') {
      fallbackReason = await webgpuUnavailableReason();
      if (fallbackReason === null) backend = 'webgpu';
    }
    const open = (provider: RuntimeBackend) =>
      ort.InferenceSession.create(modelBytes, { executionProviders: [provider], graphOptimizationLevel: 'all' });
    let session: ort.InferenceSession;
    try {
      session = await open(backend);
    } catch (error) {
      // WebGPU lacks kernels for some ops (and some adapters fail); wasm runs every op ORT has.
      if (backend !== 'webgpu') throw error;
      backend = 'wasm';
      fallbackReason = `WebGPU session failed: ${describeRuntimeError(error)}`;
      session = await open(backend);
    }
    return { session, backend, threads: backend === 'wasm' ? runtimeThreadCount() : 1, fallbackReason };
  };
  const result = creationQueue.then(create, create);
  creationQueue = result.catch(() => undefined);
  return result;
}

export async function disposeSession(runtime: RuntimeSession | null): Promise<void> {
  await runtime?.session.release();
}

/** A concrete size for every dimension: symbolic and unknown dimensions become 1. */
export function concreteShape(shape: ReadonlyArray<number | string>): number[] {
  return shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
}

function zeroTensor(name: string, type: ort.Tensor.Type, dims: number[]): ort.Tensor {
  const count = dims.reduce((a, b) => a * b, 1);
  switch (type) {
    case 'float32': return new ort.Tensor(type, new Float32Array(count), dims);
    case 'float64': return new ort.Tensor(type, new Float64Array(count), dims);
    case 'float16': return new ort.Tensor(type, new Uint16Array(count), dims);
    case 'int8': return new ort.Tensor(type, new Int8Array(count), dims);
    case 'uint8': return new ort.Tensor(type, new Uint8Array(count), dims);
    case 'int16': return new ort.Tensor(type, new Int16Array(count), dims);
    case 'uint16': return new ort.Tensor(type, new Uint16Array(count), dims);
    case 'int32': return new ort.Tensor(type, new Int32Array(count), dims);
    case 'uint32': return new ort.Tensor(type, new Uint32Array(count), dims);
    case 'int64': return new ort.Tensor(type, new BigInt64Array(count), dims);
    case 'uint64': return new ort.Tensor(type, new BigUint64Array(count), dims);
    case 'bool': return new ort.Tensor(type, new Uint8Array(count), dims);
    case 'string': return new ort.Tensor(type, Array.from({ length: count }, () => ''), dims);
    default: throw new Error(`input '${name}' has type ${type}, which a zero-filled test run cannot make`);
  }
}

/** A float32 tensor over `data` (not copied), laid out as `dims`. */
export function float32Tensor(data: Float32Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

/** A numeric tensor over `data` (not copied): float32, int64 (BigInt64Array), int32, uint8 or int8. */
export function numericTensor(type: 'float32' | 'int64' | 'int32' | 'uint8' | 'int8', data: Float32Array | BigInt64Array | Int32Array | Uint8Array | Int8Array, dims: readonly number[]): ort.Tensor {
  return new ort.Tensor(type, data as Float32Array, dims);
}

/** Zero-filled feeds for every input of the session, symbolic dimensions set to 1. */
export function zeroFeeds(runtime: RuntimeSession): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const input of runtime.session.inputMetadata) {
    if (!input.isTensor) throw new Error(`input '${input.name}' is not a tensor, so a test run cannot feed it`);
    feeds[input.name] = zeroTensor(input.name, input.type, concreteShape(input.shape));
  }
  return feeds;
}

/** Runs the session once (zero-filled inputs unless feeds are given) and times the run. */
export async function runOnce(runtime: RuntimeSession, feeds: Record<string, ort.Tensor> = zeroFeeds(runtime)): Promise<RunResult> {
  const start = performance.now();
  const results = await runtime.session.run(feeds);
  const latencyMs = performance.now() - start;
  const outputs = Object.entries(results).map(([name, tensor]) => ({ name, type: tensor.type, dims: [...tensor.dims] }));
  for (const tensor of Object.values(results)) tensor.dispose();
  return { latencyMs, outputs };
}

/** ORT's error text without its "ERROR_CODE: 1, ERROR_MESSAGE:" framing. */
export function describeRuntimeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const inner = /ERROR_MESSAGE:\s*([\s\S]*)$/.exec(message)?.[1] ?? message;
  return inner.trim().replace(/\s+/g, ' ');
}
