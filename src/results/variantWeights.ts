// Where the weight histogram's models come from, and the worker that reads them. The original is the
// open model's bytes (modelStore); a variant's .onnx is fetched from the run session's engine worker
// by its cache key (runStore.heldModelBytes), the key computed from the run's plan exactly as the
// executor keys it (variantKeys: the model's content hash, then each block's type and params).
// Both go to the weights worker (workers/weights.worker.ts) by transfer, once per key: it holds
// them, lists the layers and bins any layer of the pair on request.
import * as Comlink from 'comlink';
import type { WeightLayer } from '../core/analysis/layerWeights';
import { modelHash } from '../core/pipeline/cacheKey';
import { variantKeys } from '../core/pipeline/executor/variantKeys';
import type { LayerComparison, WeightsApi } from '../../workers/weights.worker';
import { useModelStore } from '../stores/modelStore';
import { useResultsStore } from '../stores/resultsStore';
import { heldModelBytes } from '../stores/runStore';

export interface WeightPair {
  originalKey: string;
  variantKey: string;
  /** The original model's layers that hold weights. */
  layers: WeightLayer[];
}

let remote: Comlink.Remote<WeightsApi> | null = null;

function weightsWorker(): Comlink.Remote<WeightsApi> {
  if (!remote) {
    const worker = new Worker(new URL('../../workers/weights.worker.ts', import.meta.url), { type: 'module', name: 'weights' });
    // A worker that fails to start would leave every call pending: start afresh on the next call.
    worker.addEventListener('error', () => {
      worker.terminate();
      remote = null;
    });
    remote = Comlink.wrap<WeightsApi>(worker);
  }
  return remote;
}

const layersByKey = new Map<string, WeightLayer[]>();
let modelKeyMemo: { bytes: Uint8Array; key: Promise<string> } | null = null;

function openModelKey(bytes: Uint8Array): Promise<string> {
  if (modelKeyMemo?.bytes !== bytes) modelKeyMemo = { bytes, key: modelHash(bytes) };
  return modelKeyMemo.key;
}

async function hold(key: string, fileName: string, fetchBytes: () => Promise<Uint8Array>): Promise<WeightLayer[]> {
  const worker = weightsWorker();
  const known = layersByKey.get(key);
  if (known && (await worker.holds(key))) return known;
  const bytes = await fetchBytes();
  const layers = await worker.hold(key, Comlink.transfer(bytes, [bytes.buffer]), fileName);
  layersByKey.set(key, layers);
  return layers;
}

/** Makes the weights worker hold the open model and the variant `variantId` of the run on screen. */
export async function loadWeightPair(variantId: string): Promise<WeightPair> {
  const model = useModelStore.getState().model;
  if (!model) throw new Error('no model is open');
  const { plan, data } = useResultsStore.getState();
  const variant = plan.find((planned) => planned.id === variantId);
  if (!variant) throw new Error(`'${variantId}' is not a variant of the run on screen`);
  const originalKey = await openModelKey(model.bytes);
  const variantKey = (await variantKeys(plan, originalKey, data?.key ?? null)).get(variantId)!;
  const layers = await hold(originalKey, model.summary.fileName, async () => model.bytes.slice());
  await hold(variantKey, variant.fileName, async () => {
    const fetched = heldModelBytes(variantKey);
    if (!fetched) throw new Error('the run that made this variant is gone: run the pipeline again to compare its weights');
    try {
      return await fetched;
    } catch {
      throw new Error(`the studio no longer holds ${variant.fileName} (another model was opened since the run, or the variant came from an auto block's search): run the pipeline again to compare its weights`);
    }
  });
  return { originalKey, variantKey, layers };
}

/** One layer of a held pair on `bins` shared bins. */
export function compareLayer(pair: WeightPair, layer: string, bins: number): Promise<LayerComparison> {
  return weightsWorker().compare(pair.originalKey, pair.variantKey, layer, bins);
}
