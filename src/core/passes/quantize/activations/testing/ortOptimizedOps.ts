// Test-only: which operators onnxruntime-node actually runs after its graph optimizations — how the
// tests see that a QDQ group was fused into an int8 kernel (QLinearConv, QGemm, ...) rather than run
// as float operations between Q and DQ nodes. onnxruntime-web runs the same optimizer (it has no
// file system to write the optimized model to).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { decodeModel } from '../../../../onnx/modelFile.js';

/** Op types of the optimized graph, `domain:Op` outside the default domain, in node order. */
export async function ortOptimizedOps(modelBytes: Uint8Array): Promise<string[]> {
  const directory = mkdtempSync(join(tmpdir(), 'whittle-ort-'));
  try {
    const path = join(directory, 'optimized.onnx');
    const session = await ortNode.InferenceSession.create(modelBytes, { graphOptimizationLevel: 'all', optimizedModelFilePath: path, logSeverityLevel: 3 });
    await session.release();
    const model = decodeModel(new Uint8Array(readFileSync(path)));
    return (model.graph?.node ?? []).map((n) => (n.domain ? `${n.domain}:${n.opType}` : n.opType ?? ''));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
