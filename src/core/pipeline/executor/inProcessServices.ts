// PipelineServices that do the work where they are called: passes through the pass registry with
// the passes' kernels ('auto': wasm SIMD, JS where it will not load), evaluation through
// eval/evaluateModel.ts (ONNX Runtime), sizes through graph/modelSize.ts. The CLI and the tests run
// pipelines on these; nothing here needs Node, so a worker could host them too.
//
// Models are held in a Map by key as their bytes and opened Graph (a pass's output Graph is kept as
// the pass made it, sharing unchanged tensors with its input). Static calibration reads the
// dataset's train split when it has one, else its test split — and says so in a note, since
// calibrating on the images accuracy is measured on flatters the result. Training blocks (distill,
// finetune) get ctx.training from trainingSupport.ts: never the test split, their live curve to
// control.onTraining, stopRequested from control.stopSignal. `restart` drops what the service
// holds, as a restarted worker would.
import { createKernels } from '../../../kernels/createKernels.js';
import type { Kernels } from '../../../kernels/Kernels.js';
import { createPassKernels } from '../../../kernels/createPassKernels.js';
import type { PassKernels } from '../../../kernels/PassKernels.js';
import type { Dataset } from '../../eval/datasets/Dataset.js';
import { evaluateModel } from '../../eval/evaluateModel.js';
import { planEvaluation } from '../../eval/evaluationPlan.js';
import { modelFromGraph, type Graph } from '../../graph/Graph.js';
import { measureModelSize } from '../../graph/modelSize.js';
import { openModel } from '../../graph/openModel.js';
import { encodeModel } from '../../onnx/modelFile.js';
import { blockPassUnavailable, isTrainingBlockType, runBlockPass } from '../../passes/passRegistry.js';
import { PassError, type CalibrationData, type PassContext, type RunModel } from '../../passes/Pass.js';
import type {
  DataDescription,
  EvaluationFigures,
  EvaluationRequest,
  ModelReport,
  ModelSizes,
  PassRequest,
  PipelineServices,
  PutModelRequest,
  ServiceCallControl,
  ServiceName,
} from './PipelineServices.js';
import { runModelWithRuntime } from './runtimeRunModel.js';
import { TrainingSupport } from './trainingSupport.js';

export interface InProcessData {
  dataset: Dataset;
  /** What identifies the dataset's content: a file's SHA-256, or 'sample:fashion-mnist'. */
  key: string;
}

export interface InProcessServicesOptions {
  /** The passes' kernels; createPassKernels('auto') by default. */
  kernels?: PassKernels;
  /** The data to evaluate and calibrate on; null or absent: size figures only. */
  data?: InProcessData | null;
  /** Evaluation settings (eval/evaluateModel.ts): quick subset, timed latency runs, batch size. */
  evaluation?: { quick?: boolean; latencyRuns?: number; batchSize?: number };
  /** How calibration runs a model; ONNX Runtime through eval/ort.ts by default. */
  runModel?: RunModel;
  /** The original model's file name, for messages about it ("fashion-mlp.onnx: ..."). */
  modelFileName?: string;
  /** The training blocks' kernels; createKernels('auto') (wasm SIMD, else JS) by default. */
  trainingKernels?: Kernels;
  /** Bundled sample models by id, for distill's `{ sample }` students (the CLI reads public/samples/). */
  loadSampleModel?: (id: string) => Promise<Uint8Array>;
}

interface HeldModel {
  bytes: Uint8Array;
  graph: Graph;
}

function sizesOf(bytes: Uint8Array, graph: Graph, kernels: PassKernels): ModelSizes {
  const { sizeBytes, gzipBytes, params, nonzeroParams } = measureModelSize(bytes, graph, kernels);
  return { sizeBytes, gzipBytes, params, nonzeroParams };
}

export class InProcessServices implements PipelineServices {
  private readonly models = new Map<string, HeldModel>();
  private reference: Float32Array | null = null;
  private readonly training: TrainingSupport;

  constructor(
    private readonly kernels: PassKernels,
    private readonly options: Omit<InProcessServicesOptions, 'kernels'>,
  ) {
    const given = options.trainingKernels;
    this.training = new TrainingSupport(async () => ({ kernels: given ?? (await createKernels('auto')), note: null }), options.loadSampleModel);
  }

  async putModel({ key, bytes }: PutModelRequest): Promise<ModelReport> {
    const { graph } = openModel(bytes, { fileName: this.options.modelFileName ?? 'model.onnx' });
    this.models.set(key, { bytes, graph });
    return { key, sizes: sizesOf(bytes, graph, this.kernels), notes: [] };
  }

  async runPass({ inputKey, outputKey, type, params, training }: PassRequest, control: ServiceCallControl): Promise<ModelReport> {
    const unavailable = blockPassUnavailable(type);
    if (unavailable !== null) throw new PassError(type, unavailable);
    const input = this.held(inputKey);
    const notes: string[] = [];
    const ctx: PassContext = {
      kernels: this.kernels,
      progress: (fraction, message) => control.onProgress(fraction, message),
      signal: control.signal,
    };
    const calibration = this.calibration();
    if (calibration) {
      // Read only by passes that learn from data; the note says which split when one did.
      Object.defineProperty(ctx, 'calibration', {
        enumerable: true,
        get: () => {
          if (calibration.note && !notes.includes(calibration.note)) notes.push(calibration.note);
          return calibration.data;
        },
      });
    }
    let stopped = false;
    if (isTrainingBlockType(type)) {
      const prepared = await this.training.context({
        type,
        params,
        training,
        data: this.options.data ?? null,
        inputKey,
        original: (key) => this.held(key).graph,
        hooks: {
          report: (point) => control.onTraining?.(point),
          stopRequested: () => (stopped ||= control.stopSignal?.aborted === true),
        },
      });
      ctx.training = prepared.training;
      notes.push(...prepared.notes);
    }
    const graph = await runBlockPass(type, input.graph, params, ctx);
    if (stopped) notes.push('stopped early at your request: the block kept its best checkpoint so far');
    const bytes = encodeModel(modelFromGraph(graph));
    this.models.set(outputKey, { bytes, graph });
    return { key: outputKey, sizes: sizesOf(bytes, graph, this.kernels), notes };
  }

  async evaluate({ key, reference, latency }: EvaluationRequest, control: ServiceCallControl): Promise<EvaluationFigures> {
    const data = this.options.data;
    if (!data) throw new Error('evaluate: these services have no dataset; the executor evaluates only when data() describes one');
    if (!reference && !this.reference) throw new Error('evaluate: no reference logits held; evaluate the model variant with reference: true first');
    const { evaluation = {} } = this.options;
    const result = await evaluateModel(this.held(key).bytes, { images: data.dataset.test }, {
      reference: reference ? undefined : this.reference!,
      quick: evaluation.quick,
      latencyRuns: latency === false ? 0 : evaluation.latencyRuns,
      batchSize: evaluation.batchSize,
      signal: control.signal,
      onProgress: (fraction) => control.onProgress(fraction),
    });
    if (reference) this.reference = result.logits;
    return result.metrics;
  }

  async modelBytes(key: string): Promise<Uint8Array> {
    return this.held(key).bytes;
  }

  async data(): Promise<DataDescription | null> {
    const data = this.options.data;
    if (!data) return null;
    const { quick = false, latencyRuns, batchSize } = this.options.evaluation ?? {};
    const plan = planEvaluation(data.dataset.test, { quick });
    return {
      key: `${data.key} quick=${quick} latencyRuns=${latencyRuns ?? 'default'} batch=${batchSize ?? 'default'}`,
      description: `${data.dataset.name}: ${plan.description}`,
    };
  }

  async restart(service: ServiceName): Promise<void> {
    if (service === 'engine') {
      this.models.clear();
      this.training.forgetData();
    } else this.reference = null;
  }

  /** Keys of the models held now (for tests and diagnostics). */
  heldKeys(): string[] {
    return [...this.models.keys()];
  }

  private held(key: string): HeldModel {
    const model = this.models.get(key);
    if (!model) throw new Error(`no model is held under key ${key.slice(0, 12)}…; put it or build it first`);
    return model;
  }

  private calibration(): { data: CalibrationData; note: string | null } | null {
    const dataset = this.options.data?.dataset;
    if (!dataset) return null;
    const run = this.options.runModel ?? runModelWithRuntime;
    if (dataset.train) return { data: { images: dataset.train, run }, note: null };
    return {
      data: { images: dataset.test, run },
      note: `calibrated on the test split: ${dataset.name} has no train split, so accuracy is measured on the images the ranges were chosen from`,
    };
  }
}

/** In-process services with the passes' kernels ready ('auto' unless given). */
export async function createInProcessServices(options: InProcessServicesOptions = {}): Promise<InProcessServices> {
  const { kernels, ...rest } = options;
  return new InProcessServices(kernels ?? (await createPassKernels('auto')), rest);
}
