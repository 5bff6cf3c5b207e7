// Channel pruning: the pruned model must compute exactly what the original computes with the
// removed channels masked to zero (filters, biases, BatchNorm gamma and beta, additive constants),
// checked in onnxruntime-web (wasm) and onnxruntime-node (native) on models built in code with a
// residual Add, a depthwise block, a Concat, a squeeze-and-excitation gate, MatMul + Add layers and
// unsafe paths. Tolerance: |pruned − masked| ≤ 1e-5 + 1e-5·|masked| — a removed channel adds
// exact zeros, so only the order of the remaining sums may differ. Then: the importance criteria,
// per-layer and global selection, scope, and the report of skipped groups.
import { describe, expect, it } from 'vitest';
import { createJsPassKernels } from '../../../kernels/js/passKernels.js';
import { graphFromModel, modelFromGraph, type Graph } from '../../graph/Graph.js';
import { ModelBuilder, makeAttribute, makeValueInfo } from '../../graph/ModelBuilder.js';
import { onnx } from '../../onnx/generated/onnx.js';
import { DataType } from '../../onnx/dataType.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { elementCount, tensorDims } from '../../onnx/tensorData.js';
import { runWithOrtNode, runWithOrtWeb, type RuntimeOutput } from '../../testing/onnxRuntimeReference.js';
import { seededFloats, type ModelFeed } from '../../testing/structuralModels.js';
import { maskChannels, removeChannels } from './channelEdits.js';
import { keptChannels, planChannelPruning } from './channelPruning.js';
import type { PruneParams } from './PruneParams.js';
import { CHANNEL_TEST_MODELS, channelTestModel } from './testing/channelTestModels.js';

const kernels = createJsPassKernels();
const bytesOf = (graph: Graph) => encodeModel(modelFromGraph(graph));
const parameterCount = (graph: Graph) => [...graph.initializers.values()].filter((t) => t.dataType === DataType.FLOAT).reduce((sum, t) => sum + elementCount(tensorDims(t)), 0);

function worstDifference(a: RuntimeOutput, b: RuntimeOutput): number {
  expect(a.dims).toEqual(b.dims);
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const expected = Number(b.data[i]);
    worst = Math.max(worst, Math.abs(Number(a.data[i]) - expected) - 1e-5 * Math.abs(expected));
  }
  return worst;
}

async function compareInBothRuntimes(pruned: Graph, masked: Graph, feeds: Record<string, ModelFeed>): Promise<{ web: number; node: number; output: RuntimeOutput }> {
  const [prunedBytes, maskedBytes] = [bytesOf(pruned), bytesOf(masked)];
  const web = [await runWithOrtWeb(prunedBytes, feeds), await runWithOrtWeb(maskedBytes, feeds)];
  const node = [await runWithOrtNode(prunedBytes, feeds), await runWithOrtNode(maskedBytes, feeds)];
  const name = Object.keys(web[1]!)[0]!;
  return { web: worstDifference(web[0]![name]!, web[1]![name]!), node: worstDifference(node[0]![name]!, node[1]![name]!), output: web[1]![name]! };
}

describe.each(CHANNEL_TEST_MODELS.map((m) => m.name))('%s: pruned equals masked in ONNX Runtime', (name) => {
  it.each(['l1', 'l2', 'bn'] as const)('criterion %s, half of every group', async (criterion) => {
    const model = channelTestModel(name);
    const graph = graphFromModel(model.build());
    const plan = planChannelPruning(graph, { sparsity: 0.5, criterion }, kernels);
    const kept = keptChannels(plan);
    expect(kept.size).toBeGreaterThan(0);
    const pruned = removeChannels(graph, plan.dependencies, kept);
    const masked = maskChannels(graph, plan.dependencies, kept);
    const { web, node, output } = await compareInBothRuntimes(pruned, masked, model.feeds());
    expect(web, 'onnxruntime-web').toBeLessThanOrEqual(1e-5);
    expect(node, 'onnxruntime-node').toBeLessThanOrEqual(1e-5);
    expect(parameterCount(pruned)).toBeLessThan(parameterCount(graph));
    // The removed channels carried signal: the original model differs from the masked one.
    const original = (await runWithOrtWeb(bytesOf(graph), model.feeds()))[Object.keys(await runWithOrtWeb(bytesOf(graph), model.feeds()))[0]!]!;
    expect(worstDifference(original, output)).toBeGreaterThan(1e-3);
  });
});

describe('the unsafe groups of a model are skipped and listed, the safe ones pruned', () => {
  it('lists each unsafe group with its reason', () => {
    const plan = planChannelPruning(graphFromModel(channelTestModel('unsafe-mix').build()), { sparsity: 0.5 }, kernels);
    expect(plan.groups.map((g) => g.layers)).toEqual([['safe'], ['gated', 'after_sig', 'after_grouped', 'after_softmax', 'after_reshape']]);
    expect(plan.skipped.map((s) => [s.layers.join('+'), s.reasons.length])).toEqual([['sig', 1], ['grouped', 1], ['softmaxed', 1], ['reshaped', 1], ['classifier', 1]]);
    expect(plan.skipped[0]!.reasons[0]).toMatch(/Sigmoid/);
  });
});

/** input (N, 2, 3, 3) → conv 'a' (2 → 4, 1×1, filter rows given) → BN (gamma given) → Relu → conv 'b' (4 → 3). */
function rankedChain(rows: number[][], gamma: number[]): Graph {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 2, 3, 3]);
  const [a] = b.node('Conv', [x, b.initializer('a.weight', DataType.FLOAT, [4, 2, 1, 1], Float32Array.from(rows.flat()))], {}, { name: 'a' });
  const stats = [Float32Array.from(gamma), new Float32Array(4), new Float32Array(4), new Float32Array(4).fill(1)].map((v, i) => b.initializer(`bn.${i}`, DataType.FLOAT, [4], v));
  const [n] = b.node('BatchNormalization', [a!, ...stats], {}, { name: 'bn' });
  const [r] = b.node('Relu', [n!]);
  b.node('Conv', [r!, b.initializer('b.weight', DataType.FLOAT, [3, 4, 1, 1], seededFloats(1, 12))], {}, { name: 'b', outputs: ['output'] });
  b.output('output', DataType.FLOAT, ['N', 3, 3, 3]);
  return graphFromModel(b.build());
}

describe('which channels go', () => {
  // Row l1 / l2 norms: [3, 3], [4, 2], [0.5, 0.5], [6, 6]; gamma ranks them the other way round.
  const graph = rankedChain([[3, 0], [2, 2], [0.5, 0], [-6, 0]], [4, 3, 2, 1]);
  const kept = (params: Partial<PruneParams>) => planChannelPruning(graph, { sparsity: 0.5, ...params }, kernels).groups.find((g) => g.layers[0] === 'a')!.kept;

  it('l1 (and magnitude) drop the filters with the smallest sum of |w|; l2 the smallest Euclidean norm; bn the smallest |gamma|', () => {
    expect(kept({ criterion: 'l1' })).toEqual([1, 3]);
    expect(kept({ criterion: 'magnitude' })).toEqual([1, 3]);
    expect(kept({ criterion: 'l2' })).toEqual([0, 3]);
    expect(kept({ criterion: 'bn' })).toEqual([0, 1]);
  });

  it("bn on a group without a BatchNormalization ranks by l1 and says so", () => {
    const plan = planChannelPruning(graphFromModel(channelTestModel('matmul-mlp').build()), { sparsity: 0.5, criterion: 'bn' }, kernels);
    expect(plan.groups[0]!.criterion).toBe('l1');
    expect(plan.groups[0]!.note).toMatch(/no BatchNormalization follows these channels/);
  });

  it('per layer, each group loses round(sparsity · channels) and keeps at least one', () => {
    const plan = planChannelPruning(graphFromModel(channelTestModel('conv-chain').build()), { sparsity: 0.3 }, kernels);
    expect(plan.groups.map((g) => [g.channels, g.removed.length])).toEqual([[8, 2], [6, 2], [5, 2]]);
    const most = planChannelPruning(graphFromModel(channelTestModel('conv-chain').build()), { sparsity: 0.99 }, kernels);
    expect(most.groups.map((g) => g.kept.length)).toEqual([1, 1, 1]);
  });

  it('globally, round(sparsity · all channels) go, ranked by importance relative to their group', () => {
    const plan = planChannelPruning(graphFromModel(channelTestModel('conv-chain').build()), { sparsity: 0.3, scope: 'global' }, kernels);
    expect(plan.groups.reduce((sum, g) => sum + g.removed.length, 0)).toBe(Math.round(0.3 * (8 + 6 + 5)));
    for (const g of plan.groups) {
      const mean = g.importance.reduce((a, b) => a + b, 0) / g.channels;
      const removedMax = Math.max(...g.removed.map((c) => g.importance[c]! / mean));
      const keptMin = Math.min(...g.kept.map((c) => g.importance[c]! / mean));
      if (g.removed.length > 0) expect(removedMax).toBeLessThanOrEqual(keptMin);
    }
    const most = planChannelPruning(graphFromModel(channelTestModel('conv-chain').build()), { sparsity: 0.99, scope: 'global' }, kernels);
    expect(most.groups.map((g) => g.kept.length)).toEqual([1, 1, 1]);
  });

  it('a group is pruned only when all the layers that produce it are in scope', () => {
    const residual = graphFromModel(channelTestModel('residual').build());
    const plan = planChannelPruning(residual, { sparsity: 0.5, exclude: ['conv2'] }, kernels);
    expect(plan.groups.map((g) => g.layers)).toEqual([['conv1'], ['conv3']]);
    expect(plan.skipped[0]).toEqual({ layers: ['stem', 'conv2'], channels: 8, reasons: ["'conv2' is outside the block's scope (layers / exclude / keepFirstLast)"] });
    const firstLast = planChannelPruning(residual, { sparsity: 0.5, keepFirstLast: true }, kernels);
    expect(firstLast.groups.map((g) => g.layers)).toEqual([['conv1'], ['conv3']]);
    const only = planChannelPruning(residual, { sparsity: 0.5, layers: ['conv3'] }, kernels);
    expect(only.groups.map((g) => g.layers)).toEqual([['conv3']]);
  });

  it('sparsity 0 removes nothing', () => {
    const plan = planChannelPruning(graphFromModel(channelTestModel('depthwise').build()), { sparsity: 0 }, kernels);
    expect(keptChannels(plan).size).toBe(0);
  });
});

describe('declared shapes', () => {
  it('value_info of values whose channel count changes is dropped (ONNX Runtime would only warn; the file must not contradict itself)', async () => {
    const model = channelTestModel('conv-chain');
    const proto = model.build();
    const declared = ['conv1_out', 'bn1_out', 'relu1_out'].map((name) => makeValueInfo(name, DataType.FLOAT, ['N', 8, 8, 8]));
    proto.graph!.valueInfo = [...declared, makeValueInfo('fc2_unrelated', DataType.FLOAT, ['N', 4])];
    const graph = graphFromModel(proto);
    const plan = planChannelPruning(graph, { sparsity: 0.5 }, kernels);
    const pruned = removeChannels(graph, plan.dependencies, keptChannels(plan));
    expect((modelFromGraph(pruned).graph!.valueInfo ?? []).map((v) => v.name)).toEqual(['fc2_unrelated']);
    const outputs = await runWithOrtNode(bytesOf(pruned), model.feeds());
    expect(outputs.logits!.dims).toEqual([2, 4]);
  });
});

describe('weights stored as Constant nodes (as many converters write them)', () => {
  it('are cut in place, and the pruned model still equals the masked one', async () => {
    const model = channelTestModel('residual');
    const proto = model.build();
    const main = proto.graph!;
    const constants = (main.initializer ?? []).map((t) => new onnx.NodeProto({ name: `${t.name}.constant`, opType: 'Constant', output: [t.name!], attribute: [makeAttribute('value', t)] }));
    main.node = [...constants, ...(main.node ?? [])];
    main.initializer = [];
    const graph = graphFromModel(proto);
    const plan = planChannelPruning(graph, { sparsity: 0.5 }, kernels);
    expect(plan.groups.map((g) => g.layers)).toEqual([['stem', 'conv2'], ['conv1'], ['conv3']]);
    const pruned = removeChannels(graph, plan.dependencies, keptChannels(plan));
    expect(pruned.initializers.size).toBe(0);
    const { web, node } = await compareInBothRuntimes(pruned, maskChannels(graph, plan.dependencies, keptChannels(plan)), model.feeds());
    expect(Math.max(web, node)).toBeLessThanOrEqual(1e-5);
    expect(parameterCountOfConstants(pruned)).toBeLessThan(parameterCountOfConstants(graph));
  });
});

function parameterCountOfConstants(graph: Graph): number {
  return graph.nodes.filter((n) => n.proto.opType === 'Constant').reduce((sum, n) => sum + elementCount(tensorDims(n.proto.attribute![0]!.t!)), 0);
}
