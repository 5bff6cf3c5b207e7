// The engine worker's half of the pipeline services: models held by key as their bytes and opened
// Graph, passes run on them through the pass registry, sizes measured on the serialized result. It
// mirrors src/core/pipeline/executor/inProcessServices.ts (the Node services), so a pipeline gives
// the same models in the studio as in the CLI.
//
// Calibration data is loaded only when a block that learns from data runs (blockLearnsFromData, the
// predicate that also keys those blocks by the data), so a weights-only pipeline never fetches the
// 47 MB train split. It calibrates on the train split when the data has one, else on the test split,
// and says so in a note, as the in-process services do.
import { createPassKernels } from '../../src/kernels/createPassKernels';
import type { PassKernels } from '../../src/kernels/PassKernels';
import { modelFromGraph, type Graph } from '../../src/core/graph/Graph';
import { measureModelSize } from '../../src/core/graph/modelSize';
import { openModel } from '../../src/core/graph/openModel';
import { encodeModel } from '../../src/core/onnx/modelFile';
import { GRAPH_PASS_TYPES, isGraphPassType, runBlockPass } from '../../src/core/passes/passRegistry';
import { PassError, type CalibrationData, type PassContext } from '../../src/core/passes/Pass';
import type { ModelReport, ModelSizes, PassRequest } from '../../src/core/pipeline/executor/PipelineServices';
import { runModelWithRuntime } from '../../src/core/pipeline/executor/runtimeRunModel';
import { blockLearnsFromData } from '../../src/core/pipeline/executor/variantKeys';
import type { DatasetSource } from '../protocol';
import { loadDatasetSource, type LoadedDataset } from './loadDatasetSource';
import type { CallContext } from './workerCalls';

interface HeldModel {
  bytes: Uint8Array;
  graph: Graph;
}

interface Calibration {
  data: CalibrationData;
  note: string | null;
}

export class EngineModels {
  private readonly models = new Map<string, HeldModel>();
  private kernels: Promise<PassKernels> | null = null;
  private source: DatasetSource | null = null;
  private calibrationLoad: Promise<LoadedDataset> | null = null;

  /** The data later calibrating passes read; loaded on first use. */
  setData(source: DatasetSource | null): void {
    this.source = source;
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

  async runPass({ inputKey, outputKey, type, params }: PassRequest, call: CallContext): Promise<ModelReport> {
    if (!isGraphPassType(type)) {
      throw new PassError(type, `${type} blocks cannot run yet: this version of Whittle has no ${type} pass (blocks that run: ${GRAPH_PASS_TYPES.join(', ')})`);
    }
    const input = this.held(inputKey);
    const notes: string[] = [];
    const ctx: PassContext = { kernels: await this.passKernels(), progress: call.progress, signal: call.signal };
    if (blockLearnsFromData(type, params)) {
      const calibration = await this.calibration();
      if (calibration) {
        ctx.calibration = calibration.data;
        if (calibration.note) notes.push(calibration.note);
      }
    }
    const graph = await runBlockPass(type, input.graph, params, ctx);
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

  private async calibration(): Promise<Calibration | null> {
    if (this.source === null) return null;
    this.calibrationLoad ??= loadDatasetSource(this.source, true);
    const load = this.calibrationLoad;
    // A failed load is not remembered: the next pass that needs the data tries again.
    const { dataset } = await load.catch((error: unknown) => {
      if (this.calibrationLoad === load) this.calibrationLoad = null;
      throw error;
    });
    if (dataset.train) return { data: { images: dataset.train, run: runModelWithRuntime }, note: null };
    return {
      data: { images: dataset.test, run: runModelWithRuntime },
      note: `calibrated on the test split: ${dataset.name} has no train split, so accuracy is measured on the images the ranges were chosen from`,
    };
  }
}
