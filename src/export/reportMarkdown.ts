// The run's report as Markdown: what ran (model, data, the pipeline's blocks), the results table
// with every contract column, the Pareto chart (the SVG beside it in the bundle), variants that did
// not finish, the run's log, and the CLI line that reproduces it.
import type { PipelineSpec, ResourceRef } from '../core/pipeline/pipelineSpec';
import { METRIC_NAMES, type WhittleResults } from '../core/results/resultsContract';
import { formatMetric, formatSweptParams, METRIC_LABELS } from '../results/formatMetric';

export interface ReportInput {
  results: WhittleResults;
  /** The pipeline that ran. */
  pipeline: PipelineSpec;
  /** What the evaluation measured on ("Fashion-MNIST: all 10,000 test images"); null: sizes only. */
  dataDescription: string | null;
  log: readonly { kind: string; message: string; variantId: string | null }[];
  cliCommand: string;
  /** File names inside the bundle. */
  chartFile: string;
  resultsFile: string;
  pipelineFile: string;
  /** When the report was made. */
  createdAt: Date;
}

/** A table cell: pipes and line breaks would end the cell or the row. */
export function markdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

/** Inline text outside tables: characters that would start HTML or links are escaped. */
function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (char) => `\\${char}`);
}

function describeRef(ref: ResourceRef | undefined, what: string): string {
  if (!ref) return `no ${what}`;
  if (typeof ref.sample === 'string') return `the bundled sample \`${ref.sample}\``;
  return `your file \`${String(ref.name).replace(/`/g, "'")}\` (SHA-256 ${String(ref.sha256).slice(0, 16)}…)`;
}

export function reportMarkdown(input: ReportInput): string {
  const { results, pipeline } = input;
  const lines: string[] = [];
  lines.push('# Whittle report', '');
  lines.push(`Made ${input.createdAt.toISOString().replace('T', ' ').slice(0, 16)} UTC by Whittle in the browser; nothing left the machine.`, '');
  lines.push(`- Model: ${describeRef(pipeline.model, 'model')}`);
  lines.push(`- Data: ${pipeline.dataset ? describeRef(pipeline.dataset, 'dataset') : 'none (sizes only)'}${input.dataDescription ? ` — ${markdownText(input.dataDescription)}` : ''}`);
  const blocks = pipeline.nodes.filter((node) => node.type !== 'model');
  lines.push(`- Pipeline: ${blocks.length === 0 ? 'the model alone' : blocks.map((node) => `\`${node.id}\` (${node.type})`).join(', ')} — \`${input.pipelineFile}\``);
  lines.push('');
  lines.push('## Results', '');
  const header = ['Variant', 'Swept', 'File', ...METRIC_NAMES.map((name) => METRIC_LABELS[name])];
  lines.push(`| ${header.map(markdownCell).join(' | ')} |`);
  lines.push(`| ${header.map((_, index) => (index < 3 ? '---' : '---:')).join(' | ')} |`);
  for (const variant of results.variants) {
    const cells = [variant.id, formatSweptParams(variant.params), variant.file, ...METRIC_NAMES.map((name) => formatMetric(name, variant.metrics[name]))];
    lines.push(`| ${cells.map(markdownCell).join(' | ')} |`);
  }
  lines.push('');
  lines.push(`![Accuracy against file size: the Pareto chart of this run](${input.chartFile})`, '');
  lines.push(`Every figure is in \`${input.resultsFile}\` (the Whittle results document).`, '');
  const failures = Array.isArray(results.failures) ? (results.failures as { id?: unknown; status?: unknown; message?: unknown }[]) : [];
  if (failures.length > 0) {
    lines.push('## Variants that did not finish', '');
    for (const failure of failures) lines.push(`- \`${String(failure.id)}\` ${String(failure.status)}: ${markdownText(String(failure.message ?? ''))}`);
    lines.push('');
  }
  if (input.log.length > 0) {
    lines.push('## Run log', '');
    for (const entry of input.log) lines.push(`- ${entry.kind}${entry.variantId ? ` (\`${entry.variantId}\`)` : ''}: ${markdownText(entry.message)}`);
    lines.push('');
  }
  lines.push('## Run it again', '');
  lines.push('From a checkout of Whittle, next to the pipeline file:', '');
  lines.push('```sh', input.cliCommand, '```', '');
  return `${lines.join('\n')}`;
}
