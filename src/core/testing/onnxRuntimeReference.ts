// Test-only: runs a serialized model in both ONNX Runtime builds the tests compare against —
// onnxruntime-web (its Node build, wasm, one thread) and onnxruntime-node (native CPU) — and returns
// plain outputs. The app's own ONNX Runtime owner lives in src/core/eval; this module exists so
// codec and pass tests can check "ORT runs it and gives these numbers" without depending on it.
import * as ortWeb from 'onnxruntime-web';
import * as ortNode from 'onnxruntime-node';
import type { ModelFeed } from './structuralModels.js';

export interface RuntimeOutput {
  type: string;
  dims: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Int8Array;
}

export type RuntimeOutputs = Record<string, RuntimeOutput>;

ortWeb.env.wasm.numThreads = 1;
ortWeb.env.logLevel = 'error';

function copyOutputs(results: Record<string, { type: string; dims: readonly number[]; data: unknown }>): RuntimeOutputs {
  const out: RuntimeOutputs = {};
  for (const [name, tensor] of Object.entries(results)) {
    const data = tensor.data as RuntimeOutput['data'];
    out[name] = { type: tensor.type, dims: [...tensor.dims], data: data.slice() as RuntimeOutput['data'] };
  }
  return out;
}

/** Runs the model once in onnxruntime-web (wasm). */
export async function runWithOrtWeb(modelBytes: Uint8Array, feeds: Record<string, ModelFeed>): Promise<RuntimeOutputs> {
  const session = await ortWeb.InferenceSession.create(modelBytes, { graphOptimizationLevel: 'all' });
  try {
    const inputs: Record<string, ortWeb.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ortWeb.Tensor(feed.type, feed.data, feed.dims);
    return copyOutputs(await session.run(inputs));
  } finally {
    await session.release();
  }
}

/** Runs the model once in onnxruntime-node (native CPU, one intra-op thread). */
export async function runWithOrtNode(modelBytes: Uint8Array, feeds: Record<string, ModelFeed>): Promise<RuntimeOutputs> {
  const session = await ortNode.InferenceSession.create(modelBytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const inputs: Record<string, ortNode.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ortNode.Tensor(feed.type, feed.data, feed.dims);
    return copyOutputs(await session.run(inputs));
  } finally {
    await session.release();
  }
}

/** Byte-for-byte view of an output's data, for bit-identical comparisons (NaN payloads included). */
export function outputBytes(output: RuntimeOutput): Uint8Array {
  return new Uint8Array(output.data.buffer, output.data.byteOffset, output.data.byteLength);
}

/** Largest |a − b| − rtol·|b| over two float outputs of the same shape (≤ atol means "agrees"). */
export function maxAbsoluteDifference(a: RuntimeOutput, b: RuntimeOutput): number {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(Number(a.data[i]) - Number(b.data[i]));
    if (!(d <= worst)) worst = d; // NaN propagates as a failure
  }
  return worst;
}
