// What both training-evidence scripts (distill, finetune) share: reading a `--name value` argument
// and running a model in onnxruntime-node (native, 1 thread) as the passes' RunModel, so the teacher's
// logits come from stock ONNX Runtime.
import * as ortNode from 'onnxruntime-node';
import type { RunModel, RuntimeFeed } from '../../src/core/passes/Pass.js';

export function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** The teacher's logits through onnxruntime-node (native, 1 thread): the pass's RunModel here. */
export const runNative: RunModel = async (bytes, feeds) => {
  const session = await ortNode.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const inputs: Record<string, ortNode.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ortNode.Tensor(feed.type, feed.data, feed.dims);
    const results = await session.run(inputs);
    const out: Record<string, RuntimeFeed> = {};
    for (const [name, t] of Object.entries(results)) out[name] = { type: 'float32', data: (t.data as Float32Array).slice(), dims: [...t.dims] };
    return out;
  } finally {
    await session.release();
  }
};
