// Constant values: initializers and every value attribute a Constant node may use.
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from '../onnx/generated/onnx.js';
import { DataType } from '../onnx/dataType.js';
import { makeTensorProto, readTensorValues, tensorDims } from '../onnx/tensorData.js';
import { graphFromModel } from './Graph.js';
import { constantNodeTensor, constantValues } from './constants.js';
import { ModelBuilder } from './ModelBuilder.js';

const constant = (attribute: onnx.IAttributeProto) => new onnx.NodeProto({ opType: 'Constant', output: ['c'], attribute: [attribute] });

describe('constantNodeTensor', () => {
  it('reads value, value_float(s) and value_int(s), named after the output', () => {
    const t = makeTensorProto({ name: 'ignored', dataType: DataType.FLOAT16, dims: [2], values: Uint16Array.of(1, 2) });
    const fromValue = constantNodeTensor(constant({ name: 'value', t }))!;
    expect(fromValue.name).toBe('c');
    expect(t.name).toBe('ignored'); // the attribute's tensor is not renamed in place
    const f = constantNodeTensor(constant({ name: 'value_float', f: 2.5 }))!;
    expect([tensorDims(f), Array.from(readTensorValues(f) as Float32Array)]).toEqual([[], [2.5]]);
    const fs = constantNodeTensor(constant({ name: 'value_floats', floats: [1, 2, 3] }))!;
    expect([tensorDims(fs), Array.from(readTensorValues(fs) as Float32Array)]).toEqual([[3], [1, 2, 3]]);
    const i = constantNodeTensor(constant({ name: 'value_int', i: Long.fromString('9007199254740993') }))!;
    expect(Array.from(readTensorValues(i) as BigInt64Array)).toEqual([9007199254740993n]);
    const is = constantNodeTensor(constant({ name: 'value_ints', ints: [Long.fromNumber(-1), Long.fromNumber(4)] }))!;
    expect(Array.from(readTensorValues(is) as BigInt64Array)).toEqual([-1n, 4n]);
    expect(constantNodeTensor(constant({ name: 'value_string', s: new Uint8Array(1) }))).toBeNull();
  });
});

describe('constantValues', () => {
  it('lists initializers and Constant-node outputs, with the producing node', () => {
    const b = new ModelBuilder();
    const x = b.input('x', DataType.FLOAT, [2]);
    const w = b.initializer('w', DataType.FLOAT, [2], Float32Array.of(1, 2));
    const [c] = b.node('Constant', [], { value_floats: [0.5, 0.25] }, { name: 'half' });
    const [y] = b.node('Add', [x, w]);
    b.node('Mul', [y!, c!], {}, { outputs: ['z'] });
    b.output('z', DataType.FLOAT, [2]);
    const values = constantValues(graphFromModel(b.build()));
    expect([...values.keys()]).toEqual(['w', 'half_out']);
    expect(values.get('w')!.constantNodeId).toBeNull();
    expect(values.get('half_out')!.constantNodeId).toBe('half');
  });
});
