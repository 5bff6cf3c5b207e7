// The 12-variant sweep (pipelineSweep.ts) run by the executor with the in-process services in Node —
// the CLI's path: passes with the pass kernels, evaluation by ONNX Runtime Web's Node build on the
// whole Fashion-MNIST test split. Timed from runPipeline's call: the first point (the model's own
// evaluation), the first compressed variant done, and the whole run.
import { performance } from 'node:perf_hooks';
import { loadDataset, loadModel } from '../cli/pipelineInputs.js';
import { createInProcessServices } from '../src/core/pipeline/executor/inProcessServices.js';
import { runPipeline } from '../src/core/pipeline/executor/runPipeline.js';
import { PIPELINE_SWEEP, SWEEP_VARIANTS } from './pipelineSweep.js';

export interface NodeRunResult {
  variants: number;
  done: number;
  firstPointMs: number;
  firstVariantPointMs: number;
  totalMs: number;
  data: string;
}

export async function benchmarkPipelineInNode(log: (line: string) => void): Promise<NodeRunResult> {
  const model = await loadModel(PIPELINE_SWEEP.model, undefined, 'the benchmark pipeline');
  const data = await loadDataset(PIPELINE_SWEEP.dataset, undefined, 'the benchmark pipeline', PIPELINE_SWEEP);
  if (!data) throw new Error('the benchmark pipeline names no dataset');
  log(`running ${SWEEP_VARIANTS} variants in Node (in-process services, whole test split) ...`);
  const services = await createInProcessServices({ data: { dataset: data.dataset, key: data.key }, modelFileName: model.fileName });
  const start = performance.now();
  let firstPointMs = 0;
  let firstVariantPointMs = 0;
  let description = '';
  const run = await runPipeline(PIPELINE_SWEEP, {
    services,
    model: model.bytes,
    onEvent: (event) => {
      if (event.type === 'started') description = event.data?.description ?? 'no data';
      if (event.type !== 'variant' || event.status !== 'done') return;
      const at = performance.now() - start;
      firstPointMs ||= at;
      if (event.variantId !== 'model') firstVariantPointMs ||= at;
    },
  });
  return {
    variants: SWEEP_VARIANTS,
    done: run.variants.filter((outcome) => outcome.status === 'done').length - 1,
    firstPointMs,
    firstVariantPointMs,
    totalMs: performance.now() - start,
    data: description,
  };
}
