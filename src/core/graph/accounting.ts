// Parameter and byte accounting: how many parameters each layer holds and how many bytes of the
// file its tensors take, by element type, with model totals that count shared tensors once.
import type { onnx } from '../onnx/generated/onnx.js';
import { dataTypeName } from '../onnx/dataType.js';
import { elementCount, tensorDims, tensorStorageBytes } from '../onnx/tensorData.js';
import type { Graph } from './Graph.js';
import { constantValues } from './constants.js';
import type { Layer } from './layers.js';

export type BytesByDtype = Record<string, number>;

export interface WeightAccount {
  name: string;
  dtype: string;
  dims: number[];
  params: number;
  bytes: number;
  primary: boolean;
}

export interface LayerAccount {
  id: string;
  name: string;
  opType: string;
  weights: WeightAccount[];
  params: number;
  bytes: number;
  bytesByDtype: BytesByDtype;
}

export interface ModelTotals {
  /** Parameters in layers, each shared tensor counted once. */
  params: number;
  /** Bytes of every constant tensor in the graph (initializers and Constant nodes). */
  bytes: number;
  bytesByDtype: BytesByDtype;
  /** Of those, bytes held by layers' weights. */
  layerBytes: number;
}

function addBytes(into: BytesByDtype, dtype: string, bytes: number): void {
  into[dtype] = (into[dtype] ?? 0) + bytes;
}

function accountWeight(name: string, tensor: onnx.ITensorProto, primary: boolean): WeightAccount {
  const dims = tensorDims(tensor);
  return {
    name,
    dtype: dataTypeName(tensor.dataType ?? 0),
    dims,
    params: primary ? elementCount(dims) : 0,
    bytes: tensorStorageBytes(tensor),
    primary,
  };
}

export function accountLayer(layer: Layer): LayerAccount {
  const weights = layer.weights.map((w) => accountWeight(w.name, w.tensor, w.primary));
  const bytesByDtype: BytesByDtype = {};
  for (const w of weights) addBytes(bytesByDtype, w.dtype, w.bytes);
  return {
    id: layer.node.id,
    name: layer.node.proto.name || layer.node.id,
    opType: layer.node.proto.opType ?? '',
    weights,
    params: weights.reduce((sum, w) => sum + w.params, 0),
    bytes: weights.reduce((sum, w) => sum + w.bytes, 0),
    bytesByDtype,
  };
}

export function accountModel(graph: Graph, layers: readonly LayerAccount[]): ModelTotals {
  const bytesByDtype: BytesByDtype = {};
  let bytes = 0;
  for (const [, { tensor }] of constantValues(graph)) {
    const size = tensorStorageBytes(tensor);
    addBytes(bytesByDtype, dataTypeName(tensor.dataType ?? 0), size);
    bytes += size;
  }
  const seen = new Set<string>();
  let params = 0;
  let layerBytes = 0;
  for (const layer of layers) {
    for (const w of layer.weights) {
      if (seen.has(w.name)) continue;
      seen.add(w.name);
      params += w.params;
      layerBytes += w.bytes;
    }
  }
  return { params, bytes, bytesByDtype, layerBytes };
}
