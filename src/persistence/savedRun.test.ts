// Saving and restoring a finished run: a real executor run (over the executor's FakeServices) goes
// through the results store's reducer, is kept as autosave keeps it (a structured clone, as
// IndexedDB stores it), and comes back with the same chart points, table rows, statuses and log;
// damaged saves are refused with a reason.
import { describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../core/pipeline/executor/PipelineEvent';
import { runPipeline } from '../core/pipeline/executor/runPipeline';
import { FakeServices } from '../core/pipeline/executor/testing/FakeServices';
import { pipelineOf } from '../core/pipeline/testPipelines';
import { EMPTY_RUN, reduceRunEvent, useResultsStore, type ResultsRun } from '../stores/resultsStore';
import { autosaveDocument, restoreAutosave } from './autosaveDocument';
import { restoreSavedRun, savedRunOf } from './savedRun';

const MODEL = new Uint8Array([1, 2, 3]);
const SWEEP = pipelineOf([{ id: 'q', type: 'quantize', params: { bits: [8, 4, 2] } }]);

async function ranState(services = new FakeServices()): Promise<ResultsRun> {
  const events: PipelineEvent[] = [];
  await runPipeline(SWEEP, { services, model: MODEL, onEvent: (event) => events.push(event) });
  return events.reduce(reduceRunEvent, EMPTY_RUN);
}

describe('saved runs', () => {
  it('come back as they were shown: plan, finished points, statuses, results, log', async () => {
    const state = await ranState();
    const saved = savedRunOf(state, SWEEP)!;
    expect(saved).not.toBeNull();
    const back = restoreSavedRun(structuredClone(saved));
    if (!back.ok) throw new Error(back.reason);
    expect(back.run.plan.map((variant) => variant.id)).toEqual(state.plan.map((variant) => variant.id));
    expect(back.run.finished).toEqual(state.finished);
    expect(back.run.results).toEqual(state.results);
    expect(back.run.status).toBe('done');
    expect(back.run.data).toEqual(state.data);
    expect(Object.values(back.run.progress).map((progress) => progress.status)).toEqual(Object.values(state.progress).map((progress) => progress.status));
    expect(back.run.modelKeys).toEqual({});
  });

  it('keep failed variants failed, with their message', async () => {
    const services = new FakeServices();
    services.hook = (call) => (call.method === 'runPass' && call.params.bits === 4 ? { fail: 'boom at 4 bits' } : 'run');
    const state = await ranState(services);
    expect(state.progress['q[bits=4]']!.status).toBe('failed');
    const back = restoreSavedRun(structuredClone(savedRunOf(state, SWEEP)));
    if (!back.ok) throw new Error(back.reason);
    for (const variant of state.plan) expect(back.run.progress[variant.id]!.status).toBe(state.progress[variant.id]!.status);
    expect(back.run.progress['q[bits=4]']!.message).toContain('boom at 4 bits');
    expect(back.run.log).toEqual(state.log);
  });

  it('are not kept while running, nor without a pipeline', async () => {
    const state = await ranState();
    expect(savedRunOf({ ...state, status: 'running' }, SWEEP)).toBeNull();
    expect(savedRunOf(state, null)).toBeNull();
  });

  it('are refused with a reason when damaged', async () => {
    const saved = savedRunOf(await ranState(), SWEEP)!;
    expect(restoreSavedRun('junk')).toMatchObject({ ok: false, reason: 'the saved run is not an object' });
    expect(restoreSavedRun({ ...saved, status: 'running' })).toMatchObject({ ok: false, reason: expect.stringContaining("status \"running\"") });
    expect(restoreSavedRun({ ...saved, pipeline: undefined })).toMatchObject({ ok: false, reason: 'the saved run does not say which pipeline ran' });
    expect(restoreSavedRun({ ...saved, pipeline: { ...saved.pipeline, nodes: [] } })).toMatchObject({ ok: false, reason: expect.stringContaining('does not restore') });
    expect(restoreSavedRun({ ...saved, results: { ...saved.results, variants: [{ id: 'x' }] } })).toMatchObject({ ok: false, reason: expect.stringContaining('not a valid results document') });
    const other = pipelineOf([{ id: 'p', type: 'prune', params: {} }]);
    expect(restoreSavedRun({ ...saved, pipeline: other })).toMatchObject({ ok: false, reason: expect.stringContaining('which the saved pipeline does not plan') });
  });

  it('are shown again by the results store as a new run', async () => {
    const state = await ranState();
    const back = restoreSavedRun(structuredClone(savedRunOf(state, SWEEP)));
    if (!back.ok) throw new Error(back.reason);
    const before = useResultsStore.getState().runId;
    useResultsStore.getState().restoreSaved(back.run);
    expect(useResultsStore.getState()).toMatchObject({ status: 'done', runId: before + 1, selectedVariantId: null, finished: state.finished });
  });
});

describe('autosave documents', () => {
  it('restore the pipeline, the model and the run', async () => {
    const state = await ranState();
    const document = autosaveDocument(SWEEP, { kind: 'sample', id: 'fashion-mlp' }, savedRunOf(state, SWEEP), new Date(0));
    const back = restoreAutosave(structuredClone(document));
    expect(back.notes).toEqual([]);
    expect(back.pipeline?.nodes.map((node) => node.id)).toEqual(['model', 'q']);
    expect(back.model).toEqual({ kind: 'sample', id: 'fashion-mlp' });
    expect(back.run?.run.finished).toEqual(state.finished);
  });

  it('ignore what is not theirs, or from another version, with a note', () => {
    expect(restoreAutosave(undefined)).toEqual({ pipeline: null, model: null, run: null, notes: [] });
    expect(restoreAutosave('garbage').notes[0]).toContain('was not recognised');
    expect(restoreAutosave({ type: 'whittle-autosave', version: 99 }).notes[0]).toContain('another version of Whittle (autosave version 99');
  });

  it('keep the parts that restore and say which did not', () => {
    const document = { ...autosaveDocument(SWEEP, null, null), pipeline: { type: 'whittle-pipeline', version: 1, nodes: [{ id: 'model', type: 'model' }, { id: 'q', type: 'quantize', params: { bits: 5 } }], edges: [{ source: 'model', target: 'q' }] }, model: { kind: 'file', name: 'x.onnx', sha256: 'nope' }, run: { status: 'done' } };
    const back = restoreAutosave(document);
    expect(back.pipeline).toBeNull();
    expect(back.model).toBeNull();
    expect(back.run).toBeNull();
    expect(back.notes).toEqual([
      expect.stringContaining("The autosaved pipeline could not be restored (node 'q': bits must be"),
      expect.stringContaining('model reference was not readable'),
      expect.stringContaining('The results of the last run could not be shown again'),
    ]);
  });
});
