// External data: tensors whose bytes live in a separate file named by external_data "location"
// (models over 2 GB must use it). The browser supplies the files the user dropped alongside the
// model, the CLI the files beside it. Resolved tensors become ordinary raw_data views.
import { onnx } from './generated/onnx.js';
import { modelTensors } from './walk.js';

/** Finds an external file by its location as written in the model (a relative path). */
export type ExternalFileLookup = (location: string) => Uint8Array | undefined;

export class ExternalDataError extends Error {
  constructor(readonly tensorName: string, readonly location: string, problem: string) {
    super(`tensor '${tensorName}' ${problem}`);
    this.name = 'ExternalDataError';
  }
}

function entry(tensor: onnx.ITensorProto, key: string): string | undefined {
  return tensor.externalData?.find((e) => e.key === key)?.value ?? undefined;
}

/** Normalises a location and refuses ones that escape the model's folder. */
export function safeExternalLocation(location: string): string | null {
  const slashed = location.replace(/\\/g, '/');
  const parts = slashed.split('/').filter((p) => p !== '' && p !== '.');
  // Absolute in either convention (/x, \x, UNC \\server\share, C:...) is refused like '..'.
  if (slashed.startsWith('/') || /^[a-zA-Z]:/.test(location) || parts.includes('..') || parts.length === 0) return null;
  return parts.join('/');
}

/** Locations of every external file the model refers to, in first-use order. */
export function externalLocations(model: onnx.IModelProto): string[] {
  const seen = new Set<string>();
  for (const { tensor } of modelTensors(model)) {
    if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const location = entry(tensor, 'location');
    if (location !== undefined) seen.add(location);
  }
  return [...seen];
}

/**
 * Throws ExternalDataError for the first tensor whose location is missing or escapes the model's
 * folder. Run before any lookup, so a file outside the folder is never even asked for.
 */
export function checkExternalLocations(model: onnx.IModelProto): void {
  for (const { tensor } of modelTensors(model)) {
    if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const name = tensor.name ?? '';
    const location = entry(tensor, 'location');
    if (location === undefined) throw new ExternalDataError(name, '', 'is marked external but names no location');
    if (safeExternalLocation(location) === null) throw new ExternalDataError(name, location, `points outside the model's folder ('${location}')`);
  }
}

function parseOffset(tensor: onnx.ITensorProto, key: string, location: string): number | undefined {
  const text = entry(tensor, key);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new ExternalDataError(tensor.name ?? '', location, `has an invalid external-data ${key} '${text}'`);
  }
  return value;
}

/**
 * Replaces every external reference with a view into the supplied file. Mutates the decoded model
 * in place (it was just decoded and is owned by the caller). Throws ExternalDataError naming the
 * tensor and the missing or too-short file.
 */
export function resolveExternalData(model: onnx.IModelProto, lookup: ExternalFileLookup): void {
  for (const { tensor } of modelTensors(model)) {
    if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const name = tensor.name ?? '';
    const location = entry(tensor, 'location');
    if (location === undefined) throw new ExternalDataError(name, '', 'is marked external but names no location');
    const safe = safeExternalLocation(location);
    if (safe === null) throw new ExternalDataError(name, location, `points outside the model's folder ('${location}')`);
    const file = lookup(safe);
    if (!file) throw new ExternalDataError(name, location, `stores its data in external file '${location}', which was not provided`);
    const offset = parseOffset(tensor, 'offset', location) ?? 0;
    const length = parseOffset(tensor, 'length', location) ?? file.length - offset;
    if (offset + length > file.length || length < 0) {
      throw new ExternalDataError(name, location, `reads bytes ${offset}–${offset + length} of '${location}', which has only ${file.length}`);
    }
    tensor.rawData = file.subarray(offset, offset + length);
    delete tensor.dataLocation; // absent, not an explicit DEFAULT, like a model saved without external data
    tensor.externalData = [];
  }
}
