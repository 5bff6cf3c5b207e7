// LowRank on hand-built models: every wiring (Gemm transA/transB with α β C, MatMul with the weight on
// either side, 1×1 Conv with strides and pads) runs in ONNX Runtime and computes what the rank-r
// reconstruction computes; at full rank it computes what the original computes; parameter counts
// follow r·(m + n); layers that would not shrink are skipped and say why.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { float, ModelBuilder } from '../../graph/ModelBuilder.js';
import { graphFromModel, modelFromGraph, opTypeOf, type Graph } from '../../graph/Graph.js';
import { measureModelSize } from '../../graph/modelSize.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { runWithOrtNode, runWithOrtWeb } from '../../testing/onnxRuntimeReference.js';
import { seededFloats } from '../../testing/structuralModels.js';
import { PassCancelledError, PassError, type PassContext } from '../Pass.js';
import { readLowRankReport } from './LowRankReport.js';
import { factorLayers, lowrankPass, planLowRank, reconstructedGraph, writeFactoredGraph } from './lowrankPass.js';

const kernels = createJsPassKernels();
const context = (signal = new AbortController().signal): PassContext => ({ kernels, progress: () => {}, signal });
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));

function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / Math.max(scale, 1e-12);
}

/** Worst relative difference of output 'y' between two models, over both runtimes. */
async function compare(a: Graph, b: Graph, dims: number[]): Promise<number> {
  const feed = { x: { type: 'float32' as const, data: seededFloats(3, dims.reduce((p, d) => p * d, 1)), dims } };
  let worst = 0;
  for (const run of [runWithOrtWeb, runWithOrtNode]) {
    const [ya, yb] = [(await run(bytesOf(a), feed)).y!, (await run(bytesOf(b), feed)).y!];
    expect(ya.dims).toEqual(yb.dims);
    worst = Math.max(worst, relativeDifference(ya.data as Float32Array, yb.data as Float32Array));
  }
  return worst;
}

/** Every wiring the pass knows, in one model: x (2, 12) → … → y. */
function everyWiring(): { graph: Graph; inputDims: number[] } {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('x', DataType.FLOAT, [12, 2]);
  // MatMul with the weight on the left: (16, 12)·(12, 2) → (16, 2)
  let y = b.node('MatMul', [b.initializer('left.w', DataType.FLOAT, [16, 12], seededFloats(1, 192)), x], {}, { name: 'left' })[0]!;
  // Gemm with transA: (16, 2)ᵀ·(16, 20) → (2, 20), α β and C
  y = b.node('Gemm', [y, b.initializer('ta.w', DataType.FLOAT, [16, 20], seededFloats(2, 320)), b.initializer('ta.c', DataType.FLOAT, [20], seededFloats(3, 20))], { transA: 1, alpha: float(0.5), beta: float(2) }, { name: 'gemm_ta' })[0]!;
  // Gemm with transB and no C: (2, 20)·(18, 20)ᵀ → (2, 18)
  y = b.node('Gemm', [y, b.initializer('tb.w', DataType.FLOAT, [18, 20], seededFloats(4, 360))], { transB: 1 }, { name: 'gemm_tb' })[0]!;
  // MatMul with the weight on the right: (2, 18)·(18, 96) → (2, 96)
  y = b.node('MatMul', [y, b.initializer('right.w', DataType.FLOAT, [18, 96], seededFloats(5, 1728))], {}, { name: 'right' })[0]!;
  // 1×1 Conv with stride 2 and padding, with bias: (2, 24, 2, 2) → (2, 20, 2, 2), one output pixel of four from real input
  y = b.node('Reshape', [y, b.initializer('shape', DataType.INT64, [4], BigInt64Array.of(2n, 24n, 2n, 2n))])[0]!;
  y = b.node('Conv', [y, b.initializer('pw.w', DataType.FLOAT, [20, 24, 1, 1], seededFloats(6, 480)), b.initializer('pw.b', DataType.FLOAT, [20], seededFloats(7, 20))], { kernel_shape: [1, 1], strides: [2, 2], pads: [1, 1, 1, 1] }, { name: 'pointwise' })[0]!;
  b.node('Identity', [y], {}, { outputs: ['y'] });
  b.output('y', DataType.FLOAT, null);
  return { graph: graphFromModel(b.build()), inputDims: [12, 2] };
}

describe('lowrankPass', () => {
  it('every wiring computes what the rank-r reconstruction computes (ORT web and node), with r·(m + n) parameters', async () => {
    const { graph, inputDims } = everyWiring();
    const before = bytesOf(graph);
    const factors = await factorLayers(graph, { rank: 0.25 }, context());
    const factored = writeFactoredGraph(graph, factors);
    expect(bytesOf(graph)).toEqual(before);
    expect(factors.map((f) => [f.target.decision.layer, f.target.decision.rank])).toEqual([['left', 3], ['gemm_ta', 4], ['gemm_tb', 5], ['right', 5], ['pointwise', 5]]);
    expect(await compare(factored, reconstructedGraph(graph, factors), inputDims)).toBeLessThan(1e-5);
    expect(await compare(factored, graph, inputDims)).toBeGreaterThan(1e-2); // rank 1/4 does change the output
    // The layer name stays on the second factor, right after the first.
    const ids = factored.nodes.map((n) => n.id);
    for (const name of ['left', 'gemm_ta', 'gemm_tb', 'right', 'pointwise']) expect(ids[ids.indexOf(name) - 1]).toBe(`${name}.factor1`);
    const paramsBefore = measureModelSize(before, graph, kernels).params;
    const paramsAfter = measureModelSize(bytesOf(factored), factored, kernels).params;
    const expected = factors.reduce((sum, { target: { decision: d } }) => sum - d.rows * d.cols + d.rank * (d.rows + d.cols), paramsBefore);
    expect(paramsAfter).toBe(expected);
  });

  it('at full rank (allowLarger) the factored model computes what the original computes', async () => {
    const { graph, inputDims } = everyWiring();
    const factored = await lowrankPass(graph, { rank: 1, allowLarger: true }, context());
    expect(factored.nodes.filter((n) => n.id.endsWith('.factor1'))).toHaveLength(5);
    expect(await compare(factored, graph, inputDims)).toBeLessThan(1e-5);
  });

  it('skips layers that would not shrink, 3×3 and grouped convolutions, and says why', async () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('x', DataType.FLOAT, [1, 4, 5, 5]);
    let y = b.node('Conv', [x, b.initializer('k3.w', DataType.FLOAT, [8, 4, 3, 3], seededFloats(1, 288))], { pads: [1, 1, 1, 1] }, { name: 'conv3x3' })[0]!;
    y = b.node('Conv', [y, b.initializer('g.w', DataType.FLOAT, [8, 4, 1, 1], seededFloats(2, 32))], { group: 2 }, { name: 'grouped' })[0]!;
    y = b.node('Flatten', [y])[0]!;
    y = b.node('Gemm', [y, b.initializer('fc.w', DataType.FLOAT, [200, 3], seededFloats(3, 600))], {}, { name: 'thin' })[0]!;
    b.node('Identity', [y], {}, { outputs: ['y'] });
    b.output('y', DataType.FLOAT, [1, 3]);
    const graph = graphFromModel(b.build());
    const plan = planLowRank(graph, { rank: 0.5 });
    expect(plan.map((d) => [d.layer, d.factor])).toEqual([['conv3x3', false], ['grouped', false], ['thin', true]]);
    expect(plan[0]!.reason).toMatch(/3×3 convolution/);
    expect(plan[1]!.reason).toMatch(/grouped/);
    // r = round(0.5 · 3) = 2: 2 · 203 = 406 < 600, so it shrinks; at rank 1, 3 · 203 = 609 ≥ 600.
    expect(plan[2]).toMatchObject({ rank: 2, factor: true, paramsAfter: 406 });
    const full = planLowRank(graph, { rank: 1 }).find((d) => d.layer === 'thin')!;
    expect(full).toMatchObject({ factor: false, rank: 3, paramsBefore: 600, paramsAfter: 600 });
    expect(full.reason).toMatch(/609 parameters, the weight holds 600: not smaller/);
    const messages: string[] = [];
    const out = await lowrankPass(graph, { rank: 1 }, { ...context(), progress: (_, m) => messages.push(m ?? '') });
    expect(out.nodes).toEqual(graph.nodes);
    expect(out.initializers).toEqual(graph.initializers);
    expect(messages.filter((m) => m.includes('skipped'))).toHaveLength(3);
    expect(readLowRankReport(out)!.skipped.map((s) => s.layer)).toEqual(['conv3x3', 'grouped', 'thin']);
    const factored = await lowrankPass(graph, { rank: 0.5 }, context());
    expect(readLowRankReport(factored)).toEqual({ type: 'whittle-lowrank', version: 1, layers: [{ layer: 'thin', rows: 200, cols: 3, rank: 2, paramsBefore: 600, paramsAfter: 406 }], skipped: [plan[0], plan[1]].map((d) => ({ layer: d!.layer, reason: d!.reason })) });
  });

  it('rejects a rank outside (0, 1], names a misspelt layer, honours scope, and stops when cancelled', async () => {
    const { graph } = everyWiring();
    await expect(lowrankPass(graph, { rank: 0 }, context())).rejects.toThrow(PassError);
    await expect(lowrankPass(graph, { rank: 1.5 }, context())).rejects.toThrow(/in \(0, 1\], got 1.5/);
    await expect(lowrankPass(graph, { rank: 0.5, exclude: ['rigth'] }, context())).rejects.toThrow(/'rigth', which is not a layer/);
    const scoped = await lowrankPass(graph, { rank: 0.25, layers: ['right'], exclude: [] }, context());
    expect(scoped.nodes.filter((n) => n.id.endsWith('.factor1')).map((n) => n.id)).toEqual(['right.factor1']);
    const kept = await lowrankPass(graph, { rank: 0.25, keepFirstLast: true }, context());
    expect(kept.nodes.filter((n) => n.id.endsWith('.factor1')).map((n) => n.id)).toEqual(['gemm_ta.factor1', 'gemm_tb.factor1', 'right.factor1']);
    expect(kept.nodes.filter((n) => opTypeOf(n) === 'Conv')).toHaveLength(1);
    const controller = new AbortController();
    controller.abort();
    await expect(lowrankPass(graph, { rank: 0.5 }, context(controller.signal))).rejects.toThrow(PassCancelledError);
  });
});
