// Copy-on-write editing of a Graph, for passes. The input graph is never touched: node protos that
// change are copied, tensors are replaced (not mutated), and everything else in the result shares
// the input's objects. Inserted nodes go right before the node they feed (or after the node whose
// output they read), so a topologically ordered graph stays ordered.
//
//   const edit = new GraphEditor(graph);
//   const w = edit.freshName('conv1.weight_quantized');
//   edit.setInitializer(makeTensorProto({ name: w, dataType: DataType.INT8, dims, values }));
//   edit.insertBefore(conv.id, [dequantizeNodeProto]);
//   edit.setNodeInput(conv.id, 1, dequantizedName);
//   const result = edit.build();   // unused initializers dropped
import type Long from 'long';
import { onnx } from '../onnx/generated/onnx.js';
import { nodeInputs, nodeOutputs, type Graph, type GraphNode } from './Graph.js';
import { subgraphOuterReads } from './topology.js';

interface Slot {
  node: GraphNode;
  before: onnx.INodeProto[];
  after: onnx.INodeProto[];
  removed: boolean;
}

export class GraphEditor {
  private readonly slots: Slot[];
  private readonly slotById = new Map<string, Slot>();
  private readonly initializers: Map<string, onnx.ITensorProto>;
  private readonly usedNames = new Set<string>();
  private readonly opsets: Map<string, number>;
  private inputs: onnx.IValueInfoProto[];
  private outputs: onnx.IValueInfoProto[];
  private readonly prepended: onnx.INodeProto[] = [];

  constructor(private readonly source: Graph) {
    this.slots = source.nodes.map((node) => ({ node, before: [], after: [], removed: false }));
    for (const slot of this.slots) this.slotById.set(slot.node.id, slot);
    this.initializers = new Map(source.initializers);
    this.inputs = [...source.inputs];
    this.outputs = [...source.outputs];
    for (const node of source.nodes) {
      if (node.proto.name) this.usedNames.add(node.proto.name);
      for (const name of [...nodeInputs(node), ...nodeOutputs(node)]) this.usedNames.add(name);
    }
    for (const name of source.initializers.keys()) this.usedNames.add(name);
    for (const info of [...source.inputs, ...source.outputs]) this.usedNames.add(info.name ?? '');
    this.opsets = new Map((source.model.opsetImport ?? []).map((o) => [o.domain ?? '', Number(o.version ?? 0)]));
  }

  /** A value, node or tensor name not used anywhere in the graph yet: `base`, else `base_1`, ... */
  freshName(base: string): string {
    let name = base;
    for (let n = 1; this.usedNames.has(name); n++) name = `${base}_${n}`;
    this.usedNames.add(name);
    return name;
  }

  node(id: string): GraphNode {
    const slot = this.slotById.get(id);
    if (!slot) throw new Error(`GraphEditor: no node '${id}'`);
    return slot.node;
  }

  initializer(name: string): onnx.ITensorProto | undefined {
    return this.initializers.get(name);
  }

  /** Adds a tensor, or replaces the one with the same name. */
  setInitializer(tensor: onnx.ITensorProto): void {
    this.usedNames.add(tensor.name ?? '');
    this.initializers.set(tensor.name ?? '', tensor);
  }

  removeInitializer(name: string): void {
    this.initializers.delete(name);
  }

  /** Replaces a node's proto (give a fresh one; the input's proto is never mutated). */
  replaceNode(id: string, proto: onnx.INodeProto): void {
    const slot = this.slotById.get(id);
    if (!slot) throw new Error(`GraphEditor: no node '${id}'`);
    slot.node = { id, proto };
  }

  /** Copies the node with one input renamed. */
  setNodeInput(id: string, inputIndex: number, value: string): void {
    const { proto } = this.node(id);
    const input = [...(proto.input ?? [])];
    while (input.length <= inputIndex) input.push('');
    input[inputIndex] = value;
    this.replaceNode(id, new onnx.NodeProto({ ...proto, input }));
  }

  /** Copies the node with attributes replaced or added (others kept). */
  setNodeAttributes(id: string, attributes: onnx.IAttributeProto[]): void {
    const { proto } = this.node(id);
    const names = new Set(attributes.map((a) => a.name));
    const attribute = [...(proto.attribute ?? []).filter((a) => !names.has(a.name)), ...attributes];
    this.replaceNode(id, new onnx.NodeProto({ ...proto, attribute }));
  }

  insertBefore(id: string, protos: onnx.INodeProto[]): void {
    const slot = this.slotById.get(id);
    if (!slot) throw new Error(`GraphEditor: no node '${id}'`);
    slot.before.push(...protos);
    for (const p of protos) if (p.name) this.usedNames.add(p.name);
  }

  insertAfter(id: string, protos: onnx.INodeProto[]): void {
    const slot = this.slotById.get(id);
    if (!slot) throw new Error(`GraphEditor: no node '${id}'`);
    slot.after.push(...protos);
    for (const p of protos) if (p.name) this.usedNames.add(p.name);
  }

  /** Nodes that read only initializers or graph inputs: placed at the very start. */
  prepend(protos: onnx.INodeProto[]): void {
    this.prepended.push(...protos);
    for (const p of protos) if (p.name) this.usedNames.add(p.name);
  }

  removeNode(id: string): void {
    const slot = this.slotById.get(id);
    if (!slot) throw new Error(`GraphEditor: no node '${id}'`);
    slot.removed = true;
  }

  /** Every read of `from` (node inputs and graph outputs) reads `to` instead. */
  renameValueReads(from: string, to: string): void {
    for (const slot of this.slots) {
      const input = nodeInputs(slot.node);
      if (input.includes(from)) this.replaceNode(slot.node.id, new onnx.NodeProto({ ...slot.node.proto, input: input.map((v) => (v === from ? to : v)) }));
    }
    this.outputs = this.outputs.map((o) => (o.name === from ? new onnx.ValueInfoProto({ ...o, name: to }) : o));
  }

  setInputs(inputs: onnx.IValueInfoProto[]): void {
    this.inputs = inputs;
  }

  setOutputs(outputs: onnx.IValueInfoProto[]): void {
    this.outputs = outputs;
  }

  opsetVersion(domain = ''): number | undefined {
    return this.opsets.get(domain);
  }

  /** Sets the opset import of a domain (the caller is responsible for the semantics of raising it). */
  setOpset(domain: string, version: number): void {
    this.opsets.set(domain, version);
  }

  /** The edited graph. Initializers no node, subgraph or output reads any more are dropped. */
  build(options: { keepUnusedInitializers?: boolean } = {}): Graph {
    const protos: onnx.INodeProto[] = [...this.prepended];
    for (const slot of this.slots) {
      protos.push(...slot.before);
      if (!slot.removed) protos.push(slot.node.proto);
      protos.push(...slot.after);
    }
    // Existing nodes keep their ids so layer names survive a pass; new ones get name-based ids.
    const kept = new Map(this.slots.map((slot) => [slot.node.proto, slot.node]));
    const nodes = protos.map((proto, index) => kept.get(proto) ?? { id: proto.name || `${proto.opType || 'node'}_new_${index}`, proto });
    let initializers = this.initializers;
    if (!options.keepUnusedInitializers) {
      const read = new Set<string>(this.outputs.map((o) => o.name ?? ''));
      for (const proto of protos) {
        for (const input of proto.input ?? []) read.add(input);
        for (const attribute of proto.attribute ?? []) {
          for (const g of [attribute.g, ...(attribute.graphs ?? [])]) if (g) for (const name of subgraphOuterReads(g)) read.add(name);
        }
      }
      initializers = new Map([...this.initializers].filter(([name]) => read.has(name)));
    }
    const inputNames = new Set([...this.initializers.keys()].filter((n) => !initializers.has(n)));
    const opsetImport = [...this.opsets].map(([domain, version]) => new onnx.OperatorSetIdProto({ domain, version: version as unknown as Long }));
    const model: onnx.IModelProto = { ...this.source.model, opsetImport };
    const unknowns = (this.source.model as { $unknowns?: unknown }).$unknowns;
    if (unknowns) Object.defineProperty(model, '$unknowns', { value: unknowns, enumerable: false, configurable: true, writable: true });
    return {
      model,
      name: this.source.name,
      nodes,
      initializers,
      // Old-IR models list initializers as inputs too; a dropped initializer leaves the inputs.
      inputs: this.inputs.filter((i) => !inputNames.has(i.name ?? '')),
      outputs: this.outputs,
    };
  }
}
