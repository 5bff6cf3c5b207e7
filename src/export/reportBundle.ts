// The run's report as one .zip: report.md, the chart as pareto.svg, results.json (the results
// contract, as `whittle run --out` writes it) and the pipeline file that ran (as Save writes it), so
// the folder it unpacks to is complete: read the report, open the chart, rerun with the CLI line.
import { strToU8, zipSync } from 'fflate';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import type { WhittleResults } from '../core/results/resultsContract';
import { resultsToJson } from '../core/results/resultsTable';
import { pipelineText } from '../stores/pipelineStore';
import { cliCommand } from './cliCommand';
import { paretoSvg } from './paretoSvg';
import { reportMarkdown } from './reportMarkdown';

export const REPORT_FILES = { report: 'report.md', chart: 'pareto.svg', results: 'results.json' } as const;

export interface ReportBundleInput {
  results: WhittleResults;
  pipeline: PipelineSpec;
  /** What Save names the pipeline file. */
  pipelineFileName: string;
  dataDescription: string | null;
  log: readonly { kind: string; message: string; variantId: string | null }[];
  createdAt: Date;
}

export interface ReportBundle {
  /** whittle-report-STEM.zip */
  fileName: string;
  files: Record<string, string>;
  zip: Uint8Array;
}

export function reportBundle(input: ReportBundleInput): ReportBundle {
  const command = cliCommand(input.pipeline, input.pipelineFileName);
  const files: Record<string, string> = {
    [REPORT_FILES.report]: reportMarkdown({
      results: input.results,
      pipeline: input.pipeline,
      dataDescription: input.dataDescription,
      log: input.log,
      cliCommand: command,
      chartFile: REPORT_FILES.chart,
      resultsFile: REPORT_FILES.results,
      pipelineFile: input.pipelineFileName,
      createdAt: input.createdAt,
    }),
    [REPORT_FILES.chart]: paretoSvg(input.results),
    [REPORT_FILES.results]: resultsToJson(input.results),
    [input.pipelineFileName]: pipelineText(input.pipeline),
  };
  const stem = input.pipelineFileName.replace(/\.whittle\.json$|\.json$/i, '') || 'pipeline';
  const mtime = input.createdAt;
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, [strToU8(text), { mtime }]])), { level: 6 });
  return { fileName: `whittle-report-${stem}.zip`, files, zip };
}
