// Reading and writing .onnx files: bytes ⇄ ModelProto, with every failure turned into a
// ModelFileError that names the file and says what is wrong with it. Decoding keeps tensor
// payloads as views into the given buffer; nothing large is copied.
import protobuf from 'protobufjs/minimal.js';
import { onnx } from './generated/onnx.js';
import { ExternalDataError, externalLocations, resolveExternalData, type ExternalFileLookup } from './externalData.js';
import { checkTensorData, TensorDataError } from './tensorData.js';
import { modelTensors } from './walk.js';

export type ModelProblem =
  | 'empty'
  | 'not-onnx'
  | 'truncated'
  | 'too-deep'
  | 'tensor-data'
  | 'external-data'
  | 'invalid-graph';

/** A model file that cannot be used, with a message a user can act on. */
export class ModelFileError extends Error {
  constructor(readonly fileName: string, readonly problem: ModelProblem, readonly detail: string) {
    super(`${fileName}: ${detail}`);
    this.name = 'ModelFileError';
  }
}

/** The highest IR version this codec knows; newer files are read but flagged. */
export const LATEST_IR_VERSION = 13;

export interface DecodeOptions {
  /** Name used in error messages. */
  fileName?: string;
  /** Supplies external-data files by their location; without it external tensors are an error. */
  externalFiles?: ExternalFileLookup;
}

function describeProtobufFailure(error: unknown, size: number): { problem: ModelProblem; detail: string } {
  const message = error instanceof Error ? error.message : String(error);
  if (/index out of range/i.test(message)) {
    return { problem: 'truncated', detail: `the file ends early or is corrupt (${size} bytes; a field runs past the end)` };
  }
  if (/max depth|depth exceeded|too deep/i.test(message)) {
    return { problem: 'too-deep', detail: 'nesting is deeper than any real model (refusing to recurse further)' };
  }
  return { problem: 'not-onnx', detail: `not an ONNX model (protobuf decoding failed: ${message})` };
}

/** Decodes ModelProto bytes. Throws ModelFileError; never anything else for bad input. */
export function decodeModel(bytes: Uint8Array, options: DecodeOptions = {}): onnx.ModelProto {
  const fileName = options.fileName ?? 'model.onnx';
  if (bytes.length === 0) throw new ModelFileError(fileName, 'empty', 'the file is empty');

  let model: onnx.ModelProto;
  try {
    // Keep fields this schema does not know (from a newer ONNX) so re-encoding writes them back.
    const reader = protobuf.Reader.create(bytes);
    reader.discardUnknown = false;
    model = onnx.ModelProto.decode(reader);
  } catch (error) {
    const { problem, detail } = describeProtobufFailure(error, bytes.length);
    throw new ModelFileError(fileName, problem, detail);
  }
  // Random bytes can decode as a syntactically valid message; a model must at least have a graph and
  // a plausible IR version.
  const irVersion = Number(model.irVersion ?? 0);
  if (!model.graph) throw new ModelFileError(fileName, 'not-onnx', 'not an ONNX model (it has no graph)');
  if (!(irVersion >= 1 && irVersion <= 1000)) {
    throw new ModelFileError(fileName, 'not-onnx', `not an ONNX model (IR version ${model.irVersion ?? 'missing'})`);
  }

  const missing = externalLocations(model).filter((location) => !options.externalFiles?.(location));
  if (missing.length > 0) {
    const list = missing.map((m) => `'${m}'`).join(', ');
    throw new ModelFileError(fileName, 'external-data', `stores weights in external file${missing.length > 1 ? 's' : ''} ${list}, which ${missing.length > 1 ? 'were' : 'was'} not provided; open the model together with ${missing.length > 1 ? 'them' : 'it'}`);
  }
  try {
    if (options.externalFiles) resolveExternalData(model, options.externalFiles);
  } catch (error) {
    if (error instanceof ExternalDataError) throw new ModelFileError(fileName, 'external-data', error.message);
    throw error;
  }

  for (const { tensor, path } of modelTensors(model)) {
    try {
      checkTensorData(tensor);
    } catch (error) {
      if (error instanceof TensorDataError) {
        const where = path === 'graph' ? '' : ` (in ${path})`;
        throw new ModelFileError(fileName, 'tensor-data', `${error.message}${where}`);
      }
      throw error;
    }
  }
  return model;
}

/** Serializes a model. The result is one contiguous buffer ready to save or hand to ONNX Runtime. */
export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(model).finish();
}
