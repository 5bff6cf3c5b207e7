// Round trips: bytes → ModelProto → bytes is lossless and stable for every structural model, ONNX
// Runtime (web and native) computes bit-identical outputs from the original and the re-encoded file,
// and the Graph IR (graphFromModel → modelFromGraph) preserves everything it does not model.
import Long from 'long';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { onnx } from './generated/onnx.js';
import { DataType } from './dataType.js';
import { decodeModel, encodeModel } from './modelFile.js';
import { makeTensorProto, readTensorValues } from './tensorData.js';
import { graphFromModel, modelFromGraph } from '../graph/Graph.js';
import { ModelBuilder } from '../graph/ModelBuilder.js';
import { openModel } from '../graph/openModel.js';
import { structuralModels, seededFloats, type ModelFeed } from '../testing/structuralModels.js';
import { toPlain } from '../testing/protoCompare.js';
import { outputBytes, runWithOrtNode, runWithOrtWeb, type RuntimeOutputs } from '../testing/onnxRuntimeReference.js';

// onnxruntime-web (wasm) and onnxruntime-node (native) use different kernels (SIMD widths, GEMM
// blocking, fused ops), so their float outputs may differ in the last bits: |web − node| must stay
// within ATOL + RTOL·|node|.
const ATOL = 1e-5;
const RTOL = 1e-5;

function expectBitIdentical(a: RuntimeOutputs, b: RuntimeOutputs): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const name of Object.keys(a)) {
    expect(a[name]!.type).toBe(b[name]!.type);
    expect(a[name]!.dims).toEqual(b[name]!.dims);
    expect(Buffer.from(outputBytes(a[name]!)).equals(Buffer.from(outputBytes(b[name]!))), `output '${name}' differs`).toBe(true);
  }
}

function expectClose(web: RuntimeOutputs, node: RuntimeOutputs): void {
  expect(Object.keys(web).sort()).toEqual(Object.keys(node).sort());
  for (const name of Object.keys(web)) {
    expect(web[name]!.dims).toEqual(node[name]!.dims);
    const a = web[name]!.data;
    const b = node[name]!.data;
    for (let i = 0; i < a.length; i++) {
      const x = Number(a[i]);
      const y = Number(b[i]);
      expect(Number.isFinite(x), `web output '${name}'[${i}] is ${x}`).toBe(true);
      if (!(Math.abs(x - y) <= ATOL + RTOL * Math.abs(y))) {
        expect.fail(`output '${name}'[${i}]: web ${x} vs node ${y} (atol ${ATOL}, rtol ${RTOL})`);
      }
    }
  }
}

describe.each(structuralModels.map((m) => [m.name, m] as const))('round trip of %s', (_name, spec) => {
  it('encode → decode → encode → decode gives an equal model and identical bytes', () => {
    const built = spec.build();
    const first = encodeModel(built);
    const decoded = decodeModel(first, { fileName: `${spec.name}.onnx` });
    const second = encodeModel(decoded);
    const again = decodeModel(second, { fileName: `${spec.name}.onnx` });
    expect(toPlain(decoded)).toEqual(toPlain(again));
    // The model as built (numbers for int64 fields, doubles for float attributes) equals its decoding.
    expect(toPlain(decoded, { float32: true })).toEqual(toPlain(built, { float32: true }));
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    expect(Buffer.from(encodeModel(again)).equals(Buffer.from(first))).toBe(true);
  });

  it('survives the Graph IR unchanged, byte for byte', () => {
    const bytes = encodeModel(spec.build());
    const { graph } = openModel(bytes, { fileName: `${spec.name}.onnx` });
    const rebuilt = encodeModel(modelFromGraph(graph));
    expect(Buffer.from(rebuilt).equals(Buffer.from(bytes))).toBe(true);
  });

  it('runs bit-identically in ONNX Runtime before and after re-encoding (web and node), and web agrees with node', async () => {
    const original = encodeModel(spec.build());
    const reencoded = encodeModel(decodeModel(original, { fileName: `${spec.name}.onnx` }));
    const viaGraph = encodeModel(modelFromGraph(graphFromModel(decodeModel(original))));
    const feeds = spec.inputs();
    const web = await runWithOrtWeb(original, feeds);
    expectBitIdentical(web, await runWithOrtWeb(reencoded, feeds));
    expectBitIdentical(web, await runWithOrtWeb(viaGraph, feeds));
    const node = await runWithOrtNode(original, feeds);
    expectBitIdentical(node, await runWithOrtNode(reencoded, feeds));
    expectClose(web, node);

    // Negated inputs take the other If branch in the control-flow model, and other Relu patterns.
    const negated = Object.fromEntries(Object.entries(feeds).map(([name, feed]) => [name, { ...feed, data: (feed.data as Float32Array).map((v) => -v) }])) as typeof feeds;
    const webNegated = await runWithOrtWeb(original, negated);
    expectBitIdentical(webNegated, await runWithOrtWeb(reencoded, negated));
    expectClose(webNegated, await runWithOrtNode(reencoded, negated));
  });
});

describe('the control-flow model really runs both branches and the loop', () => {
  it('matches a reference computation for positive and negative inputs', async () => {
    const spec = structuralModels.find((m) => m.name === 'control-flow')!;
    const model = spec.build();
    const init = (name: string) => readTensorValues(model.graph!.initializer!.find((t) => t.name === name)!) as Float32Array;
    const [gain, decay] = [init('gain'), init('decay')];
    const bytes = encodeModel(model);
    for (const sign of [1, -1]) {
      const x = Float32Array.from([0.5, -0.25, 1, 0.75], (v) => v * sign);
      const positive = x.reduce((a, b) => a + b, 0) > 0;
      const expected = Array.from(x, (v, i) => {
        let y = positive ? v * gain[i]! : v - gain[i]!;
        for (let k = 0; k < 3; k++) y = y * decay[i]! + gain[i]! * decay[i]!;
        return y;
      });
      const out = (await runWithOrtWeb(bytes, { input: { type: 'float32', data: x, dims: [4] } }))['output']!.data;
      Array.from(out as Float32Array).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(expected[i]!)));
    }
  });
});

const FUNCTION_DOMAIN = 'whittle.test';

/**
 * A model that uses every ModelProto feature the Graph IR does not model itself: metadata_props,
 * doc strings at every level, value_info, a model-local function called by a node, training_info,
 * a sparse initializer, a quantization annotation, and explicitly present zero-valued fields.
 */
function buildFeatureRichModel(): onnx.ModelProto {
  const b = new ModelBuilder({
    opset: 17,
    irVersion: 8,
    extraOpsets: { [FUNCTION_DOMAIN]: 1 },
    docString: 'model doc',
    metadata: { author: 'whittle tests', 'whittle.pipeline': '{"type":"whittle-pipeline","version":1}' },
  });
  const x = b.input('input', DataType.FLOAT, ['N', 4]);
  const w = b.initializer('fc.weight', DataType.FLOAT, [4, 4], seededFloats(7, 16, 0.5));
  // transA: 0 and transB: 0 are the defaults, written explicitly: they must stay present.
  const [h] = b.node('Gemm', [x, w], { transA: 0, transB: 0 }, { name: 'fc' });
  const [r] = b.node('ScaledRelu', [h!], {}, { name: 'act', domain: FUNCTION_DOMAIN });
  const [y] = b.node('MatMul', [r!, 'sparse.weight'], {}, { name: 'sparse_mm', outputs: ['output'] });
  b.output(y!, DataType.FLOAT, ['N', 4]);
  const model = b.build();
  model.modelVersion = Long.fromNumber(0); // explicit zero
  model.domain = 'ai.whittle.test';

  const graph = model.graph as onnx.GraphProto;
  graph.docString = 'graph doc';
  graph.node[0]!.docString = 'node doc';
  graph.node[0]!.domain = ''; // explicit empty domain
  graph.input[0]!.docString = 'input doc';
  graph.initializer[0]!.docString = 'weight doc';
  graph.valueInfo = [
    Object.assign(new onnx.ValueInfoProto({ name: h!, docString: 'hidden activations' }), {
      type: new onnx.TypeProto({ tensorType: new onnx.TypeProto.Tensor({ elemType: DataType.FLOAT, shape: new onnx.TensorShapeProto({ dim: [new onnx.TensorShapeProto.Dimension({ dimParam: 'N' }), new onnx.TensorShapeProto.Dimension({ dimValue: Long.fromNumber(4) })] }) }) }),
    }),
  ];
  graph.metadataProps = [new onnx.StringStringEntryProto({ key: 'graph.note', value: 'kept' })];
  graph.quantizationAnnotation = [
    new onnx.TensorAnnotation({ tensorName: 'fc.weight', quantParameterTensorNames: [new onnx.StringStringEntryProto({ key: 'SCALE_TENSOR', value: 'none' })] }),
  ];

  // Sparse 4×4 weight: the diagonal plus one off-diagonal value, linear (flattened) indices.
  const indices = BigInt64Array.of(0n, 5n, 7n, 10n, 15n);
  graph.sparseInitializer = [
    new onnx.SparseTensorProto({
      values: makeTensorProto({ name: 'sparse.weight', dataType: DataType.FLOAT, dims: [5], values: Float32Array.of(1, 2, -0.5, 3, 4) }),
      indices: makeTensorProto({ name: 'sparse.weight_indices', dataType: DataType.INT64, dims: [5], values: indices }),
      dims: [Long.fromNumber(4), Long.fromNumber(4)],
    }),
  ];

  // ScaledRelu(X) = Relu(X) * 2, with its constant inside the function body.
  const two = makeTensorProto({ name: 'two', dataType: DataType.FLOAT, dims: [], values: Float32Array.of(2) });
  model.functions = [
    new onnx.FunctionProto({
      name: 'ScaledRelu',
      domain: FUNCTION_DOMAIN,
      input: ['X'],
      output: ['Y'],
      docString: 'relu times two',
      opsetImport: [new onnx.OperatorSetIdProto({ domain: '', version: Long.fromNumber(17) })],
      node: [
        new onnx.NodeProto({ opType: 'Relu', input: ['X'], output: ['R'], name: 'relu' }),
        new onnx.NodeProto({ opType: 'Constant', input: [], output: ['C'], name: 'two', attribute: [new onnx.AttributeProto({ name: 'value', type: onnx.AttributeProto.AttributeType.TENSOR, t: two })] }),
        new onnx.NodeProto({ opType: 'Mul', input: ['R', 'C'], output: ['Y'], name: 'scale' }),
      ],
    }),
  ];

  // A training step description: inference ignores it, but it must survive untouched.
  model.trainingInfo = [
    new onnx.TrainingInfoProto({
      algorithm: new onnx.GraphProto({
        name: 'step',
        input: [new onnx.ValueInfoProto({ name: 'lr', type: new onnx.TypeProto({ tensorType: new onnx.TypeProto.Tensor({ elemType: DataType.FLOAT }) }) })],
        node: [new onnx.NodeProto({ opType: 'Mul', input: ['fc.weight', 'lr'], output: ['fc.weight.next'], name: 'sgd' })],
        output: [new onnx.ValueInfoProto({ name: 'fc.weight.next', type: new onnx.TypeProto({ tensorType: new onnx.TypeProto.Tensor({ elemType: DataType.FLOAT }) }) })],
      }),
      updateBinding: [new onnx.StringStringEntryProto({ key: 'fc.weight', value: 'fc.weight.next' })],
    }),
  ];
  return model;
}

describe('Graph IR round trip of a model using every ModelProto feature', () => {
  const original = encodeModel(buildFeatureRichModel());

  it('writes back the same bytes and an equal model', () => {
    const decoded = decodeModel(original, { fileName: 'rich.onnx' });
    const rebuilt = modelFromGraph(graphFromModel(decoded));
    expect(toPlain(decodeModel(encodeModel(rebuilt)))).toEqual(toPlain(decoded));
    expect(Buffer.from(encodeModel(rebuilt)).equals(Buffer.from(original))).toBe(true);
  });

  it('keeps metadata, doc strings, value_info, functions, training_info and sparse initializers', () => {
    const rebuilt = decodeModel(encodeModel(modelFromGraph(openModel(original, { fileName: 'rich.onnx' }).graph)));
    expect(rebuilt.metadataProps.map((p) => [p.key, p.value])).toEqual([
      ['author', 'whittle tests'],
      ['whittle.pipeline', '{"type":"whittle-pipeline","version":1}'],
    ]);
    expect(rebuilt.docString).toBe('model doc');
    expect(rebuilt.domain).toBe('ai.whittle.test');
    const graph = rebuilt.graph as onnx.GraphProto;
    expect(graph.docString).toBe('graph doc');
    expect(graph.node[0]!.docString).toBe('node doc');
    expect(graph.input[0]!.docString).toBe('input doc');
    expect(graph.initializer[0]!.docString).toBe('weight doc');
    expect(graph.valueInfo.map((v) => v.name)).toEqual(['fc_out']);
    expect(graph.valueInfo[0]!.docString).toBe('hidden activations');
    expect(graph.metadataProps[0]?.value).toBe('kept');
    expect(graph.quantizationAnnotation[0]?.tensorName).toBe('fc.weight');
    expect(rebuilt.functions.map((f) => `${f.domain}.${f.name}`)).toEqual([`${FUNCTION_DOMAIN}.ScaledRelu`]);
    expect(rebuilt.functions[0]!.node!.map((n) => n.opType)).toEqual(['Relu', 'Constant', 'Mul']);
    expect(rebuilt.trainingInfo[0]!.algorithm!.node![0]!.name).toBe('sgd');
    expect(rebuilt.trainingInfo[0]!.updateBinding![0]!.value).toBe('fc.weight.next');
    expect(graph.sparseInitializer[0]!.values!.name).toBe('sparse.weight');
    expect(graph.sparseInitializer[0]!.dims!.map(Number)).toEqual([4, 4]);
  });

  it('keeps explicitly present zero and empty values present', () => {
    const rebuilt = decodeModel(encodeModel(modelFromGraph(graphFromModel(decodeModel(original)))));
    const gemm = rebuilt.graph!.node![0]!;
    const transA = gemm.attribute!.find((a) => a.name === 'transA')!;
    expect(Object.prototype.hasOwnProperty.call(transA, 'i')).toBe(true);
    expect(Number(transA.i)).toBe(0);
    expect(Object.prototype.hasOwnProperty.call(gemm, 'domain')).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(rebuilt, 'modelVersion')).toBe(true);
    // A field never written stays absent.
    expect(Object.prototype.hasOwnProperty.call(transA, 'f')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(rebuilt.graph!.node![1]!, 'docString')).toBe(false);
  });

  it('runs in ONNX Runtime (model-local function, sparse initializer) identically before and after', async () => {
    const rebuilt = encodeModel(modelFromGraph(graphFromModel(decodeModel(original))));
    const input = seededFloats(9, 8);
    const feeds: Record<string, ModelFeed> = { input: { type: 'float32', data: input, dims: [2, 4] } };
    const web = await runWithOrtWeb(original, feeds);
    expectBitIdentical(web, await runWithOrtWeb(rebuilt, feeds));
    const node = await runWithOrtNode(original, feeds);
    expectBitIdentical(node, await runWithOrtNode(rebuilt, feeds));
    expectClose(web, node);

    // Reference: output = (2·relu(input·W)) · S with S the densified sparse weight.
    const w = seededFloats(7, 16, 0.5);
    const s = new Float32Array(16);
    [[0, 1], [5, 2], [7, -0.5], [10, 3], [15, 4]].forEach(([i, v]) => (s[i!] = v!));
    const expected = new Float64Array(8);
    for (let n = 0; n < 2; n++) {
      const hidden = [0, 1, 2, 3].map((j) => 2 * Math.max(0, [0, 1, 2, 3].reduce((acc, k) => acc + input[n * 4 + k]! * w[k * 4 + j]!, 0)));
      for (let j = 0; j < 4; j++) expected[n * 4 + j] = hidden.reduce((acc, hk, k) => acc + hk * s[k * 4 + j]!, 0);
    }
    const got = web['output']!.data;
    for (let i = 0; i < 8; i++) expect(Math.abs(Number(got[i]) - expected[i]!)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(expected[i]!));
  });

  it('encodes model-built fields the same whether int64 values are numbers or Longs', () => {
    const withNumbers = buildFeatureRichModel();
    withNumbers.modelVersion = 0 as unknown as Long;
    expect(Buffer.from(encodeModel(withNumbers)).equals(Buffer.from(original))).toBe(true);
    expect(toPlain(withNumbers)).toEqual(toPlain(decodeModel(original)));
  });

  it('keeps fields this schema does not know (node, graph and model level)', () => {
    // Field 99 (varint 7) exists in no message of the schema; a future ONNX version might add it.
    const unknown = Uint8Array.of(0x98, 0x06, 7); // tag (99 << 3 | varint) = 792 as a varint, then 7
    const withUnknown = <T>(codec: { encode(m: T): { finish(): Uint8Array }; decode(b: Uint8Array): T }, message: T): T => {
      const bytes = codec.encode(message).finish();
      const reader = protobuf.Reader.create(Uint8Array.from([...bytes, ...unknown]));
      reader.discardUnknown = false;
      return (codec as unknown as { decode(r: protobuf.Reader): T }).decode(reader);
    };
    const model = buildFeatureRichModel();
    model.graph!.node![0] = withUnknown(onnx.NodeProto, model.graph!.node![0]!);
    const bytes = encodeModel(withUnknown(onnx.ModelProto, model));
    const graphLevel = withUnknown(onnx.GraphProto, decodeModel(bytes).graph!);
    const fullBytes = encodeModel(Object.assign(decodeModel(bytes), { graph: graphLevel }));
    expect(fullBytes.length).toBe(bytes.length + unknown.length);

    const rebuilt = encodeModel(modelFromGraph(graphFromModel(decodeModel(fullBytes))));
    expect(Buffer.from(rebuilt).equals(Buffer.from(fullBytes))).toBe(true);
    const reread = decodeModel(rebuilt);
    for (const message of [reread, reread.graph!, reread.graph!.node![0]!]) {
      expect((message as { $unknowns?: Uint8Array[] }).$unknowns?.map((u) => [...u])).toEqual([[...unknown]]);
    }
  });

  it('does not share mutable state with its source: the source model is unchanged after modelFromGraph', () => {
    const decoded = decodeModel(original);
    const before = toPlain(decoded);
    const graph = graphFromModel(decoded);
    const rebuilt = modelFromGraph({ ...graph, nodes: graph.nodes.slice(0, 1), name: 'renamed' });
    expect(rebuilt.graph!.name).toBe('renamed');
    expect(rebuilt.graph!.node).toHaveLength(1);
    expect(toPlain(decoded)).toEqual(before);
  });

  it('keeps non-ASCII text', () => {
    const model = buildFeatureRichModel();
    model.docString = 'naïve — 模型';
    const decoded = decodeModel(encodeModel(model));
    expect(decoded.docString).toBe('naïve — 模型');
  });
});
