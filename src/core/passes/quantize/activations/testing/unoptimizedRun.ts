// Test-only: onnxruntime-web with its graph optimizations off — the model computed exactly as the
// file says, for the cases where ORT's load-time rewrites (its own weight quantization between
// QDQ activations) would change the numbers.
import * as ortWeb from 'onnxruntime-web';
import type { RuntimeFeed } from '../../../Pass.js';

export async function runWithOrtWebUnoptimized(modelBytes: Uint8Array, feeds: Record<string, RuntimeFeed>): Promise<Record<string, RuntimeFeed>> {
  ortWeb.env.wasm.numThreads = 1;
  const session = await ortWeb.InferenceSession.create(modelBytes, { graphOptimizationLevel: 'disabled' });
  try {
    const inputs: Record<string, ortWeb.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ortWeb.Tensor(feed.type, feed.data, feed.dims);
    const results = await session.run(inputs);
    const out: Record<string, RuntimeFeed> = {};
    for (const [name, tensor] of Object.entries(results)) out[name] = { type: tensor.type as RuntimeFeed['type'], data: (tensor.data as RuntimeFeed['data']).slice() as RuntimeFeed['data'], dims: [...tensor.dims] };
    return out;
  } finally {
    await session.release();
  }
}
