// `npm run bench -- pipeline`: issue 5's pipeline figures in one run, with the machine's load
// before and after each part (two cores shared with whatever else runs stretch every timing):
//  (a) the 12-variant fashion-cnn sweep over the whole test split — in the built studio in
//      Chromium (pipelineStudio.bench.ts: engine and eval workers, the real path) and with the
//      in-process services in Node (pipelineNode.bench.ts: the CLI's path); total time and time to
//      the first point;
//  (b) evaluation throughput, ONNX Runtime Web in Chromium against onnxruntime-node
//      (pipelineEvalThroughput.bench.ts);
//  (c) the main thread's long tasks during the studio run of (a).
import { loadavg } from 'node:os';
import { renderTable } from '../cli/format/textTable.js';
import { benchmarkEvalThroughput, type EvalThroughputResult } from './pipelineEvalThroughput.bench.js';
import { benchmarkPipelineInNode, type NodeRunResult } from './pipelineNode.bench.js';
import { benchmarkPipelineInStudio, type StudioRunOutcome } from './pipelineStudio.bench.js';

export interface PipelineBenchResult {
  studio: StudioRunOutcome & { load: string };
  node: NodeRunResult & { load: string };
  evaluation: EvalThroughputResult & { load: string };
}

const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');
const seconds = (ms: number) => (ms / 1000).toFixed(1);

export async function benchmarkPipeline(log: (line: string) => void): Promise<PipelineBenchResult> {
  let before = load();
  const studio = await benchmarkPipelineInStudio(log);
  const studioLoad = `${before} → ${load()}`;
  before = load();
  const node = await benchmarkPipelineInNode(log);
  const nodeLoad = `${before} → ${load()}`;
  before = load();
  const evaluation = await benchmarkEvalThroughput(log);
  return { studio: { ...studio, load: studioLoad }, node: { ...node, load: nodeLoad }, evaluation: { ...evaluation, load: `${before} → ${load()}` } };
}

export function printPipelineBenchmark(result: PipelineBenchResult): void {
  const { studio, node, evaluation } = result;
  console.log('Pipeline run — fashion-cnn, quantize bits 8, 4, 3, 2 × granularity tensor, channel, group (12 variants + the model), whole Fashion-MNIST test split (10,000 images)');
  const rows: string[][] = [];
  if ('skipped' in studio) rows.push(['studio in Chromium (workers)', '—', '—', '—', `skipped: ${studio.skipped}`]);
  else rows.push(['studio in Chromium (workers)', seconds(studio.firstPointMs), seconds(studio.firstVariantPointMs), seconds(studio.totalMs), `${studio.points} points; ${studio.runtime}; load ${studio.load}`]);
  rows.push(['in-process services, Node', seconds(node.firstPointMs), seconds(node.firstVariantPointMs), seconds(node.totalMs), `${node.done} of ${node.variants} done; load ${node.load}`]);
  console.log(renderTable([{ header: 'path' }, { header: 'first point s', align: 'right' }, { header: 'first variant s', align: 'right' }, { header: 'total s', align: 'right' }, { header: 'notes' }], rows));
  if (!('skipped' in studio)) {
    console.log(`  main-thread long tasks during the studio run (PerformanceObserver 'longtask', > 50 ms): ${studio.longTasks.length}, longest ${studio.longestTaskMs} ms [${studio.longTasks.join(', ')}]`);
    console.log(`  of which tasks that drew a landing point on the chart: ${studio.landingTasks.length} of the ${studio.landings} tasks that drew one [${studio.landingTasks.join(', ')}]`);
  }
  console.log(`\nEvaluation throughput — fashion-cnn, whole test split, batches of 256 (${evaluation.browser}, crossOriginIsolated ${evaluation.crossOriginIsolated}; load ${evaluation.load})`);
  console.log(
    renderTable(
      [{ header: 'runtime' }, { header: 'threads', align: 'right' }, { header: 'images/s', align: 'right' }, { header: 'accuracy', align: 'right' }],
      evaluation.rows.map((row) => [row.runtime, String(row.threads), row.imagesPerSecond.toFixed(0), row.accuracy === null ? '—' : `${(100 * row.accuracy).toFixed(2)} %`]),
    ),
  );
  console.log(`  Chromium ÷ onnxruntime-node: ${evaluation.webOverNative.toFixed(2)}×\n`);
}
