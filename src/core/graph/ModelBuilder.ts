// Builds ONNX models in code: inputs, initializers, nodes, outputs, subgraphs. Used by tests, by the
// sample-model script, and by anything that exports a model it computed (training, passes).
//
//   const b = new ModelBuilder({ opset: 17 });
//   const x = b.input('input', DataType.FLOAT, ['N', 1, 28, 28]);
//   const w = b.initializer('fc.weight', DataType.FLOAT, [10, 784], weights);
//   const [y] = b.node('Gemm', [b.node('Flatten', [x])[0]!, w], { transB: 1 });
//   b.output(y!, DataType.FLOAT, ['N', 10]);
//   const model = b.build();
import Long from 'long';
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { makeTensorProto, type TensorValues } from '../onnx/tensorData.js';
import type { Dim } from './summary.js';

/** Forces a whole number to be written as a FLOAT / FLOATS attribute. */
export class FloatAttribute {
  constructor(readonly value: number | number[]) {}
}
export const float = (value: number | number[]) => new FloatAttribute(value);

export type AttributeValue =
  | number
  | number[]
  | string
  | string[]
  | FloatAttribute
  | onnx.IGraphProto
  | onnx.ITensorProto
  | { graphs: onnx.IGraphProto[] };

const AttributeType = onnx.AttributeProto.AttributeType;

function isGraph(value: object): value is onnx.IGraphProto {
  return 'node' in value || value instanceof onnx.GraphProto;
}

export function makeAttribute(name: string, value: AttributeValue): onnx.AttributeProto {
  const attribute = new onnx.AttributeProto({ name });
  const encoder = new TextEncoder();
  if (value instanceof FloatAttribute) {
    if (Array.isArray(value.value)) Object.assign(attribute, { type: AttributeType.FLOATS, floats: value.value });
    else Object.assign(attribute, { type: AttributeType.FLOAT, f: value.value });
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) Object.assign(attribute, { type: AttributeType.INT, i: value });
    else Object.assign(attribute, { type: AttributeType.FLOAT, f: value });
  } else if (typeof value === 'string') {
    Object.assign(attribute, { type: AttributeType.STRING, s: encoder.encode(value) });
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) {
      Object.assign(attribute, { type: AttributeType.STRINGS, strings: (value as string[]).map((s) => encoder.encode(s)) });
    } else if ((value as number[]).every(Number.isInteger)) {
      Object.assign(attribute, { type: AttributeType.INTS, ints: value });
    } else {
      Object.assign(attribute, { type: AttributeType.FLOATS, floats: value });
    }
  } else if ('graphs' in value) {
    Object.assign(attribute, { type: AttributeType.GRAPHS, graphs: value.graphs });
  } else if (isGraph(value)) {
    Object.assign(attribute, { type: AttributeType.GRAPH, g: value });
  } else {
    Object.assign(attribute, { type: AttributeType.TENSOR, t: value });
  }
  return attribute;
}

export function makeValueInfo(name: string, dataType: DataType, shape: readonly Dim[] | null): onnx.ValueInfoProto {
  const tensorType = new onnx.TypeProto.Tensor({ elemType: dataType });
  if (shape) {
    tensorType.shape = new onnx.TensorShapeProto({
      dim: shape.map((d) =>
        typeof d === 'number'
          ? new onnx.TensorShapeProto.Dimension({ dimValue: d as unknown as Long })
          : typeof d === 'string'
            ? new onnx.TensorShapeProto.Dimension({ dimParam: d })
            : new onnx.TensorShapeProto.Dimension(),
      ),
    });
  }
  return new onnx.ValueInfoProto({ name, type: new onnx.TypeProto({ tensorType }) });
}

export interface NodeOptions {
  name?: string;
  domain?: string;
  /** Output names; by default one output named after the node. */
  outputs?: string[];
  /** Number of outputs to create when names are not given. */
  outputCount?: number;
}

/** Builds one graph; the model builder and subgraph bodies share it. */
export class GraphBuilder {
  readonly nodes: onnx.NodeProto[] = [];
  readonly initializers: onnx.TensorProto[] = [];
  readonly inputs: onnx.ValueInfoProto[] = [];
  readonly outputs: onnx.ValueInfoProto[] = [];
  private readonly usedNames = new Set<string>();
  private readonly counters = new Map<string, number>();

  constructor(readonly name = 'main') {}

  /** A fresh, readable, unique name: conv_0, conv_1, ... */
  uniqueName(base: string): string {
    let n = this.counters.get(base) ?? 0;
    let name = `${base}_${n}`;
    while (this.usedNames.has(name)) name = `${base}_${++n}`;
    this.counters.set(base, n + 1);
    this.usedNames.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.usedNames.has(name)) throw new Error(`name '${name}' is already used in graph '${this.name}'`);
    this.usedNames.add(name);
    return name;
  }

  input(name: string, dataType: DataType, shape: readonly Dim[] | null): string {
    this.inputs.push(makeValueInfo(this.claim(name), dataType, shape));
    return name;
  }

  initializer(name: string, dataType: DataType, dims: readonly number[], values: TensorValues): string {
    this.initializers.push(makeTensorProto({ name: this.claim(name), dataType, dims, values }));
    return name;
  }

  /** Adds a node and returns its output names. */
  node(opType: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, options: NodeOptions = {}): string[] {
    const name = options.name ? this.claim(options.name) : this.uniqueName(opType.toLowerCase());
    const outputs =
      options.outputs?.map((o) => this.claim(o)) ??
      Array.from({ length: options.outputCount ?? 1 }, (_, i) => this.claim(i === 0 ? `${name}_out` : `${name}_out${i}`));
    const node = new onnx.NodeProto({
      name,
      opType,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => makeAttribute(key, value)),
    });
    if (options.domain) node.domain = options.domain;
    this.nodes.push(node);
    return outputs;
  }

  output(name: string, dataType: DataType, shape: readonly Dim[] | null): void {
    this.outputs.push(makeValueInfo(name, dataType, shape));
  }

  buildGraph(): onnx.GraphProto {
    return new onnx.GraphProto({
      name: this.name,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    });
  }
}

export interface ModelBuilderOptions {
  /** Default-domain opset version. */
  opset?: number;
  /** Extra opset imports, e.g. { 'com.microsoft': 1 }. */
  extraOpsets?: Record<string, number>;
  irVersion?: number;
  producerName?: string;
  graphName?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

export class ModelBuilder extends GraphBuilder {
  constructor(private readonly options: ModelBuilderOptions = {}) {
    super(options.graphName ?? 'main');
  }

  /** Builds a subgraph (an If branch, a Loop body) that may read this graph's values by name. */
  subgraph(name: string, build: (graph: GraphBuilder) => void): onnx.GraphProto {
    const graph = new GraphBuilder(name);
    build(graph);
    return graph.buildGraph();
  }

  build(): onnx.ModelProto {
    const { opset = 17, extraOpsets = {}, irVersion = 8, producerName = 'whittle', docString, metadata } = this.options;
    const model = new onnx.ModelProto({
      irVersion: irVersion as unknown as Long,
      producerName,
      producerVersion: '0.1.0',
      opsetImport: [
        new onnx.OperatorSetIdProto({ domain: '', version: opset as unknown as Long }),
        ...Object.entries(extraOpsets).map(([domain, version]) => new onnx.OperatorSetIdProto({ domain, version: version as unknown as Long })),
      ],
      graph: this.buildGraph(),
    });
    if (docString) model.docString = docString;
    if (metadata) model.metadataProps = Object.entries(metadata).map(([key, value]) => new onnx.StringStringEntryProto({ key, value }));
    return model;
  }
}
