// Each node's status as the panel shows it, from the events the real executor emits (runPipeline
// over FakeServices, reduced by resultsStore's reducer): queued before anything ran, running with
// the variants' progress, done with the key metric, failed with the message, skipped descendants.
import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../core/pipeline/executor/PipelineEvent';
import { runPipeline } from '../core/pipeline/executor/runPipeline';
import { FakeServices } from '../core/pipeline/executor/testing/FakeServices';
import { pipelineOf } from '../core/pipeline/testPipelines';
import { EMPTY_RUN, reduceRunEvent, type ResultsRun } from '../stores/resultsStore';
import { keyMetricText, nodeRunView } from './nodeRunStatus';

const MODEL = new Uint8Array([1, 2, 3]);
const CHAIN = pipelineOf([
  { id: 'p', type: 'prune', params: { sparsity: 0.5 } },
  { id: 'q', type: 'quantize', params: { bits: [8, 4, 2] } },
]);

async function recorded(services: FakeServices): Promise<PipelineEvent[]> {
  const events: PipelineEvent[] = [];
  await runPipeline(CHAIN, { services, model: MODEL, onEvent: (event) => events.push(event) });
  return events;
}

const reduce = (events: readonly PipelineEvent[]): ResultsRun => events.reduce(reduceRunEvent, EMPTY_RUN);

describe('nodeRunView', () => {
  it('is null for a node the run did not plan', () => {
    expect(nodeRunView('q', EMPTY_RUN)).toBeNull();
  });

  it('shows every node queued at the start, then running with progress, then done with its key metric', async () => {
    const events = await recorded(new FakeServices());
    const started = events.findIndex((event) => event.type === 'started');
    const atStart = reduce(events.slice(0, started + 1 + 6)); // 'started', then 4 variants and 3 nodes queued (cut inside)
    expect(nodeRunView('q', atStart)).toMatchObject({ status: 'queued', summary: 'queued' });

    const firstRunningOfQ = events.findIndex((event) => event.type === 'node' && event.nodeId === 'q' && event.status === 'running' && event.fraction > 0);
    const midway = reduce(events.slice(0, firstRunningOfQ + 1));
    const running = nodeRunView('q', midway)!;
    expect(running.status).toBe('running');
    expect(running.summary).toMatch(/^running · 0 of 3 done$/);
    expect(running.fraction).toBeGreaterThan(0);
    expect(running.variants.map((variant) => variant.label)).toEqual(['p → bits=8', 'p → bits=4', 'p → bits=2']);

    const end = reduce(events);
    const model = nodeRunView('model', end)!;
    expect(model.status).toBe('done');
    expect(model.variants[0]!.label).toBe('baseline');
    expect(model.summary).toBe(keyMetricText(end.finished.find((result) => result.id === 'model')!.metrics));
    expect(model.summary).toMatch(/^\d+\.\d\d % · /);
    const quantize = nodeRunView('q', end)!;
    expect(quantize.summary).toBe('3 variants done');
    expect(quantize.variants.every((variant) => variant.status === 'done' && variant.fraction === 1 && / % · /.test(variant.text))).toBe(true);
    expect(nodeRunView('p', end)!.variants[0]!.label).toBe('as set');
  });

  it('shows a failed node with the message and its descendants skipped, naming the failure', async () => {
    const services = new FakeServices();
    services.hook = (call) => (call.method === 'runPass' && call.type === 'prune' ? { fail: "node 'p': the pass broke" } : 'run');
    const end = reduce(await recorded(services));
    const prune = nodeRunView('p', end)!;
    expect(prune.status).toBe('failed');
    expect(prune.summary).toMatch(/^failed: .*the pass broke/);
    const quantize = nodeRunView('q', end)!;
    expect(quantize.status).toBe('skipped');
    expect(quantize.summary).toMatch(/^skipped: .*p/);
  });

  it('reads sizes and nonzero parameters when there is no data', () => {
    expect(keyMetricText({ sizeBytes: 2048, gzipBytes: 1000, params: 10, nonzeroParams: 1234, accuracy: null, agreement: null, sqnrDb: null, latencyMs: null })).toBe('2.00 KB · 1,234 nonzero');
    expect(keyMetricText({ sizeBytes: 2048, gzipBytes: 1000, params: 10, nonzeroParams: 1234, accuracy: 0.9251, agreement: 1, sqnrDb: null, latencyMs: 1 })).toBe('92.51 % · 2.00 KB');
  });
});
