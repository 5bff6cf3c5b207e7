// Channel dependency groups on models built in code: which layers' channels are coupled, which
// tensors each removal touches (axis, role, Concat offsets, H·W per channel after a Flatten), and
// which groups are refused, with the reason. Pruning them for real is checked against ONNX Runtime
// in src/core/passes/prune/channelPruning.test.ts.
import { describe, expect, it } from 'vitest';
import { CHANNEL_TEST_MODELS, channelTestModel } from '../passes/prune/testing/channelTestModels.js';
import { DataType } from '../onnx/dataType.js';
import { channelDependencyGroups, type ChannelDependencies, type ChannelGroup } from './channelDependencyGroups.js';
import { graphFromModel } from './Graph.js';
import { ModelBuilder, makeValueInfo } from './ModelBuilder.js';
import { seededFloats } from '../testing/structuralModels.js';

function dependenciesOf(name: string): ChannelDependencies {
  return channelDependencyGroups(graphFromModel(channelTestModel(name).build()));
}

function groupOf(deps: ChannelDependencies, producer: string): ChannelGroup {
  const group = deps.groups.find((g) => g.producers.includes(producer));
  if (!group) throw new Error(`no group for '${producer}'`);
  return group;
}

const sliceSummary = (group: ChannelGroup) => group.slices.map((s) => `${s.tensor}@${s.axis}:${s.role}${s.spread > 1 ? `×${s.spread}` : ''}`);

describe('channel dependency groups of the test models', () => {
  it('conv → BN → activation → pool → conv → Flatten → Gemm → Gemm: one group per layer, H·W features per channel after Flatten', () => {
    const deps = dependenciesOf('conv-chain');
    expect(deps.groups.map((g) => g.producers)).toEqual([['conv1'], ['conv2'], ['fc1'], ['fc2']]);
    expect(sliceSummary(groupOf(deps, 'conv1'))).toEqual([
      'conv1.weight@0:filter', 'conv1.bias@0:bias', 'bn1.weight@0:scale', 'bn1.bias@0:shift', 'bn1.running_mean@0:statistic', 'bn1.running_var@0:statistic', 'conv2.weight@1:input',
    ]);
    // (N, 6, 4, 4) flattened into fc1: 16 features per channel.
    expect(sliceSummary(groupOf(deps, 'conv2'))).toContain('fc1.weight@1:input×16');
    // Gemm → Relu → Gemm: the hidden units are rows of fc1 and columns of fc2.
    expect(sliceSummary(groupOf(deps, 'fc1'))).toEqual(['fc1.weight@0:filter', 'fc1.bias@0:bias', 'fc2.weight@1:input']);
    expect(groupOf(deps, 'fc2').blockers).toEqual(["'logits' is a graph output: these channels are what the model returns"]);
    expect(deps.groups.slice(0, 3).every((g) => g.blockers.length === 0)).toBe(true);
  });

  it('a residual Add couples the channels of both branches into one group', () => {
    const deps = dependenciesOf('residual');
    expect(deps.groups.map((g) => g.producers)).toEqual([['stem', 'conv2'], ['conv1'], ['conv3'], ['classifier']]);
    expect(sliceSummary(groupOf(deps, 'stem'))).toEqual(expect.arrayContaining(['conv1.weight@1:input', 'conv3.weight@1:input', 'bn2.weight@0:scale']));
    expect(groupOf(deps, 'stem').blockers).toEqual([]);
  });

  it('a depthwise convolution follows its input: its filters, bias and group count go with them', () => {
    const deps = dependenciesOf('depthwise');
    const expand = groupOf(deps, 'expand');
    expect(expand.depthwise).toEqual(['dw']);
    expect(sliceSummary(expand)).toEqual(expect.arrayContaining(['dw.weight@0:filter', 'dw.bias@0:bias', 'dw.bn.weight@0:scale', 'project.weight@1:input']));
    expect(deps.groupAttributes).toEqual([{ nodeId: 'dw', segments: [{ group: expand.id, length: 8 }] }]);
  });

  it('Concat keeps each input at its channel offset: tensors after it are cut in segments', () => {
    const deps = dependenciesOf('concat');
    const [a, b] = [groupOf(deps, 'convA'), groupOf(deps, 'convB')];
    expect(a.id).not.toBe(b.id);
    for (const tensor of ['bn.weight', 'dw.weight', 'fuse.weight']) {
      const slice = deps.slices.find((s) => s.tensor === tensor && s.axis === (tensor === 'fuse.weight' ? 1 : 0))!;
      expect(slice.segments, tensor).toEqual([{ group: a.id, length: 4 }, { group: b.id, length: 6 }]);
    }
    expect(a.depthwise).toEqual(['dw']);
    expect(b.depthwise).toEqual(['dw']);
  });

  it('a squeeze-and-excitation gate couples the gate with the channels it scales; Sigmoid · 0 is still 0', () => {
    const deps = dependenciesOf('squeeze-excitation');
    expect(groupOf(deps, 'conv0').producers).toEqual(['conv0', 'se.expand']);
    expect(groupOf(deps, 'conv0').blockers).toEqual([]);
  });

  it('MatMul + Add layers: columns of the weight, the bias as an additive constant, rows of the next weight', () => {
    const deps = dependenciesOf('matmul-mlp');
    expect(sliceSummary(groupOf(deps, 'mm1'))).toEqual(['mm1.weight@1:filter', 'mm1.bias@0:additive', 'mm2.weight@0:input']);
    // Gemm without transB reads its input features along axis 0 of B.
    expect(sliceSummary(groupOf(deps, 'mm2'))).toEqual(['mm2.weight@1:filter', 'mm2.bias@0:additive', 'fc.weight@0:input']);
  });

  it('unsafe groups are refused with the reason; coupled safe ones next to them are not', () => {
    const deps = dependenciesOf('unsafe-mix');
    expect(groupOf(deps, 'safe').blockers).toEqual([]);
    expect(groupOf(deps, 'gated').producers).toEqual(['gated', 'after_sig', 'after_grouped', 'after_softmax', 'after_reshape']);
    expect(groupOf(deps, 'gated').blockers).toEqual([]);
    expect(groupOf(deps, 'sig').blockers).toEqual(["a removed channel reaches 'after_sig' as a nonzero value (after 'sig.sigmoid' (Sigmoid)), so removing it would change the result"]);
    expect(groupOf(deps, 'grouped').blockers[0]).toMatch(/grouped convolution \(group = 3\)/);
    expect(groupOf(deps, 'softmaxed').blockers[0]).toMatch(/'softmax' \(Softmax\) reads these channels/);
    expect(groupOf(deps, 'reshaped').blockers[0]).toMatch(/'reshape' reshapes these channels to a shape the pruner cannot follow/);
  });

  it('every test model: each slice axis has the length its segments and spread say', () => {
    for (const model of CHANNEL_TEST_MODELS) {
      const graph = graphFromModel(model.build());
      for (const slice of channelDependencyGroups(graph).slices) {
        const dims = (graph.initializers.get(slice.tensor)!.dims ?? []).map(Number);
        expect(dims[slice.axis], `${model.name}: ${slice.tensor}`).toBe(slice.segments.reduce((sum, s) => sum + s.length, 0) * slice.spread);
      }
    }
  });
});

/** input (N, 2, 4, 4) → conv 'a' (2 → 4) → `middle` → conv 'b' (4 → 3) → output. */
function chain(middle: (b: ModelBuilder, x: string) => string, options: { bWeight?: string; output?: boolean } = {}): ChannelDependencies {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 2, 4, 4]);
  const wa = b.initializer('a.weight', DataType.FLOAT, [4, 2, 1, 1], seededFloats(1, 8));
  const [a] = b.node('Conv', [x, wa], {}, { name: 'a' });
  const m = middle(b, a!);
  const wb = options.bWeight ?? b.initializer('b.weight', DataType.FLOAT, [3, 4, 1, 1], seededFloats(2, 12));
  b.node('Conv', [m, wb], {}, { name: 'b', outputs: ['output'] });
  b.output('output', DataType.FLOAT, ['N', 3, 4, 4]);
  if (options.output) b.output(m, DataType.FLOAT, null);
  return channelDependencyGroups(graphFromModel(b.build()));
}

const blockersOfA = (deps: ChannelDependencies) => groupOf(deps, 'a').blockers;

describe('what the walk refuses, and why', () => {
  it('a plain Relu between two convs is safe', () => {
    expect(blockersOfA(chain((b, x) => b.node('Relu', [x])[0]!))).toEqual([]);
  });

  it('channels that are also a graph output', () => {
    expect(blockersOfA(chain((b, x) => b.node('Relu', [x])[0]!, { output: true }))[0]).toMatch(/is a graph output/);
  });

  it('an Add of a constant broadcast to every channel makes a removed channel nonzero', () => {
    const deps = chain((b, x) => b.node('Add', [x, b.initializer('one', DataType.FLOAT, [], Float32Array.of(1))])[0]!);
    expect(blockersOfA(deps)[0]).toMatch(/reaches 'b' as a nonzero value \(after 'add_0' adds a constant to every channel\)/);
  });

  it('a per-channel additive constant is sliced (and zeroed by masking), so it stays safe', () => {
    const deps = chain((b, x) => b.node('Add', [x, b.initializer('shift', DataType.FLOAT, [4, 1, 1], seededFloats(3, 4))])[0]!);
    expect(blockersOfA(deps)).toEqual([]);
    expect(sliceSummary(groupOf(deps, 'a'))).toContain('shift@0:additive');
  });

  it('Clip whose range excludes 0 makes a removed channel nonzero', () => {
    const deps = chain((b, x) => b.node('Clip', [x, b.initializer('lo', DataType.FLOAT, [], Float32Array.of(1)), b.initializer('hi', DataType.FLOAT, [], Float32Array.of(6))])[0]!);
    expect(blockersOfA(deps)[0]).toMatch(/after 'clip_0' \(Clip to \[1, 6\]\)/);
  });

  it('dividing by the channels', () => {
    const deps = chain((b, x) => b.node('Div', [b.initializer('num', DataType.FLOAT, [], Float32Array.of(1)), x])[0]!);
    expect(blockersOfA(deps)[0]).toMatch(/divides by these channels/);
  });

  it('a weight shared by two convolutions that would cut it differently', () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('input', DataType.FLOAT, ['N', 4, 4, 4]);
    const w = b.initializer('w', DataType.FLOAT, [4, 4, 1, 1], seededFloats(1, 16));
    const [a] = b.node('Conv', [x, w], {}, { name: 'a' });
    b.node('Conv', [a!, w], {}, { name: 'b', outputs: ['output'] });
    b.output('output', DataType.FLOAT, null);
    const deps = channelDependencyGroups(graphFromModel(b.build()));
    expect(groupOf(deps, 'a').blockers).toEqual(["'w' is shared by 'a', 'b', which would cut it differently"]);
  });

  it('an op from another domain, a subgraph, and MaxPool indices', () => {
    expect(blockersOfA(chain((b, x) => b.node('Gelu', [x], {}, { domain: 'com.microsoft' })[0]!))[0]).toMatch(/com\.microsoft\.Gelu\) is an op the pruner does not know/);
    const viaIf = chain((b, x) => {
      const then = b.subgraph('then', (g) => {
        g.node('Identity', [x], {}, { outputs: ['then_out'] });
        g.output('then_out', DataType.FLOAT, null);
      });
      const other = b.subgraph('else', (g) => {
        g.node('Neg', [x], {}, { outputs: ['else_out'] });
        g.output('else_out', DataType.FLOAT, null);
      });
      const flag = b.initializer('flag', DataType.BOOL, [], Uint8Array.of(1));
      return b.node('If', [flag], { then_branch: then, else_branch: other })[0]!;
    });
    expect(blockersOfA(viaIf)[0]).toMatch(/reads these channels inside a subgraph/);
    const indices = chain((b, x) => {
      const [pooled, where] = b.node('MaxPool', [x], { kernel_shape: [1, 1] }, { outputCount: 2 });
      b.output(where!, DataType.INT64, null);
      return pooled!;
    });
    expect(blockersOfA(indices)[0]).toMatch(/'maxpool_0' \(MaxPool\) reads these channels in a way/);
  });

  it('a consumer whose weight is not a float32 constant', () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('input', DataType.FLOAT, ['N', 2, 4, 4]);
    const [a] = b.node('Conv', [x, b.initializer('a.weight', DataType.FLOAT, [4, 2, 1, 1], seededFloats(1, 8))], {}, { name: 'a' });
    const half = b.initializer('b.weight16', DataType.FLOAT16, [3, 4, 1, 1], new Uint16Array(12).fill(0x3c00));
    const [w] = b.node('Cast', [half], { to: DataType.FLOAT });
    b.node('Conv', [a!, w!], {}, { name: 'b', outputs: ['output'] });
    b.output('output', DataType.FLOAT, null);
    const refused = channelDependencyGroups(graphFromModel(b.build()));
    expect(groupOf(refused, 'a').blockers[0]).toMatch(/'b' \(Conv\) reads these channels with a weight the pruner cannot cut: 'cast_0_out' is computed at run time, not stored/);
  });

  it('Reshape to [0, −1] is a Flatten; Concat along another axis is refused', () => {
    const b = new ModelBuilder({ opset: 17 });
    const x = b.input('input', DataType.FLOAT, ['N', 2, 3, 3]);
    const [a] = b.node('Conv', [x, b.initializer('a.weight', DataType.FLOAT, [4, 2, 1, 1], seededFloats(1, 8))], {}, { name: 'a' });
    const [c] = b.node('Conv', [x, b.initializer('c.weight', DataType.FLOAT, [4, 2, 1, 1], seededFloats(2, 8))], {}, { name: 'c' });
    const [flat] = b.node('Reshape', [a!, b.initializer('shape', DataType.INT64, [2], BigInt64Array.of(0n, -1n))]);
    b.node('Gemm', [flat!, b.initializer('fc.weight', DataType.FLOAT, [5, 36], seededFloats(3, 180))], { transB: 1 }, { name: 'fc', outputs: ['out1'] });
    const [wide] = b.node('Concat', [c!, c!], { axis: 3 });
    b.node('Relu', [wide!], {}, { outputs: ['out2'] });
    b.output('out1', DataType.FLOAT, null);
    b.output('out2', DataType.FLOAT, null);
    const deps = channelDependencyGroups(graphFromModel(b.build()));
    expect(groupOf(deps, 'a').blockers).toEqual([]);
    expect(sliceSummary(groupOf(deps, 'a'))).toContain('fc.weight@1:input×9');
    expect(groupOf(deps, 'c').blockers[0]).toMatch(/'concat_0' \(Concat\) reads these channels in a way/);
  });

  it('MatMul over a conv map multiplies along W, not the channels', () => {
    const deps = chain((b, x) => b.node('MatMul', [x, b.initializer('m', DataType.FLOAT, [4, 4], seededFloats(4, 16))])[0]!);
    expect(blockersOfA(deps)[0]).toMatch(/does not read these channels as its input features/);
  });

  it('an initializer that is also a graph input cannot change shape', () => {
    const model = new ModelBuilder({ opset: 17 });
    const x = model.input('input', DataType.FLOAT, ['N', 2, 4, 4]);
    const w = model.initializer('a.weight', DataType.FLOAT, [4, 2, 1, 1], seededFloats(1, 8));
    model.inputs.push(makeValueInfo('a.weight', DataType.FLOAT, [4, 2, 1, 1]));
    const [a] = model.node('Conv', [x, w], {}, { name: 'a' });
    model.node('Conv', [a!, model.initializer('b.weight', DataType.FLOAT, [3, 4, 1, 1], seededFloats(2, 12))], {}, { name: 'b', outputs: ['output'] });
    model.output('output', DataType.FLOAT, null);
    expect(groupOf(channelDependencyGroups(graphFromModel(model.build())), 'a').blockers[0]).toMatch(/'a\.weight' is also a graph input or output/);
  });
});

describe('zeros through normalization', () => {
  it('a BatchNormalization after a Sigmoid makes a removed channel zero again (masking zeroes gamma and beta)', () => {
    const deps = chain((b, x) => {
      const [s] = b.node('Sigmoid', [x]);
      const stats = [1, 0, 0, 1].map((v, i) => b.initializer(`bn.${i}`, DataType.FLOAT, [4], new Float32Array(4).fill(v)));
      return b.node('BatchNormalization', [s!, ...stats])[0]!;
    });
    expect(blockersOfA(deps)).toEqual([]);
  });
});
