// The engine worker's half of the pipeline services: models held by key as their bytes and opened
// Graph, passes run on them through the pass registry, sizes measured on the serialized result. It
// mirrors src/core/pipeline/executor/inProcessServices.ts (the Node services), so a pipeline gives
// the same models in the studio as in the CLI.
//
// Calibration data is loaded only when a block that learns from data runs (blockLearnsFromData, the
// predicate that also keys those blocks by the data), so a weights-only pipeline never fetches the
// 47 MB train split. It calibrates on the train split when the data has one, else on the test split,
// and says so in a note, as the in-process services do.
//
// Training blocks (distill, finetune) train here, in the engine worker: it already holds their input
// and the original model and loads the train split, so nothing crosses threads but the live curve
// (TrainingChannel) and the finished model's size. ctx.training comes from the same TrainingSupport
// as in Node; its kernels are WebGPU when the studio asks for it and an adapter exists, wasm SIMD
// otherwise (JS where SIMD will not load), and its memo keeps teacher logits across blocks until the
// data changes or the worker is replaced.
import { createPassKernels } from '../../src/kernels/createPassKernels';
import type { PassKernels } from '../../src/kernels/PassKernels';
import { modelFromGraph, type Graph } from '../../src/core/graph/Graph';
import { measureModelSize } from '../../src/core/graph/modelSize';
import { openModel } from '../../src/core/graph/openModel';
import { encodeModel } from '../../src/core/onnx/modelFile';
import { createKernels } from '../../src/kernels/createKernels';
import { requestWebGpuKernels } from '../../src/kernels/webgpu/createWebGpuKernels';
import { blockPassUnavailable, isTrainingBlockType, runBlockPass } from '../../src/core/passes/passRegistry';
import { PassError, type CalibrationData, type PassContext, type TrainingPoint } from '../../src/core/passes/Pass';
import type { ModelReport, ModelSizes, PassRequest } from '../../src/core/pipeline/executor/PipelineServices';
import { runModelWithRuntime } from '../../src/core/pipeline/executor/runtimeRunModel';
import { TrainingSupport, type TrainingKernelsChoice } from '../../src/core/pipeline/executor/trainingSupport';
import { blockLearnsFromData } from '../../src/core/pipeline/executor/variantKeys';
import type { DatasetSource, TrainingSettings } from '../protocol';
import { loadDatasetSource, type LoadedDataset } from './loadDatasetSource';
import type { CallContext } from './workerCalls';
import { fetchSampleModel } from './fetchSampleModel';

interface HeldModel {
  bytes: Uint8Array;
  graph: Graph;
}

interface Calibration {
  data: CalibrationData;
  note: string | null;
}

/** What names a source's content: a sample's id and origin, a file's hash (never its bytes). */
function sourceIdentity(source: DatasetSource | null): string {
  if (source === null) return 'none';
  return source.kind === 'sample' ? `sample ${source.id} ${source.baseUrl}` : `${source.kind} ${source.key}`;
}

export class EngineModels {
  private readonly models = new Map<string, HeldModel>();
  private kernels: Promise<PassKernels> | null = null;
  private source: DatasetSource | null = null;
  private calibrationLoad: Promise<LoadedDataset> | null = null;
  private trainingSettings: TrainingSettings = {};
  private training = new TrainingSupport(() => this.trainingKernels(), fetchSampleModel);

  /** The data later calibrating and training passes read (loaded on first use), and how to train. */
  setData(source: DatasetSource | null, training: TrainingSettings = {}): void {
    if (sourceIdentity(source) !== sourceIdentity(this.source) || training.backend !== this.trainingSettings.backend) {
      this.training = new TrainingSupport(() => this.trainingKernels(), fetchSampleModel);
    }
    this.source = source;
    this.trainingSettings = training;
    this.calibrationLoad = null;
  }

  async put(key: string, bytes: Uint8Array, fileName: string, call: CallContext): Promise<ModelReport> {
    call.progress(0, `opening ${fileName}`);
    const { graph } = openModel(bytes, { fileName });
    this.models.set(key, { bytes, graph });
    const report = { key, sizes: await this.sizesOf(bytes, graph), notes: [] };
    call.progress(1);
    return report;
  }

  async runPass({ inputKey, outputKey, type, params, training }: PassRequest, call: CallContext, onPoint: ((point: TrainingPoint) => unknown) | null = null): Promise<ModelReport> {
    const unavailable = blockPassUnavailable(type);
    if (unavailable !== null) throw new PassError(type, unavailable);
    const input = this.held(inputKey);
    const notes: string[] = [];
    const ctx: PassContext = { kernels: await this.passKernels(), progress: call.progress, signal: call.signal };
    const deliveries: Promise<unknown>[] = [];
    if (isTrainingBlockType(type)) {
      call.progress(0, 'loading the training images');
      const data = this.source === null ? null : await this.loadData();
      const prepared = await this.training.context({
        type,
        params,
        training,
        data,
        inputKey,
        original: (key) => this.held(key).graph,
        hooks: {
          // The page may have gone; a lost point is harmless.
          report: (point) => void deliveries.push(Promise.resolve(onPoint?.(point)).catch(() => undefined)),
          stopRequested: () => call.stopRequested(),
        },
      });
      ctx.training = prepared.training;
      // Teachers run in ONNX Runtime (teacher logits), through the calibration's RunModel.
      ctx.calibration = { images: prepared.training.train, run: runModelWithRuntime };
      notes.push(...prepared.notes);
    } else if (blockLearnsFromData(type, params)) {
      const calibration = await this.calibration();
      if (calibration) {
        ctx.calibration = calibration.data;
        if (calibration.note) notes.push(calibration.note);
      }
    }
    const graph = await runBlockPass(type, input.graph, params, ctx);
    // Points travel on their proxy's own channel: answer only once the caller has them all, so the
    // curve never ends after its block does.
    await Promise.all(deliveries);
    if (call.stopRequested() && isTrainingBlockType(type)) notes.push('stopped early at your request: the block kept its best checkpoint so far');
    const bytes = encodeModel(modelFromGraph(graph));
    this.models.set(outputKey, { bytes, graph });
    return { key: outputKey, sizes: await this.sizesOf(bytes, graph), notes };
  }

  /** A copy of the held model's .onnx, for the caller to take (transfer) while the engine keeps its own. */
  bytesCopy(key: string): Uint8Array {
    return this.held(key).bytes.slice();
  }

  private held(key: string): HeldModel {
    const model = this.models.get(key);
    if (!model) throw new Error(`no model is held under key ${key.slice(0, 12)}…; put it or build it first`);
    return model;
  }

  private passKernels(): Promise<PassKernels> {
    this.kernels ??= createPassKernels('auto');
    return this.kernels;
  }

  private async sizesOf(bytes: Uint8Array, graph: Graph): Promise<ModelSizes> {
    const { sizeBytes, gzipBytes, params, nonzeroParams } = measureModelSize(bytes, graph, await this.passKernels());
    return { sizeBytes, gzipBytes, params, nonzeroParams };
  }

  /** How training blocks train: WebGPU when asked for and an adapter exists, else wasm SIMD (JS without SIMD). */
  private async trainingKernels(): Promise<TrainingKernelsChoice> {
    if (this.trainingSettings.backend === 'webgpu') {
      const request = await requestWebGpuKernels();
      if (request.kernels !== null) return { kernels: request.kernels, note: null };
      return { kernels: await createKernels('auto'), note: `trained with the wasm kernels: WebGPU was asked for, but ${request.reason}` };
    }
    return { kernels: await createKernels('auto'), note: null };
  }

  /** The data with its train split, loaded once per setData; a failed load is tried again next time. */
  private async loadData(): Promise<LoadedDataset> {
    this.calibrationLoad ??= loadDatasetSource(this.source!, true);
    const load = this.calibrationLoad;
    return load.catch((error: unknown) => {
      if (this.calibrationLoad === load) this.calibrationLoad = null;
      throw error;
    });
  }

  private async calibration(): Promise<Calibration | null> {
    if (this.source === null) return null;
    const { dataset } = await this.loadData();
    if (dataset.train) return { data: { images: dataset.train, run: runModelWithRuntime }, note: null };
    return {
      data: { images: dataset.test, run: runModelWithRuntime },
      note: `calibrated on the test split: ${dataset.name} has no train split, so accuracy is measured on the images the ranges were chosen from`,
    };
  }
}
