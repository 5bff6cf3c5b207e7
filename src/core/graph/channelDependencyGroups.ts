// Channel dependency groups: which constant tensors must shrink together when output channels of a
// layer are removed (the idea of Torch-Pruning's DepGraph, on an ONNX graph). Walking the graph in
// order, every Conv / Gemm / MatMul with a constant float weight creates a "channel space"; the
// channels then flow through ops that keep their index (BatchNormalization, activations, pooling,
// depthwise convolutions, Flatten), are concatenated (Concat keeps each space at its offset), are
// coupled (an elementwise Add/Mul of two spaces joins them into one group), and end in consumers
// (the next Conv's input channels, a Gemm/MatMul's input features — H·W of them per channel after
// a Flatten, worked out from the consumer's weight).
//
// Every tensor a removal touches is a ChannelSlice: one axis of one constant, cut into the segments
// of the groups that index it. A group that cannot be pruned without changing what the model
// computes gets a blocker, a sentence that says why: its channels reach a graph output, an op the
// walk does not understand, a Reshape to a shape it cannot follow, a grouped convolution, a weight
// that is not a plain float32 constant, a tensor shared with a node that would cut it differently,
// or a consumer that would see something other than zeros where a removed channel was (after a
// Sigmoid, say). Removing channels is meant to equal masking them to zero — filters, biases and
// BatchNorm scale and shift zeroed — and the walk tracks, per segment, whether the masked channel
// is still exactly zero where it is consumed.
import { DataType } from '../onnx/dataType.js';
import { int64ToNumber, type Int64Like } from '../onnx/int64.js';
import { readTensorValues, tensorDims } from '../onnx/tensorData.js';
import type { onnx } from '../onnx/generated/onnx.js';
import { constantValues, type ConstantValue } from './constants.js';
import { nodeInputs, nodeOutputs, opTypeOf, type Graph, type GraphNode } from './Graph.js';
import { buildTopology, nodeSubgraphReads, topologicalOrder } from './topology.js';

/**
 * What a slice's entries are, which decides how channel importance reads them and how masking treats
 * them: 'filter' and 'bias' are a producer's (or a depthwise conv's) output channels; 'scale',
 * 'shift', 'statistic' are a normalization's gamma, beta and running mean/variance; 'additive' and
 * 'multiplicative' are constant operands of elementwise ops; 'input' is a consumer's input axis.
 */
export type ChannelSliceRole = 'filter' | 'bias' | 'scale' | 'shift' | 'statistic' | 'additive' | 'multiplicative' | 'input';

/** Masking a removed channel zeroes these roles' entries; the others are left as they are. */
export const ROLES_ZEROED_BY_MASKING: ReadonlySet<ChannelSliceRole> = new Set(['filter', 'bias', 'scale', 'shift', 'additive']);

export interface ChannelSegment {
  group: number;
  /** Channels of the group; the segment covers length · spread entries of the axis. */
  length: number;
}

export interface ChannelSlice {
  /** The constant: an initializer or a Constant node's output. */
  tensor: string;
  /** The node that reads it this way. */
  nodeId: string;
  opType: string;
  axis: number;
  role: ChannelSliceRole;
  /** The groups along the axis, in order. */
  segments: ChannelSegment[];
  /** Entries per channel: H·W for a Gemm that reads a flattened (C, H, W) map, else 1. */
  spread: number;
}

export interface ChannelGroup {
  id: number;
  channels: number;
  /** Ids of the nodes (Conv / Gemm / MatMul) whose output channels these are, in graph order. */
  producers: string[];
  /** Depthwise convolutions that carry these channels (their filters go with them). */
  depthwise: string[];
  /** Every slice that indexes this group. */
  slices: ChannelSlice[];
  /** Why the group cannot be pruned safely; empty when it can. */
  blockers: string[];
}

export interface ChannelDependencies {
  groups: ChannelGroup[];
  slices: ChannelSlice[];
  /** Depthwise convolutions whose `group` attribute is the channel count of these segments. */
  groupAttributes: { nodeId: string; segments: ChannelSegment[] }[];
  /** Graph values that carry channels of some group (their declared shapes change with pruning). */
  channelValues: string[];
}

interface Segment {
  space: number;
  length: number;
  /** Null while a masked channel is still exactly zero here; else the op that made it nonzero. */
  nonzeroAfter: string | null;
}

interface ChannelValue {
  segments: Segment[];
  rank: number | null;
  /** The channel axis counted from the end (broadcasting aligns there): −3 for NCHW, −1 for (N, F). */
  axisFromEnd: number;
  /** True after a Flatten of a map with spatial dimensions: each channel spans H·W features. */
  flattened: boolean;
}

interface Space {
  producer: string;
  channels: number;
  blockers: string[];
}

interface PendingSlice extends Omit<ChannelSlice, 'segments'> {
  segments: Segment[];
}

/** Unary ops that keep every channel where it is and map 0 to 0. */
const ZERO_PRESERVING = new Set(['Relu', 'LeakyRelu', 'Tanh', 'Elu', 'Selu', 'Celu', 'Softsign', 'HardSwish', 'Gelu', 'Mish', 'Identity', 'Dropout', 'Cast', 'Neg', 'Abs', 'ThresholdedRelu', 'Erf', 'Sign', 'Floor', 'Ceil', 'Round', 'Sqrt', 'Sin', 'Atan', 'Asinh']);
/** Unary ops that keep every channel where it is but turn a removed (zero) channel into a constant. */
const ZERO_MOVING = new Set(['Sigmoid', 'HardSigmoid', 'Exp', 'Softplus', 'Cos', 'Cosh']);
/** Spatial reductions over (N, C, spatial...) maps; a zero channel stays zero. */
const POOLS = new Set(['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool']);
const ELEMENTWISE = new Set(['Add', 'Sub', 'Mul', 'Div', 'Sum']);

const total = (segments: readonly { length: number }[]) => segments.reduce((sum, s) => sum + s.length, 0);

function intAttribute(node: GraphNode, name: string, fallback: number): number {
  const attribute = (node.proto.attribute ?? []).find((a) => a.name === name);
  return attribute?.i !== undefined && attribute.i !== null ? int64ToNumber(attribute.i as Int64Like) : fallback;
}

function floatAttribute(node: GraphNode, name: string): number | undefined {
  return (node.proto.attribute ?? []).find((a) => a.name === name)?.f ?? undefined;
}

class ChannelWalk {
  readonly spaces: Space[] = [];
  private readonly parent: number[] = [];
  readonly values = new Map<string, ChannelValue>();
  readonly slices: PendingSlice[] = [];
  readonly groupAttributes: { nodeId: string; segments: Segment[] }[] = [];
  readonly constants: Map<string, ConstantValue>;
  /** Every value some node (or the graph's outputs) reads. */
  readonly readValues = new Set<string>();

  constructor(readonly graph: Graph) {
    this.constants = constantValues(graph);
    for (const node of graph.nodes) for (const name of [...nodeInputs(node), ...nodeSubgraphReads(node.proto)]) this.readValues.add(name);
    for (const output of graph.outputs) this.readValues.add(output.name ?? '');
  }

  newSpace(producer: string, channels: number): Segment {
    this.spaces.push({ producer, channels, blockers: [] });
    this.parent.push(this.parent.length);
    return { space: this.spaces.length - 1, length: channels, nonzeroAfter: null };
  }

  find(space: number): number {
    while (this.parent[space] !== space) space = this.parent[space] = this.parent[this.parent[space]!]!;
    return space;
  }

  union(a: number, b: number): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  block(segments: readonly Segment[], reason: string): void {
    for (const segment of segments) {
      const { blockers } = this.spaces[segment.space]!;
      if (!blockers.includes(reason)) blockers.push(reason);
    }
  }

  /** The float32 constant behind a value, or a sentence saying why there is none. */
  floatConstant(name: string): { tensor: onnx.ITensorProto; dims: number[] } | string {
    const constant = this.constants.get(name);
    if (!constant) return `'${name}' is computed at run time, not stored`;
    if (constant.tensor.dataType !== DataType.FLOAT) return `'${name}' is not stored as float32 (prune before quantizing or converting)`;
    return { tensor: constant.tensor, dims: tensorDims(constant.tensor) };
  }

  addSlice(node: GraphNode, tensor: string, axis: number, role: ChannelSliceRole, segments: Segment[], spread = 1): void {
    const constant = this.floatConstant(tensor);
    if (typeof constant === 'string') this.block(segments, `'${node.id}' reads its ${role} from ${constant}`);
    else this.slices.push({ tensor, nodeId: node.id, opType: opTypeOf(node), axis, role, segments, spread });
  }

  /**
   * A constant operand broadcast against a channel value: sliced when it has one entry per channel,
   * left alone when it broadcasts along the channel axis. Returns false when it does neither.
   */
  broadcastOperand(node: GraphNode, tensor: string, value: ChannelValue, role: ChannelSliceRole): 'sliced' | 'broadcast' | false {
    const constant = this.floatConstant(tensor);
    if (typeof constant === 'string') return false;
    const position = constant.dims.length + value.axisFromEnd;
    if (position < 0 || constant.dims[position] === 1) return 'broadcast';
    if (value.flattened || constant.dims[position] !== total(value.segments)) return false;
    this.addSlice(node, tensor, position, role, value.segments);
    return 'sliced';
  }

  channelAxisIs(value: ChannelValue, axis: number): boolean {
    return !value.flattened && value.rank !== null && value.rank + value.axisFromEnd === axis;
  }

  /** Consumers compute with the removed channels, so they must be exactly zero there. */
  requireZeros(node: GraphNode, value: ChannelValue): void {
    for (const segment of value.segments) {
      if (segment.nonzeroAfter) this.block([segment], `a removed channel reaches '${node.id}' as a nonzero value (after ${segment.nonzeroAfter}), so removing it would change the result`);
    }
  }

  /** Entries per channel of a consumer's input axis of length `inputs`, or null when they do not fit. */
  spreadFor(value: ChannelValue, inputs: number): number | null {
    const channels = total(value.segments);
    if (value.flattened) return inputs % channels === 0 ? inputs / channels : null;
    return inputs === channels ? 1 : null;
  }
}

function visitProducerOrConsumer(walk: ChannelWalk, node: GraphNode, op: string): void {
  const inputs = nodeInputs(node);
  const output = nodeOutputs(node)[0]!;
  const x = walk.values.get(inputs[0] ?? '');
  for (const name of inputs.slice(1)) {
    const value = walk.values.get(name);
    if (value) walk.block(value.segments, `'${node.id}' (${op}) reads these channels as a weight or bias, not as its input`);
  }
  const weight = walk.floatConstant(inputs[1] ?? '');
  if (typeof weight === 'string' || (op !== 'Conv' && weight.dims.length !== 2)) {
    if (x) walk.block(x.segments, `'${node.id}' (${op}) reads these channels with a weight the pruner cannot cut: ${typeof weight === 'string' ? weight : 'it is not a matrix'}`);
    return;
  }
  const bias = inputs[2] ?? '';
  if (op === 'Conv') {
    const [filters, inputsPerGroup] = weight.dims as [number, number];
    const rank = weight.dims.length;
    const group = intAttribute(node, 'group', 1);
    if (x && (x.rank ?? rank) !== rank) walk.block(x.segments, `'${node.id}' (Conv) reads these channels from a tensor of another rank`);
    else if (x && group > 1 && inputsPerGroup === 1 && filters === group && total(x.segments) === group && walk.channelAxisIs({ ...x, rank }, 1)) {
      // Depthwise: one filter per input channel, so its filters follow its input's channels.
      walk.addSlice(node, inputs[1]!, 0, 'filter', x.segments);
      if (bias) walk.addSlice(node, bias, 0, 'bias', x.segments);
      walk.groupAttributes.push({ nodeId: node.id, segments: x.segments });
      walk.values.set(output, { ...x, rank, segments: x.segments.map((s) => ({ ...s, nonzeroAfter: null })) });
      return;
    } else if (x && group === 1 && walk.channelAxisIs({ ...x, rank }, 1) && total(x.segments) === inputsPerGroup) {
      walk.requireZeros(node, x);
      walk.addSlice(node, inputs[1]!, 1, 'input', x.segments);
    } else if (x) {
      walk.block(x.segments, group > 1 ? `'${node.id}' is a grouped convolution (group = ${group}) over these channels` : `'${node.id}' (Conv) expects ${inputsPerGroup} input channels where these are ${total(x.segments)}`);
    }
    const out = walk.newSpace(node.id, filters);
    if (group > 1) walk.block([out], `'${node.id}' is a grouped convolution (group = ${group}): its filters follow its input's groups`);
    walk.addSlice(node, inputs[1]!, 0, 'filter', [out]);
    if (bias) walk.addSlice(node, bias, 0, 'bias', [out]);
    walk.values.set(output, { segments: [out], rank, axisFromEnd: 1 - rank, flattened: false });
    return;
  }
  const transposed = op === 'Gemm' && intAttribute(node, 'transB', 0) === 1;
  const [inputAxis, outputAxis] = transposed ? [1, 0] : [0, 1];
  const features = weight.dims[outputAxis]!;
  if (x) {
    const spread = walk.spreadFor(x, weight.dims[inputAxis]!);
    const leftFeatures = x.axisFromEnd === -1 && (op === 'MatMul' || (x.rank ?? 2) === 2) && !(op === 'Gemm' && intAttribute(node, 'transA', 0) === 1);
    if (!leftFeatures || spread === null) walk.block(x.segments, `'${node.id}' (${op}) does not read these channels as its input features`);
    else {
      walk.requireZeros(node, x);
      walk.addSlice(node, inputs[1]!, inputAxis, 'input', x.segments, spread);
    }
  }
  const out = walk.newSpace(node.id, features);
  walk.addSlice(node, inputs[1]!, outputAxis, 'filter', [out]);
  if (op === 'Gemm' && bias) {
    const c = walk.floatConstant(bias);
    const cDims = typeof c === 'string' ? [] : c.dims;
    if (typeof c === 'string') walk.block([out], `'${node.id}' adds a bias C that ${c}`);
    else if (cDims.length > 0 && cDims[cDims.length - 1] === features && features > 1) walk.addSlice(node, bias, cDims.length - 1, 'bias', [out]);
    else if ((readTensorValues(c.tensor) as Float32Array).some((v) => v !== 0)) out.nonzeroAfter = `'${node.id}' adds one bias to every feature`;
  }
  const rank = op === 'Gemm' ? 2 : (x?.rank ?? null);
  walk.values.set(output, { segments: [out], rank, axisFromEnd: -1, flattened: false });
}

function visitElementwise(walk: ChannelWalk, node: GraphNode, op: string, channelInputs: ChannelValue[]): void {
  const inputs = nodeInputs(node);
  const first = channelInputs[0]!;
  const all = channelInputs.flatMap((v) => v.segments);
  const lengths = (v: ChannelValue) => v.segments.map((s) => s.length).join(',');
  const aligned = channelInputs.every((v) => lengths(v) === lengths(first) && v.axisFromEnd === first.axisFromEnd && v.flattened === first.flattened && (v.rank === null || first.rank === null || v.rank === first.rank));
  if (!aligned) {
    walk.block(all, `'${node.id}' (${op}) combines channel sets that do not line up (different counts, layouts or Concat offsets)`);
    return;
  }
  for (const v of channelInputs.slice(1)) v.segments.forEach((s, i) => walk.union(first.segments[i]!.space, s.space));
  let additiveConstant = false;
  for (const [index, name] of inputs.entries()) {
    if (name === '' || walk.values.has(name)) {
      if (op === 'Div' && index === 1 && walk.values.has(name)) walk.block(all, `'${node.id}' divides by these channels; a removed (zero) channel would divide by zero`);
      continue;
    }
    const additive = op === 'Add' || op === 'Sub' || op === 'Sum';
    const how = walk.broadcastOperand(node, name, first, additive ? 'additive' : 'multiplicative');
    if (how === false) walk.block(all, `'${node.id}' (${op}) mixes these channels with '${name}', whose channel layout the pruner does not know`);
    if (additive && how === 'broadcast') additiveConstant = true;
  }
  const segments = first.segments.map((segment, i) => {
    const here = channelInputs.map((v) => v.segments[i]!.nonzeroAfter);
    let nonzeroAfter: string | null;
    if (op === 'Mul') nonzeroAfter = here.includes(null) ? null : here[0]!;
    else if (op === 'Div') nonzeroAfter = walk.values.get(inputs[0]!) ? first.segments[i]!.nonzeroAfter : `'${node.id}' (Div)`;
    else nonzeroAfter = here.find((h) => h !== null) ?? (additiveConstant ? `'${node.id}' adds a constant to every channel` : null);
    return { ...segment, nonzeroAfter };
  });
  walk.values.set(nodeOutputs(node)[0]!, { ...first, segments });
}

function visitPassThrough(walk: ChannelWalk, node: GraphNode, op: string, x: ChannelValue): boolean {
  const inputs = nodeInputs(node);
  const output = nodeOutputs(node)[0]!;
  // A second output (MaxPool's indices, BatchNormalization's training statistics) indexes channels too.
  if (nodeOutputs(node).slice(1).some((o) => o !== '' && walk.readValues.has(o))) return false;
  const keep = (nonzeroAfter?: string) =>
    walk.values.set(output, { ...x, segments: x.segments.map((s) => ({ ...s, nonzeroAfter: s.nonzeroAfter ?? nonzeroAfter ?? null })) });
  if (ZERO_PRESERVING.has(op)) keep();
  else if (ZERO_MOVING.has(op)) keep(`'${node.id}' (${op})`);
  else if (op === 'Clip') {
    const bound = (index: number, attribute: string, fallback: number) => {
      const name = inputs[index] ?? '';
      if (name === '') return floatAttribute(node, attribute) ?? fallback;
      const c = walk.floatConstant(name);
      return typeof c === 'string' ? NaN : (readTensorValues(c.tensor) as Float32Array)[0]!;
    };
    const [low, high] = [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
    keep(low <= 0 && high >= 0 ? undefined : `'${node.id}' (Clip to [${low}, ${high}])`);
  } else if (POOLS.has(op) && walk.channelAxisIs(x, 1)) keep();
  else if ((op === 'BatchNormalization' || op === 'InstanceNormalization') && walk.channelAxisIs(x, 1)) {
    const roles: ChannelSliceRole[] = ['scale', 'shift', 'statistic', 'statistic'];
    inputs.slice(1).forEach((name, i) => walk.addSlice(node, name, 0, roles[i]!, x.segments));
    // Masking zeroes gamma and beta, so a removed channel leaves the normalization as exactly 0.
    walk.values.set(output, { ...x, segments: x.segments.map((s) => ({ ...s, nonzeroAfter: null })) });
  } else if (op === 'PRelu') {
    if (!walk.broadcastOperand(node, inputs[1] ?? '', x, 'multiplicative')) return false;
    keep();
  } else if ((op === 'Flatten' && intAttribute(node, 'axis', 1) === 1) || (op === 'Reshape' && isFlattenShape(walk, node))) {
    if (!walk.channelAxisIs(x, 1)) return false;
    walk.values.set(output, { ...x, rank: 2, axisFromEnd: -1, flattened: x.rank! > 2 });
  } else return false;
  return true;
}

/** Reshape to [0, −1] (keep the batch, flatten the rest) is a Flatten at axis 1. */
function isFlattenShape(walk: ChannelWalk, node: GraphNode): boolean {
  const shape = walk.constants.get(nodeInputs(node)[1] ?? '');
  if (!shape || intAttribute(node, 'allowzero', 0) !== 0 || shape.tensor.dataType !== DataType.INT64) return false;
  const values = readTensorValues(shape.tensor) as BigInt64Array;
  return values.length === 2 && values[0] === 0n && values[1] === -1n;
}

function visitConcat(walk: ChannelWalk, node: GraphNode, values: (ChannelValue | undefined)[]): boolean {
  if (values.some((v) => !v)) return false;
  const first = values[0]!;
  const axis = intAttribute(node, 'axis', 0);
  const onChannels = (v: ChannelValue) => !v.flattened && v.axisFromEnd === first.axisFromEnd && (axis < 0 ? axis === v.axisFromEnd : v.rank !== null && axis === v.rank + v.axisFromEnd);
  if (!values.every((v) => onChannels(v!))) return false;
  walk.values.set(nodeOutputs(node)[0]!, { ...first, segments: values.flatMap((v) => v!.segments) });
  return true;
}

function visitNode(walk: ChannelWalk, node: GraphNode): void {
  const op = opTypeOf(node);
  const inputs = nodeInputs(node);
  const channelInputs = inputs.map((name) => walk.values.get(name));
  for (const name of nodeSubgraphReads(node.proto)) {
    const value = walk.values.get(name);
    if (value) walk.block(value.segments, `'${node.id}' (${op}) reads these channels inside a subgraph`);
  }
  if ((node.proto.domain ?? '') !== '') {
    for (const value of channelInputs) if (value) walk.block(value.segments, `'${node.id}' (${node.proto.domain}.${op}) is an op the pruner does not know`);
    return;
  }
  if (op === 'Conv' || op === 'Gemm' || op === 'MatMul') {
    visitProducerOrConsumer(walk, node, op);
    return;
  }
  const present = channelInputs.filter((v): v is ChannelValue => !!v);
  if (present.length === 0) return;
  let understood: boolean;
  if (ELEMENTWISE.has(op)) {
    visitElementwise(walk, node, op, present);
    understood = true;
  } else if (op === 'Concat') understood = visitConcat(walk, node, channelInputs);
  else understood = channelInputs[0] !== undefined && present.length === 1 && visitPassThrough(walk, node, op, channelInputs[0]);
  if (!understood) {
    const reason = op === 'Reshape' ? `'${node.id}' reshapes these channels to a shape the pruner cannot follow (it follows Reshape to [0, −1], a flatten)` : `'${node.id}' (${op}) reads these channels in a way the pruner cannot follow`;
    walk.block(present.flatMap((v) => v.segments), reason);
  }
}

/** Blocks groups whose constants are read elsewhere in a different way (or not as a slice at all). */
function checkSharedTensors(walk: ChannelWalk, graph: Graph, sliceGroups: (slice: PendingSlice) => string): void {
  const topology = buildTopology(graph.nodes);
  const graphNames = new Set([...graph.inputs, ...graph.outputs].map((v) => v.name ?? ''));
  const byTensor = new Map<string, PendingSlice[]>();
  for (const slice of walk.slices) byTensor.set(slice.tensor, [...(byTensor.get(slice.tensor) ?? []), slice]);
  for (const [tensor, slices] of byTensor) {
    const segments = slices.flatMap((s) => s.segments);
    if (graphNames.has(tensor)) {
      walk.block(segments, `'${tensor}' is also a graph input or output, so its shape cannot change`);
      continue;
    }
    const signature = (nodeId: string) => slices.filter((s) => s.nodeId === nodeId).map(sliceGroups).sort().join('|');
    const readers = (topology.consumers.get(tensor) ?? []).map((index) => graph.nodes[index]!.id);
    const expected = signature(readers[0] ?? '');
    if (readers.some((id) => signature(id) === '' || signature(id) !== expected)) {
      walk.block(segments, `'${tensor}' is shared by ${readers.map((r) => `'${r}'`).join(', ')}, which would cut it differently`);
    }
  }
}

/** The channel dependency groups of a graph; see the module header. */
export function channelDependencyGroups(graph: Graph): ChannelDependencies {
  const walk = new ChannelWalk(graph);
  for (const index of topologicalOrder(graph)) visitNode(walk, graph.nodes[index]!);
  for (const output of graph.outputs) {
    const value = walk.values.get(output.name ?? '');
    if (value) walk.block(value.segments, `'${output.name}' is a graph output: these channels are what the model returns`);
  }
  const groupOf = (space: number) => walk.find(space);
  const sliceGroups = (s: PendingSlice) => `${s.axis}:${s.spread}:${s.role}:${s.segments.map((g) => `${groupOf(g.space)}x${g.length}`).join(',')}`;
  checkSharedTensors(walk, graph, sliceGroups);

  // Coupling only ever joins spaces of equal length (visitElementwise checks), so a group has one count.
  const roots = new Map<number, number[]>();
  walk.spaces.forEach((_, space) => roots.set(groupOf(space), [...(roots.get(groupOf(space)) ?? []), space]));
  const groupIds = new Map([...roots.keys()].map((root, index) => [root, index]));
  const toSegments = (segments: Segment[]): ChannelSegment[] => segments.map((s) => ({ group: groupIds.get(groupOf(s.space))!, length: s.length }));
  const slices: ChannelSlice[] = walk.slices.map((s) => ({ ...s, segments: toSegments(s.segments) }));
  const groupAttributes = walk.groupAttributes.map((a) => ({ nodeId: a.nodeId, segments: toSegments(a.segments) }));
  const groups: ChannelGroup[] = [...roots.values()].map((spaces, id) => {
    const members = spaces.map((s) => walk.spaces[s]!);
    const blockers = [...new Set(members.flatMap((m) => m.blockers))];
    const mine = slices.filter((s) => s.segments.some((g) => g.group === id));
    return {
      id,
      channels: members[0]!.channels,
      producers: members.map((m) => m.producer),
      depthwise: groupAttributes.filter((a) => a.segments.some((g) => g.group === id)).map((a) => a.nodeId),
      slices: mine,
      blockers,
    };
  });
  const channelValues = [...walk.values.keys()];
  return { groups, slices, groupAttributes, channelValues };
}
