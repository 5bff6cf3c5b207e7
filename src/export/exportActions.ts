// What the Export menu does, over the stores: download a variant's .onnx (the bytes the run's
// engine holds under the variant's key, runStore.heldModelBytes — nothing is rebuilt), download the run's report bundle, copy the CLI command. Each returns a sentence for the
// user — what was done, or why it could not be.
import { pipelineFileName, usePipelineStore } from '../stores/pipelineStore';
import { currentResults, useResultsStore } from '../stores/resultsStore';
import { heldModelBytes, useRunStore } from '../stores/runStore';
import { cliCommand } from './cliCommand';
import { downloadFile } from './downloadFile';
import { reportBundle } from './reportBundle';

export type ExportOutcome = { ok: true; message: string } | { ok: false; message: string };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The pipeline file name Save would use now (the CLI line and the report name it). */
export function currentPipelineFileName(): string {
  const { pipeline, fileName } = usePipelineStore.getState();
  return pipelineFileName(pipeline, fileName);
}

export async function downloadVariantModel(variantId: string): Promise<ExportOutcome> {
  const results = useResultsStore.getState();
  const variant = results.plan.find((planned) => planned.id === variantId);
  const key = results.modelKeys[variantId];
  if (!variant || !key) return { ok: false, message: `'${variantId}' has no model to download from this session: run the pipeline, then download it.` };
  const held = heldModelBytes(key);
  if (!held) return { ok: false, message: `${variant.fileName} is not held in this session: run the pipeline again to download it.` };
  try {
    const bytes = await held;
    downloadFile(variant.fileName, bytes, 'application/octet-stream');
    return { ok: true, message: `Downloading ${variant.fileName} (${bytes.byteLength.toLocaleString('en-US')} bytes)` };
  } catch (error) {
    return { ok: false, message: `${variant.fileName} could not be downloaded (${errorText(error)}): the studio may no longer hold it — run the pipeline again to download it.` };
  }
}

export function downloadReport(now = new Date()): ExportOutcome {
  const run = useResultsStore.getState();
  const results = currentResults(run);
  if (!results) return { ok: false, message: 'There is no finished run to report on yet: run the pipeline first.' };
  const ran = useRunStore.getState().ranPipeline ?? usePipelineStore.getState().pipeline;
  const { fileName } = usePipelineStore.getState();
  const bundle = reportBundle({ results, pipeline: ran, pipelineFileName: pipelineFileName(ran, fileName), dataDescription: run.data?.description ?? null, log: run.log, createdAt: now });
  downloadFile(bundle.fileName, bundle.zip, 'application/zip');
  return { ok: true, message: `Downloading ${bundle.fileName}: ${Object.keys(bundle.files).join(', ')}` };
}

export async function copyCliCommand(): Promise<ExportOutcome> {
  const { pipeline } = usePipelineStore.getState();
  const command = cliCommand(pipeline, currentPipelineFileName());
  try {
    await navigator.clipboard.writeText(command);
    return { ok: true, message: `Copied: ${command}` };
  } catch {
    return { ok: false, message: `The clipboard is not available here; the command is: ${command}` };
  }
}
