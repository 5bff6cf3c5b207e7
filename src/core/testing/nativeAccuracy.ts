// Test-only: top-1 accuracy of a model file on a labelled batch, measured by stock onnxruntime-node
// (native CPU, one thread) — about 7× faster than the wasm build on a full test split.
//
// Weight-only QDQ files are evaluated with the session option session.disable_quant_qdq = 1. By
// default ONNX Runtime keeps every DequantizeLinear for its QDQ fusions; a weight DequantizeLinear
// that nothing fuses then runs on every call and the convolution cannot prepack its weights, which
// made fashion-mobilenet 2.9× slower at batch 2000 (measured here, native and wasm alike). With QDQ
// handling off the DequantizeLinear is constant-folded at load by the same kernel, so the logits are
// the same numbers and the run is as fast as the float model's.
import * as ort from 'onnxruntime-node';
import { topOneAccuracy } from '../eval/metrics/accuracy.js';
import type { LabelledBatch } from './bundledSamples.js';

export async function nativeAccuracy(modelBytes: Uint8Array, batch: LabelledBatch): Promise<number> {
  const options = { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1, extra: { session: { disable_quant_qdq: '1' } } } as ort.InferenceSession.SessionOptions;
  const session = await ort.InferenceSession.create(modelBytes, options);
  try {
    const outputs = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', batch.x, [...batch.shape]) });
    const logits = outputs[session.outputNames[0]!]!.data as Float32Array;
    return topOneAccuracy(logits, batch.y, logits.length / batch.y.length);
  } finally {
    await session.release();
  }
}
