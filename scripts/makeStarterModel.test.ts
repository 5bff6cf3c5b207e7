// The committed starter sample must be exactly what its script builds, and ONNX Runtime (web and
// native) must run it and agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runWithOrtNode, runWithOrtWeb } from '../src/core/testing/onnxRuntimeReference.js';
import { seededUniform } from '../src/core/testing/structuralModels.js';
import { SAMPLES_DIR, starterSampleFiles } from './makeStarterModel.js';

describe('starter-cnn sample', () => {
  const generated = starterSampleFiles();

  it('the committed model and card are byte-identical to what the script builds', () => {
    const committedModel = new Uint8Array(readFileSync(`${SAMPLES_DIR}starter-cnn.onnx`));
    const committedCard = readFileSync(`${SAMPLES_DIR}starter-cnn.json`, 'utf8');
    // Compare lengths first so a drift reports a readable failure rather than a huge diff.
    expect(committedModel.length).toBe(generated.model.length);
    expect(Buffer.compare(Buffer.from(committedModel), Buffer.from(generated.model))).toBe(0);
    expect(committedCard).toBe(generated.card);
  });

  it('runs in onnxruntime-web and onnxruntime-node with the same logits', async () => {
    const batch = 3;
    const feeds = { input: { type: 'float32' as const, data: seededUniform(7, batch * 28 * 28), dims: [batch, 1, 28, 28] } };
    const web = await runWithOrtWeb(generated.model, feeds);
    const native = await runWithOrtNode(generated.model, feeds);
    expect(web.logits!.dims).toEqual([batch, 10]);
    expect(native.logits!.dims).toEqual([batch, 10]);
    const webLogits = Array.from(web.logits!.data as Float32Array);
    const nativeLogits = Array.from(native.logits!.data as Float32Array);
    expect(webLogits.every(Number.isFinite)).toBe(true);
    // Different kernels sum in different orders: agree to float32 rounding of logits near unit scale.
    for (let i = 0; i < webLogits.length; i++) expect(Math.abs(webLogits[i]! - nativeLogits[i]!)).toBeLessThan(1e-4);
    // An untrained net still separates inputs: the logits are not all the same.
    expect(new Set(webLogits.map((v) => v.toFixed(4))).size).toBeGreaterThan(batch);
  });
});
