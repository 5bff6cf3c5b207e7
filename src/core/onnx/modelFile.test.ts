// Decoding failures: every bad file becomes a ModelFileError with a specific `problem` and a message
// that names the file and, where there is one, the tensor. External data: missing, present, escaping.
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { onnx } from './generated/onnx.js';
import { DataType } from './dataType.js';
import { decodeModel, encodeModel, ModelFileError, type ModelProblem } from './modelFile.js';
import { readTensorValues } from './tensorData.js';
import { structuralModel } from '../testing/structuralModels.js';
import { runWithOrtNode, runWithOrtWeb } from '../testing/onnxRuntimeReference.js';

function decodeError(bytes: Uint8Array, options: Parameters<typeof decodeModel>[1] = {}): ModelFileError {
  try {
    decodeModel(bytes, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected decodeModel to fail');
}

function expectProblem(bytes: Uint8Array, problem: ModelProblem, fileName: string, ...mentions: (string | RegExp)[]): ModelFileError {
  const error = decodeError(bytes, { fileName });
  expect(error.problem).toBe(problem);
  expect(error.fileName).toBe(fileName);
  expect(error.message.startsWith(`${fileName}: `)).toBe(true);
  for (const m of mentions) expect(error.message).toMatch(m);
  return error;
}

const mlpBytes = () => encodeModel(structuralModel('mlp').build());

describe('decodeModel rejects files that are not usable models', () => {
  it('an empty file', () => {
    expectProblem(new Uint8Array(0), 'empty', 'nothing.onnx', /empty/);
  });

  it('a PNG image', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);
    expectProblem(png, 'not-onnx', 'photo.png', /not an ONNX model/);
  });

  it('a text file', () => {
    expectProblem(new TextEncoder().encode('hello, this is a README and not a model\n'), 'not-onnx', 'README.txt', /not an ONNX model/);
    expectProblem(new TextEncoder().encode('{"type": "whittle-pipeline", "version": 1}'), 'not-onnx', 'pipeline.json', /not an ONNX model/);
  });

  it('a model cut short at any point inside its graph', () => {
    const bytes = mlpBytes();
    for (const keep of [bytes.length - 1, bytes.length - 100, Math.floor(bytes.length / 2), 40]) {
      const error = decodeError(bytes.subarray(0, keep), { fileName: 'cut.onnx' });
      expect(['truncated', 'not-onnx'], `cut at ${keep}`).toContain(error.problem);
      expect(error.message).toMatch(/^cut\.onnx: /);
    }
    expectProblem(bytes.subarray(0, bytes.length - 1), 'truncated', 'cut.onnx', /ends early/, new RegExp(`${bytes.length - 1} bytes`));
  });

  it('a protobuf message without a graph or with an impossible IR version', () => {
    expectProblem(encodeModel(new onnx.ModelProto({ irVersion: Long.fromNumber(8), producerName: 'x' })), 'not-onnx', 'nograph.onnx', /no graph/);
    expectProblem(encodeModel(new onnx.ModelProto({ graph: new onnx.GraphProto({ name: 'g' }) })), 'not-onnx', 'noir.onnx', /IR version/);
    expectProblem(encodeModel(new onnx.ModelProto({ irVersion: Long.fromNumber(-3), graph: new onnx.GraphProto({ name: 'g' }) })), 'not-onnx', 'negir.onnx', /IR version -3/);
  });

  it('a tensor whose data length disagrees with its dims, naming the file and the tensor', () => {
    const model = structuralModel('cnn').build();
    const weight = model.graph!.initializer!.find((t) => t.name === 'conv1.weight')!;
    weight.rawData = weight.rawData!.subarray(0, weight.rawData!.length - 16); // 216 floats → 212
    const error = expectProblem(encodeModel(model), 'tensor-data', 'cnn.onnx', "tensor 'conv1.weight' declares 216 float32 values (864 bytes) but holds 848 bytes");
    expect(error.message).toBe("cnn.onnx: tensor 'conv1.weight' declares 216 float32 values (864 bytes) but holds 848 bytes");
  });

  it('a bad tensor inside a subgraph, saying where it is', () => {
    const model = structuralModel('control-flow').build();
    const loop = model.graph!.node!.find((n) => n.opType === 'Loop')!;
    const body = loop.attribute!.find((a) => a.name === 'body')!.g!;
    body.initializer = [new onnx.TensorProto({ name: 'inner.weight', dataType: DataType.FLOAT, dims: [Long.fromNumber(3)], floatData: [1, 2] })];
    expectProblem(encodeModel(model), 'tensor-data', 'cf.onnx', /tensor 'inner\.weight' declares 3 float32 values/, /in graph\/node 'loop'\/body/);
  });

  it('a tensor with a negative or absurdly large dimension', () => {
    const model = structuralModel('mlp').build();
    model.graph!.initializer![0]!.dims = [Long.fromNumber(-32), Long.fromNumber(16)];
    expectProblem(encodeModel(model), 'tensor-data', 'neg.onnx', /tensor 'fc1\.weight' has a negative dimension/);
    model.graph!.initializer![0]!.dims = [Long.fromString('4000000000'), Long.fromString('4000000000'), Long.fromString('4000000000')];
    expectProblem(encodeModel(model), 'tensor-data', 'huge.onnx', /tensor 'fc1\.weight' declares too many elements/);
  });
});

/** The MLP with 'fc1.weight' moved to an external file, as ONNX's save_as_external_data writes it. */
function externalMlp(location: string, offset = 128): { model: Uint8Array; file: Uint8Array; weight: Float32Array } {
  const model = structuralModel('mlp').build();
  const tensor = model.graph!.initializer!.find((t) => t.name === 'fc1.weight')!;
  const weight = readTensorValues(tensor) as Float32Array;
  const file = new Uint8Array(offset + weight.byteLength + 64);
  file.set(new Uint8Array(weight.buffer, weight.byteOffset, weight.byteLength), offset);
  delete (tensor as { rawData?: Uint8Array }).rawData;
  tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
  tensor.externalData = [
    new onnx.StringStringEntryProto({ key: 'location', value: location }),
    new onnx.StringStringEntryProto({ key: 'offset', value: String(offset) }),
    new onnx.StringStringEntryProto({ key: 'length', value: String(weight.byteLength) }),
  ];
  return { model: encodeModel(model), file, weight };
}

describe('external data', () => {
  it('missing: the message names the model and the data file it needs', () => {
    const { model } = externalMlp('mlp.weights.bin');
    expectProblem(model, 'external-data', 'mlp.onnx', /'mlp\.weights\.bin'/, /not provided/);
    const error = decodeError(model, { fileName: 'mlp.onnx', externalFiles: () => undefined });
    expect(error.problem).toBe('external-data');
    expect(error.message).toMatch(/^mlp\.onnx: .*'mlp\.weights\.bin'/);
  });

  it('present: resolved through externalFiles into views of the supplied file, and ONNX Runtime runs the result', async () => {
    const { model, file, weight } = externalMlp('data/mlp.weights.bin');
    const asked: string[] = [];
    const decoded = decodeModel(model, {
      fileName: 'mlp.onnx',
      externalFiles: (location) => {
        asked.push(location);
        return location === 'data/mlp.weights.bin' ? file : undefined;
      },
    });
    expect(asked).toContain('data/mlp.weights.bin');
    const tensor = decoded.graph!.initializer!.find((t) => t.name === 'fc1.weight')!;
    expect(tensor.rawData!.buffer).toBe(file.buffer);
    expect(Array.from(readTensorValues(tensor) as Float32Array)).toEqual(Array.from(weight));
    expect(tensor.externalData ?? []).toHaveLength(0);
    expect(Object.prototype.hasOwnProperty.call(tensor, 'dataLocation')).toBe(false);

    const inline = encodeModel(decoded);
    const feeds = structuralModel('mlp').inputs();
    const expected = await runWithOrtWeb(mlpBytes(), feeds);
    const web = await runWithOrtWeb(inline, feeds);
    const node = await runWithOrtNode(inline, feeds);
    expect(Array.from(web['logits']!.data as Float32Array)).toEqual(Array.from(expected['logits']!.data as Float32Array));
    expect(node['logits']!.dims).toEqual([2, 10]);
  });

  it('normalises ./ and backslashes in locations before looking the file up', () => {
    const { model, file } = externalMlp('.\\data\\.\\w.bin');
    const asked = new Set<string>();
    const decoded = decodeModel(model, {
      fileName: 'mlp.onnx',
      externalFiles: (l) => {
        asked.add(l);
        return l === 'data/w.bin' ? file : undefined;
      },
    });
    expect([...asked]).toEqual(['data/w.bin']);
    expect(decoded.graph!.initializer![0]!.rawData!.length).toBe(32 * 16 * 4);
  });

  it.each(['../secrets.bin', 'data/../../secrets.bin', '/etc/passwd', 'C:\\Windows\\win.ini', '..\\up.bin'])(
    'refuses a location escaping the model folder (%s), naming the tensor, without asking for the file',
    (location) => {
      const { model, file } = externalMlp(location);
      const asked: string[] = [];
      const error = decodeError(model, {
        fileName: 'evil.onnx',
        externalFiles: (l) => {
          asked.push(l);
          return file;
        },
      });
      expect(error.problem).toBe('external-data');
      expect(error.message).toMatch(/^evil\.onnx: tensor 'fc1\.weight' points outside the model's folder/);
      expect(asked).toEqual([]);
    },
  );

  it('a data file shorter than the tensor needs', () => {
    const { model, file } = externalMlp('w.bin');
    const error = decodeError(model, { fileName: 'mlp.onnx', externalFiles: () => file.subarray(0, 1000) });
    expect(error.problem).toBe('external-data');
    expect(error.message).toMatch(/^mlp\.onnx: tensor 'fc1\.weight' reads bytes 128–2176 of 'w\.bin', which has only 1000/);
  });

  it('an invalid offset', () => {
    const built = structuralModel('mlp').build();
    const tensor = built.graph!.initializer![0]!;
    delete (tensor as { rawData?: Uint8Array }).rawData;
    tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    tensor.externalData = [new onnx.StringStringEntryProto({ key: 'location', value: 'w.bin' }), new onnx.StringStringEntryProto({ key: 'offset', value: '-5' })];
    const error = decodeError(encodeModel(built), { fileName: 'mlp.onnx', externalFiles: () => new Uint8Array(4096) });
    expect(error.problem).toBe('external-data');
    expect(error.message).toMatch(/tensor 'fc1\.weight' has an invalid external-data offset '-5'/);
  });
});

describe('encodeModel', () => {
  it('returns a plain Uint8Array owning its whole buffer, even for tiny models', () => {
    const a = encodeModel(structuralModel('depthwise').build());
    const b = encodeModel(structuralModel('depthwise').build());
    for (const bytes of [a, b]) {
      expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype); // not a Node Buffer
      expect(bytes.byteOffset).toBe(0);
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    }
    expect(a.buffer).not.toBe(b.buffer);
    const copy = a.slice();
    copy[0] = 0xff;
    expect(a[0]).not.toBe(0xff);
    // Transferring one model's buffer (as to a worker) leaves the other intact.
    structuredClone(a.buffer, { transfer: [a.buffer] });
    expect(a.byteLength).toBe(0);
    expect(decodeModel(b).graph!.name).toBe('main');
  });
});
