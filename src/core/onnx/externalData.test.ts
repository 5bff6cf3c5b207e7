// External-data locations: normalisation, refusal of paths that leave the model's folder, and
// resolution into views of the supplied files (offset, length, errors naming tensor and file).
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from './generated/onnx.js';
import { DataType } from './dataType.js';
import { checkExternalLocations, ExternalDataError, externalLocations, resolveExternalData, safeExternalLocation } from './externalData.js';

function externalTensor(name: string, entries: Record<string, string>, dims = [4]): onnx.TensorProto {
  return new onnx.TensorProto({
    name,
    dataType: DataType.FLOAT,
    dims: dims.map((d) => Long.fromNumber(d)),
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: Object.entries(entries).map(([key, value]) => new onnx.StringStringEntryProto({ key, value })),
  });
}

const modelWith = (...tensors: onnx.TensorProto[]) => new onnx.ModelProto({ graph: new onnx.GraphProto({ initializer: tensors }) });

describe('safeExternalLocation', () => {
  it.each([
    ['weights.bin', 'weights.bin'],
    ['./weights.bin', 'weights.bin'],
    ['data//w.bin', 'data/w.bin'],
    ['data\\w.bin', 'data/w.bin'],
    ['a/./b/c.bin', 'a/b/c.bin'],
  ])('normalises %s to %s', (location, expected) => {
    expect(safeExternalLocation(location)).toBe(expected);
  });

  it.each(['../w.bin', 'a/../../w.bin', 'a/../w.bin', '/abs/w.bin', '\\abs\\w.bin', '\\\\server\\share\\w.bin', 'C:/w.bin', 'c:w.bin', '', '.', './'])('refuses %j', (location) => {
    expect(safeExternalLocation(location)).toBeNull();
  });
});

describe('resolveExternalData', () => {
  const file = Uint8Array.from({ length: 64 }, (_, i) => i);

  it('turns each external tensor into a raw_data view at its offset and length', () => {
    const a = externalTensor('a', { location: 'w.bin', offset: '16', length: '16' });
    const b = externalTensor('b', { location: 'w.bin' }, [16]); // no offset/length: the whole file
    const model = modelWith(a, b);
    expect(externalLocations(model)).toEqual(['w.bin']);
    resolveExternalData(model, (l) => (l === 'w.bin' ? file : undefined));
    expect(Array.from(a.rawData)).toEqual(Array.from(file.subarray(16, 32)));
    expect(a.rawData.buffer).toBe(file.buffer);
    expect(b.rawData.length).toBe(64);
    expect(externalLocations(model)).toEqual([]);
  });

  it('finds external tensors in subgraphs and attribute tensors too', () => {
    const inner = externalTensor('inner', { location: 'inner.bin' });
    const attributeTensor = externalTensor('attr', { location: 'attr.bin' });
    const body = new onnx.GraphProto({ initializer: [inner] });
    const node = new onnx.NodeProto({ opType: 'If', attribute: [new onnx.AttributeProto({ name: 'then_branch', g: body }), new onnx.AttributeProto({ name: 'value', t: attributeTensor })] });
    const model = new onnx.ModelProto({ graph: new onnx.GraphProto({ node: [node] }) });
    expect(externalLocations(model).sort()).toEqual(['attr.bin', 'inner.bin']);
  });

  it('errors name the tensor and the file', () => {
    const missing = () => resolveExternalData(modelWith(externalTensor('w', { location: 'gone.bin' })), () => undefined);
    expect(missing).toThrow(ExternalDataError);
    expect(missing).toThrow("tensor 'w' stores its data in external file 'gone.bin', which was not provided");
    expect(() => resolveExternalData(modelWith(externalTensor('w', { location: 'w.bin', offset: '60', length: '16' })), () => file)).toThrow(
      "tensor 'w' reads bytes 60–76 of 'w.bin', which has only 64",
    );
    expect(() => resolveExternalData(modelWith(externalTensor('w', { location: 'w.bin', length: '1e3' })), () => file)).toThrow(/invalid external-data length '1e3'/);
    expect(() => resolveExternalData(modelWith(externalTensor('w', {})), () => file)).toThrow("tensor 'w' is marked external but names no location");
    expect(() => checkExternalLocations(modelWith(externalTensor('w', { location: '../up.bin' })))).toThrow("tensor 'w' points outside the model's folder ('../up.bin')");
  });
});
