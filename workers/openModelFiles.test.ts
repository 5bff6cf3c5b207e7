import { describe, expect, it } from 'vitest';
import { DataType } from '../src/core/onnx/dataType';
import { ModelBuilder } from '../src/core/graph/ModelBuilder';
import { decodeModel, encodeModel } from '../src/core/onnx/modelFile';
import { onnx } from '../src/core/onnx/generated/onnx.js';
import { openModelFiles } from './openModelFiles';

function tinyModel() {
  const b = new ModelBuilder({ opset: 17 });
  const x = b.input('input', DataType.FLOAT, ['N', 4]);
  const w = b.initializer('fc.weight', DataType.FLOAT, [4, 3], Float32Array.from({ length: 12 }, (_, i) => i));
  const [y] = b.node('MatMul', [x, w], {}, { name: 'fc' });
  b.output(y!, DataType.FLOAT, ['N', 3]);
  return b.build();
}

function file(name: string, bytes: Uint8Array) {
  return { name, bytes: bytes.slice().buffer };
}

/** The tiny model with its weight moved to an external file called `location`. */
function withExternalWeight(location: string): { model: Uint8Array; data: Uint8Array } {
  const model = tinyModel();
  const tensor = model.graph!.initializer![0]!;
  const data = new Uint8Array(new Float32Array(Array.from({ length: 12 }, (_, i) => i)).buffer);
  tensor.floatData = [];
  tensor.rawData = new Uint8Array(0);
  tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  tensor.externalData = [
    new onnx.StringStringEntryProto({ key: 'location', value: location }),
    new onnx.StringStringEntryProto({ key: 'offset', value: '0' }),
    new onnx.StringStringEntryProto({ key: 'length', value: String(data.length) }),
  ];
  return { model: encodeModel(model), data };
}

describe('openModelFiles', () => {
  it('opens the .onnx and returns summary, view and a separate copy for the runtime', () => {
    const bytes = encodeModel(tinyModel());
    const files = [file('notes.txt', new Uint8Array([1])), file('tiny.onnx', bytes)];
    const result = openModelFiles(files);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.summary.fileName).toBe('tiny.onnx');
    expect(result.value.view.opNodeCount).toBe(1);
    expect(result.value.runtimeBytes).not.toBe(files[1]!.bytes);
    expect(new Uint8Array(result.value.runtimeBytes)).toEqual(bytes);
  });

  it('says so when no .onnx is among the files', () => {
    const result = openModelFiles([file('weights.data', new Uint8Array([1, 2]))]);
    expect(result).toMatchObject({ ok: false, error: { problem: 'no-model', fileName: 'weights.data' } });
  });

  it('reports a truncated file as a value naming the file', () => {
    const bytes = encodeModel(tinyModel());
    const result = openModelFiles([file('cut.onnx', bytes.subarray(0, bytes.length - 20))]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message.startsWith('cut.onnx: ')).toBe(true);
  });

  it('uses the other files as external data, matched by file name, and inlines them for the runtime', () => {
    const { model, data } = withExternalWeight('weights/tiny.data');
    const result = openModelFiles([file('tiny.onnx', model), file('tiny.data', data)]);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.summary.layers[0]).toMatchObject({ id: 'fc', params: 12 });
    // The runtime copy stands alone: it opens without any external file.
    const standalone = decodeModel(new Uint8Array(result.value.runtimeBytes), { fileName: 'x.onnx' });
    expect(standalone.graph!.initializer![0]!.dataLocation ?? 0).toBe(0);
  });

  it('asks for a missing external-data file', () => {
    const { model } = withExternalWeight('tiny.data');
    const result = openModelFiles([file('tiny.onnx', model)]);
    expect(result).toMatchObject({ ok: false, error: { problem: 'external-data', fileName: 'tiny.onnx' } });
  });
});
