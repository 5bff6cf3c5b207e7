// The eval worker's half of the pipeline services: the dataset's test split, the evaluation settings,
// and the reference logits (the model variant's), with every evaluation done by eval/evaluateModel.ts
// in ONNX Runtime, as the in-process services do in Node.
//
// Which backend evaluates is part of what the figures mean (latency most of all), so the data
// description names it and the data key includes it. wasm runs every model, with the threads
// ort.ts chose (several only when the page is cross-origin isolated). WebGPU, when asked for, is
// tried on a one-node model first: no adapter, or no session, and the description says wasm and why.
import { evaluateModel } from '../../src/core/eval/evaluateModel';
import { planEvaluation } from '../../src/core/eval/evaluationPlan';
import { createSession, disposeSession, runtimeThreadCount, type RuntimeBackend } from '../../src/core/eval/ort';
import { ModelBuilder } from '../../src/core/graph/ModelBuilder';
import { DataType } from '../../src/core/onnx/dataType';
import { encodeModel } from '../../src/core/onnx/modelFile';
import type { DataDescription, EvaluationFigures } from '../../src/core/pipeline/executor/PipelineServices';
import type { DatasetSource, EvaluationSettings } from '../protocol';
import { loadDatasetSource, type LoadedDataset } from './loadDatasetSource';
import type { CallContext } from './workerCalls';

/** The backend evaluations will run on, in words for the event log. */
interface RuntimeChoice {
  backend: RuntimeBackend;
  description: string;
}

/** A one-Relu model: enough for ONNX Runtime to show whether a WebGPU session opens. */
function probeModelBytes(): Uint8Array {
  const builder = new ModelBuilder({ opset: 17 });
  const x = builder.input('x', DataType.FLOAT, [1, 4]);
  const [y] = builder.node('Relu', [x]);
  builder.output(y!, DataType.FLOAT, [1, 4]);
  return encodeModel(builder.build());
}

function threadsText(threads: number): string {
  return `${threads} thread${threads === 1 ? '' : 's'}`;
}

async function chooseRuntime(requested: RuntimeBackend): Promise<RuntimeChoice> {
  const wasm = `ONNX Runtime wasm, ${threadsText(runtimeThreadCount())}${runtimeThreadCount() === 1 && globalThis.crossOriginIsolated !== true ? ' (the page is not cross-origin isolated)' : ''}`;
  if (requested !== 'webgpu') return { backend: 'wasm', description: wasm };
  const runtime = await createSession(probeModelBytes(), { backend: 'webgpu' });
  await disposeSession(runtime);
  if (runtime.backend === 'webgpu') return { backend: 'webgpu', description: 'ONNX Runtime WebGPU (models it cannot run fall back to wasm)' };
  return { backend: 'wasm', description: `${wasm}; WebGPU was asked for but is not used: ${runtime.fallbackReason ?? 'unavailable'}` };
}

export class Evaluator {
  private data: LoadedDataset | null = null;
  private settings: EvaluationSettings = {};
  private runtime: RuntimeChoice | null = null;
  private reference: Float32Array | null = null;

  /** Loads the test split of `source`; forgets the reference logits (they belong to other data). */
  async setData(source: DatasetSource, settings: EvaluationSettings): Promise<DataDescription> {
    this.data = null;
    this.reference = null;
    const [data, runtime] = await Promise.all([loadDatasetSource(source, false), chooseRuntime(settings.backend ?? 'wasm')]);
    this.data = data;
    this.settings = settings;
    this.runtime = runtime;
    const { quick = false, latencyRuns, batchSize } = settings;
    const plan = planEvaluation(data.dataset.test, { quick });
    return {
      key: `${data.key} quick=${quick} latencyRuns=${latencyRuns ?? 'default'} batch=${batchSize ?? 'default'} backend=${runtime.backend}`,
      description: `${data.dataset.name}: ${plan.description}; ${runtime.description}`,
    };
  }

  async evaluate(bytes: Uint8Array, reference: boolean, call: CallContext): Promise<EvaluationFigures> {
    if (!this.data || !this.runtime) throw new Error('evaluate: the evaluation worker has no dataset yet; set the data first');
    if (!reference && !this.reference) throw new Error('evaluate: no reference logits held; evaluate the model variant with reference: true first');
    const { quick, latencyRuns, batchSize } = this.settings;
    const result = await evaluateModel(bytes, { images: this.data.dataset.test }, {
      reference: reference ? undefined : this.reference!,
      quick,
      latencyRuns,
      batchSize,
      backend: this.runtime.backend,
      signal: call.signal,
      onProgress: (fraction) => call.progress(fraction),
    });
    if (reference) this.reference = result.logits;
    return result.metrics;
  }
}
