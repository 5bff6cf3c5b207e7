// Calibration statistics: what ONNX Runtime computes for each observed tensor, gathered over the
// first N images in batches, must equal the same statistics computed directly over all those values.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../../kernels/js/passKernels.js';
import { DataType } from '../../../onnx/dataType.js';
import { graphFromModel, type Graph } from '../../../graph/Graph.js';
import { ModelBuilder } from '../../../graph/ModelBuilder.js';
import type { ImageSet } from '../../../eval/datasets/Dataset.js';
import { runModelInNode } from '../../../testing/bundledSamples.js';
import { PassCancelledError, PassError, type PassContext, type RunModel } from '../../Pass.js';
import { HISTOGRAM_BINS, histogramBounds } from './CalibrationHistogram.js';
import { collectActivationStatistics } from './collectActivationStatistics.js';
import { seededUniform } from './testing/syntheticHistograms.js';

const kernels = createJsPassKernels();

/** input (N, 1, 4, 4) → Sub 0.5 → 'centred' → Relu → 'rectified' → Mul 3 → 'output'. */
function smallModel(batch: number | 'N' = 'N'): Graph {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, [batch, 1, 4, 4]);
  const half = b.initializer('half', DataType.FLOAT, [], Float32Array.of(0.5));
  const three = b.initializer('three', DataType.FLOAT, [], Float32Array.of(3));
  b.node('Sub', [x, half], {}, { name: 'centre', outputs: ['centred'] });
  b.node('Relu', ['centred'], {}, { name: 'relu', outputs: ['rectified'] });
  b.node('Mul', ['rectified', three], {}, { name: 'scale', outputs: ['output'] });
  b.output('output', DataType.FLOAT, [batch, 1, 4, 4]);
  return graphFromModel(b.build());
}

function images(count: number, seed = 1): ImageSet {
  const random = seededUniform(seed);
  return { x: Uint8Array.from({ length: count * 16 }, () => Math.floor(random() * 256)), shape: [count, 1, 4, 4], y: null };
}

function context(set: ImageSet | null, run: RunModel = runModelInNode, signal = new AbortController().signal): PassContext {
  return { kernels, progress: () => {}, signal, ...(set ? { calibration: { images: set, run } } : {}) };
}

/** What the model computes, in plain JS, for the first `count` images. */
function expectedValues(set: ImageSet, count: number): Record<string, Float32Array> {
  const pixels = Float32Array.from(set.x.subarray(0, count * 16), (v) => v / 255);
  const centred = pixels.map((v) => Math.fround(v - 0.5));
  const rectified = centred.map((v) => Math.max(0, v));
  return { input: pixels, centred, rectified };
}

describe('collectActivationStatistics', () => {
  it('gathers extremes and histograms equal to those of all the values of the first N images', async () => {
    const set = images(40);
    const tensors = ['input', 'centred', 'rectified'];
    for (const symmetric of [true, false]) {
      const statistics = await collectActivationStatistics(smallModel(), { tensors, samples: 30, histograms: true, symmetric }, context(set), () => {});
      const expected = expectedValues(set, 30);
      for (const tensor of tensors) {
        const values = expected[tensor]!;
        const s = statistics.get(tensor)!;
        expect(s.min).toBe(Math.min(...values));
        expect(s.max).toBe(Math.max(...values));
        const { lo, hi } = histogramBounds(s, symmetric);
        const counts = new Float64Array(HISTOGRAM_BINS);
        kernels.histogram(values, lo, hi, symmetric, counts);
        expect(s.histogram!.counts).toEqual(counts);
        expect(s.histogram!.absolute).toBe(symmetric);
        expect(s.histogram!.zeros).toBe(values.filter((v) => v === 0).length);
      }
    }
  });

  it('runs in batches (a small probe first) and reports progress up to 1', async () => {
    const set = images(300);
    const batches: number[] = [];
    const run: RunModel = async (bytes, feeds) => {
      batches.push(feeds.input!.dims[0]!);
      return runModelInNode(bytes, feeds);
    };
    const fractions: number[] = [];
    const ctx = context(set, run);
    await collectActivationStatistics(smallModel(), { tensors: ['rectified'], samples: 300, histograms: true, symmetric: false }, ctx, (f) => fractions.push(f));
    expect(batches[0]).toBe(8);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(600); // two sweeps over 300 images
    expect(Math.max(...batches)).toBeLessThanOrEqual(256);
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });

  it('uses the first min(samples, available) images, and whole batches of a fixed-batch model', async () => {
    const set = images(10);
    const seen: number[] = [];
    const run: RunModel = async (bytes, feeds) => {
      seen.push(feeds.input!.dims[0]!);
      return runModelInNode(bytes, feeds);
    };
    const all = await collectActivationStatistics(smallModel(), { tensors: ['input'], samples: 1000, histograms: false, symmetric: true }, context(set, run), () => {});
    expect(seen.reduce((a, b) => a + b, 0)).toBe(10);
    expect(all.get('input')!.max).toBe(Math.max(...expectedValues(set, 10).input!));

    seen.length = 0;
    await collectActivationStatistics(smallModel(4), { tensors: ['input'], samples: 10, histograms: false, symmetric: true }, context(set, run), () => {});
    expect(seen).toEqual([4, 4]);
  });

  it('says what is wrong when it cannot calibrate', async () => {
    const request = { tensors: ['rectified'], samples: 8, histograms: false, symmetric: true };
    await expect(collectActivationStatistics(smallModel(), request, context(null), () => {})).rejects.toThrow(/needs a calibration dataset/);
    await expect(collectActivationStatistics(smallModel(), request, context({ x: new Uint8Array(0), shape: [0, 1, 4, 4], y: null }), () => {})).rejects.toThrow(/at least 1 image.*has 0/);
    const wrongShape: ImageSet = { x: new Uint8Array(2 * 25), shape: [2, 1, 5, 5], y: null };
    await expect(collectActivationStatistics(smallModel(), request, context(wrongShape), () => {})).rejects.toThrow(/5×5 per image, but input 'input' takes \?×1×4×4/);

    const b = new ModelBuilder({ opset: 17 });
    b.input('a', DataType.FLOAT, ['N', 1, 4, 4]);
    b.input('b', DataType.FLOAT, ['N', 1, 4, 4]);
    b.node('Add', ['a', 'b'], {}, { outputs: ['sum'] });
    b.output('sum', DataType.FLOAT, null);
    await expect(collectActivationStatistics(graphFromModel(b.build()), request, context(images(2)), () => {})).rejects.toThrow(PassError);
    await expect(collectActivationStatistics(graphFromModel(b.build()), request, context(images(2)), () => {})).rejects.toThrow(/one model input, but this model has 2 \('a', 'b'\)/);
  });

  it('refuses an activation that is not float32', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('input', DataType.FLOAT, ['N', 1, 4, 4]);
    b.node('Shape', [x], {}, { outputs: ['shape'] });
    b.node('Relu', [x], {}, { outputs: ['out'] });
    b.output('out', DataType.FLOAT, null);
    const request = { tensors: ['shape'], samples: 2, histograms: false, symmetric: true };
    await expect(collectActivationStatistics(graphFromModel(b.build()), request, context(images(2)), () => {})).rejects.toThrow(/'shape' is int64, not float32/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const request = { tensors: ['rectified'], samples: 8, histograms: false, symmetric: true };
    await expect(collectActivationStatistics(smallModel(), request, context(images(8), runModelInNode, controller.signal), () => {})).rejects.toThrow(PassCancelledError);
  });
});
