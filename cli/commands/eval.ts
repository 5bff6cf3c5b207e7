// `whittle eval MODEL.onnx --data D.npz [--json]`: the metrics of one model — size figures,
// accuracy on the data's test split and latency — computed by the same executor and services as
// `whittle run` (a pipeline of the model node alone). --json prints
// { "type": "whittle-eval", "version": 1, "model", "dataset", "evaluation", "metrics" } with the
// results contract's metric names.
import { basename } from 'node:path';
import type { VariantMetrics } from '../../src/core/results/resultsContract.js';
import { restorePipeline } from '../../src/core/pipeline/restorePipeline.js';
import { metricCells } from '../format/resultsText.js';
import { renderTable } from '../format/textTable.js';
import { parseArguments } from '../parseArguments.js';
import { loadDataset, loadModel } from '../pipelineInputs.js';
import { UsageError } from '../usageError.js';
import type { CommandIO } from './CommandIO.js';
import { INTERRUPTED_EXIT_CODE, runWithProgress } from './run.js';

export interface EvalPayload {
  type: 'whittle-eval';
  version: 1;
  /** The model's file name. */
  model: string;
  /** The dataset's file name. */
  dataset: string;
  /** Which images were evaluated: "fashion-mnist-test-500.npz: all 500 test images". */
  evaluation: string;
  metrics: VariantMetrics;
}

const MODEL_ONLY = restorePipeline({ type: 'whittle-pipeline', version: 1, nodes: [{ id: 'model', type: 'model' }], edges: [] });

export const evalCommand = {
  async run(args: readonly string[], io: CommandIO): Promise<number> {
    const { positionals, flags, values } = parseArguments('eval', args, ['json'], ['data']);
    if (positionals.length === 0) throw new UsageError('eval: missing MODEL.onnx');
    if (positionals.length > 1) throw new UsageError(`eval: takes one model file, got ${positionals.length}`);
    const dataPath = values.get('data');
    if (dataPath === undefined) throw new UsageError('eval: --data D.npz is required (the images and labels to evaluate on)');
    const modelPath = positionals[0]!;
    const model = await loadModel(undefined, modelPath, modelPath);
    const data = (await loadDataset(undefined, dataPath, dataPath))!;
    if (!MODEL_ONLY.ok) throw new Error(`the model-only pipeline does not restore: ${MODEL_ONLY.errors.join('; ')}`);

    const { run, services } = await runWithProgress(MODEL_ONLY.pipeline, model, data, io);
    if (run.status === 'cancelled') {
      io.err.write('whittle: cancelled\n');
      return INTERRUPTED_EXIT_CODE;
    }
    const outcome = run.variants[0]!;
    if (outcome.status !== 'done') {
      io.err.write(`whittle: ${outcome.message ?? 'the evaluation did not finish'}\n`);
      return 1;
    }
    const description = (await services.data())?.description ?? data.source;
    const payload: EvalPayload = { type: 'whittle-eval', version: 1, model: basename(modelPath), dataset: data.source, evaluation: description, metrics: outcome.metrics! };
    if (flags.has('json')) {
      io.out.write(`${JSON.stringify(payload, null, 2)}\n`);
    } else {
      const rows = [['model', payload.model], ['data', payload.evaluation], ...metricCells(payload.metrics).filter((cell) => cell.label !== 'agreement' && cell.label !== 'SQNR').map((cell) => [cell.label, cell.value])];
      io.out.write(renderTable([{ header: '' }, { header: '' }], rows, { indent: 0, headerless: true }));
    }
    return 0;
  },
};
