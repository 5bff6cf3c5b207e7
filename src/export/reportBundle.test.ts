// The report bundle from a real executor run (over FakeServices): the zip holds the four files, the
// Markdown has a row per variant with the table's figures, results.json is the contract, the SVG
// has a point per variant, the baseline diamond, the frontier and log-scale ticks, and hostile
// variant or file names are escaped in both.
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../core/pipeline/executor/PipelineEvent';
import { runPipeline } from '../core/pipeline/executor/runPipeline';
import { FakeServices } from '../core/pipeline/executor/testing/FakeServices';
import { pipelineOf } from '../core/pipeline/testPipelines';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import { makeResults, validateResults, type WhittleResults } from '../core/results/resultsContract';
import { formatMetric } from '../results/formatMetric';
import { escapeXml, paretoSvg } from './paretoSvg';
import { reportBundle } from './reportBundle';
import { markdownCell } from './reportMarkdown';

const SWEEP = { ...pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4, 2] } }]), model: { sample: 'fashion-mlp' }, dataset: { sample: 'fashion-mnist' } };

async function sweepResults(): Promise<WhittleResults> {
  let results: WhittleResults | null = null;
  await runPipeline(SWEEP, { services: new FakeServices(), model: new Uint8Array([1]), onEvent: (event: PipelineEvent) => void (event.type === 'finished' && (results = event.run.results)) });
  return results!;
}

describe('reportBundle', () => {
  it('zips report.md, pareto.svg, results.json and the pipeline, each as the studio shows the run', async () => {
    const results = await sweepResults();
    const bundle = reportBundle({ results, pipeline: SWEEP, pipelineFileName: 'fashion-mlp.whittle.json', dataDescription: 'fake data: 100 test images', log: [{ kind: 'note', message: 'a <b>note</b>', variantId: null }], createdAt: new Date('2026-01-02T03:04:05Z') });
    expect(bundle.fileName).toBe('whittle-report-fashion-mlp.zip');
    const files = unzipSync(bundle.zip);
    expect(Object.keys(files).sort()).toEqual(['fashion-mlp.whittle.json', 'pareto.svg', 'report.md', 'results.json']);
    expect(validateResults(JSON.parse(strFromU8(files['results.json']!)))).toEqual({ ok: true, results });
    expect(restorePipeline(strFromU8(files['fashion-mlp.whittle.json']!)).ok).toBe(true);

    const markdown = strFromU8(files['report.md']!);
    for (const variant of results.variants) {
      const row = markdown.split('\n').find((line) => line.startsWith(`| ${variant.id} |`));
      expect(row, variant.id).toContain(`| ${formatMetric('sizeBytes', variant.metrics.sizeBytes)} |`);
      expect(row).toContain(`| ${formatMetric('accuracy', variant.metrics.accuracy)} |`);
    }
    expect(markdown).toContain('Made 2026-01-02 03:04 UTC');
    expect(markdown).toContain('- note: a \\<b\\>note\\</b\\>');
    expect(markdown).toContain('npx whittle run fashion-mlp.whittle.json --out whittle-out/fashion-mlp');

    const svg = strFromU8(files['pareto.svg']!);
    for (const variant of results.variants) expect(svg).toContain(`data-variant-id="${variant.id}"`);
    expect(svg.match(/class="point baseline"/g)).toHaveLength(1);
    expect(svg).toContain('class="frontier"');
    expect(svg.match(/class="x-tick"/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it('draws sizes alone when nothing measured quality, and says so', () => {
    const results = makeResults([
      { id: 'model', path: ['model'], file: 'model.onnx', metrics: { sizeBytes: 1000, gzipBytes: 900, params: 10, nonzeroParams: 10, accuracy: null, agreement: null, sqnrDb: null, latencyMs: null } },
      { id: 'q', path: ['model', 'q'], file: 'q.onnx', metrics: { sizeBytes: 300, gzipBytes: 250, params: 10, nonzeroParams: 10, accuracy: null, agreement: null, sqnrDb: null, latencyMs: null } },
    ]);
    const svg = paretoSvg(results);
    expect(svg).toContain('No quality metric measured (sizes only)');
    expect(svg).not.toContain('class="frontier"');
    expect(svg).not.toContain('NaN');
  });

  it('escapes what could break out of SVG text or a Markdown cell', () => {
    expect(escapeXml(`<script>&"'`)).toBe('&lt;script&gt;&amp;&quot;&apos;');
    expect(markdownCell('a|b\nc')).toBe('a\\|b c');
    const results = makeResults([{ id: 'model', path: ['model'], file: 'model.onnx', metrics: { sizeBytes: 10, gzipBytes: 9, params: 1, nonzeroParams: 1, accuracy: 0.5, agreement: 1, sqnrDb: null, latencyMs: 1 } }]);
    const svg = paretoSvg({ ...results, variants: [{ ...results.variants[0]!, id: '<img onerror=x>' }] });
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;img onerror=x&gt;');
  });
});
