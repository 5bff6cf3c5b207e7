// ModelBuilder: attribute typing, names, value infos, subgraphs, model header.
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { decodeModel, encodeModel } from '../onnx/modelFile.js';
import { makeTensorProto } from '../onnx/tensorData.js';
import { float, makeAttribute, makeValueInfo, ModelBuilder } from './ModelBuilder.js';

const T = onnx.AttributeProto.AttributeType;

describe('makeAttribute', () => {
  it('types numbers, lists, strings, tensors and graphs', () => {
    expect(makeAttribute('a', 3)).toMatchObject({ type: T.INT, i: 3 });
    expect(makeAttribute('a', 0)).toMatchObject({ type: T.INT, i: 0 });
    expect(makeAttribute('a', 0.5)).toMatchObject({ type: T.FLOAT, f: 0.5 });
    expect(makeAttribute('a', [1, 2])).toMatchObject({ type: T.INTS, ints: [1, 2] });
    expect(makeAttribute('a', [1, 2.5])).toMatchObject({ type: T.FLOATS, floats: [1, 2.5] });
    expect(makeAttribute('a', 'same_upper')).toMatchObject({ type: T.STRING, s: new TextEncoder().encode('same_upper') });
    expect(makeAttribute('a', ['x', 'y']).type).toBe(T.STRINGS);
    const t = makeTensorProto({ name: 't', dataType: DataType.FLOAT, dims: [1], values: Float32Array.of(1) });
    expect(makeAttribute('a', t)).toMatchObject({ type: T.TENSOR, t });
    const g = new onnx.GraphProto({ name: 'g' });
    expect(makeAttribute('a', g)).toMatchObject({ type: T.GRAPH, g });
    expect(makeAttribute('a', { graphs: [g] })).toMatchObject({ type: T.GRAPHS, graphs: [g] });
  });

  it('float() forces whole numbers to be FLOAT / FLOATS, and they stay floats on the wire', () => {
    const single = makeAttribute('alpha', float(1));
    expect(single).toMatchObject({ type: T.FLOAT, f: 1 });
    expect(Object.prototype.hasOwnProperty.call(single, 'i')).toBe(false);
    expect(makeAttribute('scales', float([1, 2]))).toMatchObject({ type: T.FLOATS, floats: [1, 2] });
    const decoded = onnx.AttributeProto.decode(onnx.AttributeProto.encode(single).finish());
    expect(decoded.type).toBe(T.FLOAT);
    expect(decoded.f).toBe(1);
  });
});

describe('makeValueInfo', () => {
  it('writes fixed, symbolic and unknown dims, or no shape at all', () => {
    const v = makeValueInfo('x', DataType.FLOAT, [1, 'N', null]);
    const dims = v.type!.tensorType!.shape!.dim!;
    expect(Number(dims[0]!.dimValue)).toBe(1);
    expect(dims[1]!.dimParam).toBe('N');
    expect(Object.keys(dims[2]!)).toEqual([]);
    expect(makeValueInfo('y', DataType.INT64, null).type!.tensorType!.shape).toBeNull();
  });
});

describe('ModelBuilder', () => {
  it('names nodes and outputs uniquely and refuses a name used twice', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    const [a] = b.node('Relu', [x]);
    const [c] = b.node('Relu', [a!]);
    expect([a, c]).toEqual(['relu_0_out', 'relu_1_out']);
    expect(b.node('Split', [c!], {}, { outputCount: 2 })).toEqual(['split_0_out', 'split_0_out1']);
    expect(() => b.node('Relu', [x], {}, { name: 'relu_0' })).toThrow("name 'relu_0' is already used in graph 'main'");
    expect(() => b.initializer('x', DataType.FLOAT, [1], Float32Array.of(1))).toThrow(/'x' is already used/);
  });

  it('writes the header: IR version, opsets, producer, doc string, metadata', () => {
    const b = new ModelBuilder({ opset: 21, irVersion: 10, extraOpsets: { 'com.microsoft': 1 }, docString: 'doc', metadata: { k: 'v' }, graphName: 'g' });
    const x = b.input('x', DataType.FLOAT, [1]);
    b.node('Neg', [x], {}, { outputs: ['y'], domain: 'custom' });
    b.output('y', DataType.FLOAT, [1]);
    const model = decodeModel(encodeModel(b.build()));
    expect(Number(model.irVersion)).toBe(10);
    expect(model.opsetImport!.map((o) => [o.domain, Number(o.version)])).toEqual([['', 21], ['com.microsoft', 1]]);
    expect(model.producerName).toBe('whittle');
    expect(model.docString).toBe('doc');
    expect(model.metadataProps!.map((p) => [p.key, p.value])).toEqual([['k', 'v']]);
    expect(model.graph!.name).toBe('g');
    expect(model.graph!.node![0]!.domain).toBe('custom');
  });

  it('builds subgraphs with their own namespace that read outer names', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [1]);
    const body = b.subgraph('body', (g) => {
      g.node('Relu', [x], {}, { outputs: ['inner'] });
      g.output('inner', DataType.FLOAT, [1]);
    });
    expect(body.name).toBe('body');
    expect(body.node![0]!.input).toEqual(['x']);
    const [y] = b.node('Identity', [x]);
    expect(y).toBe('identity_0_out');
    expect(Long.isLong(b.build().irVersion) || typeof b.build().irVersion === 'number').toBe(true);
  });
});
