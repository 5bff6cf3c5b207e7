// Reading and writing .onnx files: bytes ⇄ ModelProto, with every failure turned into a
// ModelFileError that names the file and says what is wrong with it. Decoding keeps tensor
// payloads as views into the given buffer; nothing large is copied.
import protobuf from 'protobufjs/minimal.js';
import { onnx } from './generated/onnx.js';
import {
  checkExternalLocations,
  ExternalDataError,
  externalLocations,
  resolveExternalData,
  safeExternalLocation,
  type ExternalFileLookup,
} from './externalData.js';
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

export { LATEST_IR_VERSION } from './irVersion';

export interface DecodeOptions {
  /** Name used in error messages. */
  fileName?: string;
  /** Supplies external-data files by their location; without it external tensors are an error. */
  externalFiles?: ExternalFileLookup;
}

/** Wire type of each ModelProto field (onnx.proto). */
const MODEL_FIELD_WIRE_TYPES = new Map([[1, 0], [2, 2], [3, 2], [4, 2], [5, 0], [6, 2], [7, 2], [8, 2], [14, 2], [20, 2], [25, 2], [26, 2]]);

/** True when the first field of the file is a ModelProto field with its proper wire type: a model
 * that then runs out of bytes was truncated; anything else (text, images) was never a model. */
function startsLikeModel(bytes: Uint8Array): boolean {
  let tag = 0;
  for (let i = 0; i < 5 && i < bytes.length; i++) {
    tag += (bytes[i]! & 0x7f) * 2 ** (7 * i);
    if (!(bytes[i]! & 0x80)) return MODEL_FIELD_WIRE_TYPES.get(Math.floor(tag / 8)) === tag % 8;
  }
  return false;
}

function describeProtobufFailure(error: unknown, bytes: Uint8Array): { problem: ModelProblem; detail: string } {
  const message = error instanceof Error ? error.message : String(error);
  const size = bytes.length;
  // "invalid length encoding": a length prefix of 2 GB or more, far past the end of any file we hold.
  if (/index out of range|invalid length encoding/i.test(message) && startsLikeModel(bytes)) {
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
    const { problem, detail } = describeProtobufFailure(error, bytes);
    throw new ModelFileError(fileName, problem, detail);
  }
  // Random bytes can decode as a syntactically valid message; a model must at least have a graph and
  // a plausible IR version.
  const irVersion = Number(model.irVersion ?? 0);
  if (!model.graph) throw new ModelFileError(fileName, 'not-onnx', 'not an ONNX model (it has no graph)');
  if (!(irVersion >= 1 && irVersion <= 1000)) {
    throw new ModelFileError(fileName, 'not-onnx', `not an ONNX model (IR version ${model.irVersion ?? 'missing'})`);
  }

  try {
    checkExternalLocations(model);
  } catch (error) {
    if (error instanceof ExternalDataError) throw new ModelFileError(fileName, 'external-data', error.message);
    throw error;
  }
  // Locations are safe from here on; look them up normalised, as resolveExternalData does.
  const missing = externalLocations(model).filter((location) => !options.externalFiles?.(safeExternalLocation(location)!));
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
  const bytes = onnx.ModelProto.encode(model).finish();
  // protobufjs hands out small results as views into a shared slab (in Node, as Buffers whose
  // slice() is a view too). Give the caller a plain Uint8Array that owns its whole buffer, so it can
  // be sliced, kept or transferred to a worker without touching anyone else's bytes.
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return new Uint8Array(bytes.buffer);
  return new Uint8Array(bytes);
}
