// The pipeline store: the suggested pipeline, following the open model (sample → its dataset, a
// user's file → { name, sha256 } and no dataset), loading through restorePipeline (a bad document is
// refused with messages naming the node, the current pipeline kept), and Save's file name and text.
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../core/pipeline/cacheKey';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import { addBlock, setParams } from '../editor/pipelineEdits';
import { useModelStore, type LoadedModel } from './modelStore';
import {
  isPipelineFileName,
  namesModel,
  pipelineFileName,
  pipelineText,
  suggestedPipeline,
  usePipelineStore,
  withModelRef,
} from './pipelineStore';

const downloads = vi.hoisted(() => [] as { fileName: string; text: string; type: string }[]);
vi.mock('../results/downloadText', () => ({
  downloadText: (fileName: string, text: string, type: string) => downloads.push({ fileName, text, type }),
}));

const SWEEP_TEXT = JSON.stringify({
  type: 'whittle-pipeline',
  version: 1,
  model: { sample: 'fashion-cnn' },
  dataset: { sample: 'fashion-mnist' },
  nodes: [
    { id: 'model', type: 'model', ui: { x: 10, y: 20 } },
    { id: 'q', type: 'quantize', params: { bits: [8, 4, 3, 2] }, ui: { x: 10, y: 120 } },
  ],
  edges: [{ source: 'model', target: 'q' }],
  ui: { viewport: { x: 0, y: 0, zoom: 1 } },
  futureField: { kept: true },
});

function fakeModel(fileName: string, bytes: Uint8Array): LoadedModel {
  return { summary: { fileName } as LoadedModel['summary'], view: {} as LoadedModel['view'], positions: {} as LoadedModel['positions'], bytes, loadId: 1 };
}

function card(id: string) {
  return { id, name: id, description: '', parameters: 0, dataset: { name: 'x', trainImages: 0, testImages: 0 }, training: { epochs: 1, seconds: 0 }, testAccuracy: 0.9 };
}

/** Lets the store's subscription hash and follow (crypto.subtle is asynchronous). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

const openSample = vi.fn(async (_id?: string) => undefined);

beforeEach(async () => {
  downloads.length = 0;
  openSample.mockClear();
  useModelStore.setState({ model: null, sampleCard: null, openSample });
  await settle();
  usePipelineStore.setState({ pipeline: suggestedPipeline(), fileName: null, problem: null, notes: [] });
});

describe('suggestedPipeline', () => {
  it('is the model then int8 per-channel quantization, valid v1 with defaults filled', () => {
    const pipeline = suggestedPipeline();
    expect(restorePipeline(pipeline)).toMatchObject({ ok: true, pipeline });
    expect(pipeline.nodes.map((node) => [node.id, node.type])).toEqual([['model', 'model'], ['q', 'quantize']]);
    expect(pipeline.nodes[1]!.params).toMatchObject({ bits: 8, granularity: 'channel', symmetric: true, activations: 'none' });
    expect(pipeline.edges).toEqual([{ source: 'model', target: 'q' }]);
    expect(pipeline.model).toBeUndefined();
  });

  it('names a sample model and the dataset the catalog gives it', () => {
    expect(suggestedPipeline({ kind: 'sample', id: 'mnist-cnn' })).toMatchObject({ model: { sample: 'mnist-cnn' }, dataset: { sample: 'mnist' } });
  });
});

describe('withModelRef', () => {
  const loaded = (() => {
    const restored = restorePipeline(SWEEP_TEXT);
    if (!restored.ok) throw new Error(restored.errors.join('; '));
    return restored.pipeline;
  })();

  it('leaves a pipeline that already names the model untouched (its own dataset kept)', () => {
    const withMnist = { ...loaded, dataset: { sample: 'mnist' } } as PipelineSpec;
    expect(withModelRef(withMnist, { kind: 'sample', id: 'fashion-cnn' })).toBe(withMnist);
  });

  it('switches to another sample with that sample’s dataset, keeping nodes, edges, ui and unknown fields', () => {
    const switched = withModelRef(loaded, { kind: 'sample', id: 'mnist-cnn' });
    expect(switched.model).toEqual({ sample: 'mnist-cnn' });
    expect(switched.dataset).toEqual({ sample: 'mnist' });
    expect(switched.nodes).toBe(loaded.nodes);
    expect(switched.ui).toEqual(loaded.ui);
    expect(switched.futureField).toEqual({ kept: true });
    expect(restorePipeline(switched).ok).toBe(true);
  });

  it('names a user file by name and SHA-256 and drops the dataset (size figures only)', () => {
    const sha256 = 'ab'.repeat(32);
    const switched = withModelRef(loaded, { kind: 'file', name: 'mine.onnx', sha256 });
    expect(switched.model).toEqual({ name: 'mine.onnx', sha256 });
    expect(switched).not.toHaveProperty('dataset');
    expect(restorePipeline(switched).ok).toBe(true);
    expect(namesModel(switched.model, { kind: 'file', name: 'renamed.onnx', sha256: sha256.toUpperCase() })).toBe(true);
    expect(namesModel(switched.model, { kind: 'sample', id: 'fashion-cnn' })).toBe(false);
  });
});

describe('pipelineFileName', () => {
  it('is named after the file it came from, else after its model', () => {
    expect(pipelineFileName(suggestedPipeline(), 'sweep.whittle.json')).toBe('sweep.whittle.json');
    expect(pipelineFileName(suggestedPipeline(), 'old.json')).toBe('old.whittle.json');
    expect(pipelineFileName(suggestedPipeline({ kind: 'sample', id: 'fashion-cnn' }), null)).toBe('fashion-cnn.whittle.json');
    expect(pipelineFileName(suggestedPipeline({ kind: 'file', name: 'my model.onnx', sha256: '0'.repeat(64) }), null)).toBe('my model.whittle.json');
    expect(pipelineFileName(suggestedPipeline(), null)).toBe('pipeline.whittle.json');
  });

  it('is always a plain file name ending in .whittle.json, whatever the model was called', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const fileName = pipelineFileName(suggestedPipeline({ kind: 'file', name: name || 'x', sha256: '0'.repeat(64) }), null);
        expect(fileName.endsWith('.whittle.json')).toBe(true);
        expect(fileName).not.toMatch(/[\\/:*?"<>|\u0000-\u001f]/);
        expect(fileName.startsWith('.')).toBe(false);
        expect(fileName.length).toBeLessThanOrEqual(120 + '.whittle.json'.length);
      }),
    );
  });
});

describe('load', () => {
  it('replaces the pipeline with the restored document and remembers the file name', () => {
    expect(usePipelineStore.getState().load(SWEEP_TEXT, 'sweep.whittle.json')).toBe(true);
    const { pipeline, fileName, problem } = usePipelineStore.getState();
    expect(fileName).toBe('sweep.whittle.json');
    expect(problem).toBeNull();
    expect(pipeline.nodes[1]!.params.bits).toEqual([8, 4, 3, 2]);
    expect(pipeline.nodes[1]!.params.granularity).toBe('channel'); // default filled
    expect(pipeline.nodes[1]!.ui).toEqual({ x: 10, y: 120 });
    expect(pipeline.futureField).toEqual({ kept: true });
  });

  it('refuses a document with an error, naming the node, and keeps the pipeline it had', () => {
    usePipelineStore.getState().load(SWEEP_TEXT, 'sweep.whittle.json');
    const before = usePipelineStore.getState().pipeline;
    const bad = SWEEP_TEXT.replace('[8,4,3,2]', '5');
    expect(usePipelineStore.getState().load(bad, 'bits-5.whittle.json')).toBe(false);
    const { pipeline, fileName, problem } = usePipelineStore.getState();
    expect(pipeline).toBe(before);
    expect(fileName).toBe('sweep.whittle.json');
    expect(problem?.source).toBe('bits-5.whittle.json');
    expect(problem?.errors.join('\n')).toMatch(/node 'q': bits must be one of 2, 3, 4, 8, 16; got 5/);
  });

  it('says what it noticed without refusing (a missing version)', () => {
    const noVersion = JSON.stringify({ ...JSON.parse(SWEEP_TEXT), version: undefined });
    expect(usePipelineStore.getState().load(noVersion, 'old.json')).toBe(true);
    expect(usePipelineStore.getState().notes.join(' ')).toMatch(/no version/);
  });

  it('opens the sample a pipeline names when another model is open', async () => {
    useModelStore.setState({ model: fakeModel('mnist-cnn.onnx', new Uint8Array([1])), sampleCard: card('mnist-cnn') });
    await settle();
    usePipelineStore.getState().load(SWEEP_TEXT, 'sweep.whittle.json');
    expect(openSample).toHaveBeenCalledWith('fashion-cnn');
    openSample.mockClear();
    useModelStore.setState({ model: fakeModel('fashion-cnn.onnx', new Uint8Array([2])), sampleCard: card('fashion-cnn') });
    await settle();
    usePipelineStore.getState().load(SWEEP_TEXT, 'again.whittle.json');
    expect(openSample).not.toHaveBeenCalled();
  });

  it('gives a pipeline without a model the open one', async () => {
    useModelStore.setState({ model: fakeModel('fashion-mlp.onnx', new Uint8Array([1])), sampleCard: card('fashion-mlp') });
    await settle();
    const { model: _model, dataset: _dataset, ...modelFree } = JSON.parse(SWEEP_TEXT);
    usePipelineStore.getState().load(modelFree);
    expect(usePipelineStore.getState().pipeline).toMatchObject({ model: { sample: 'fashion-mlp' }, dataset: { sample: 'fashion-mnist' } });
    expect(usePipelineStore.getState().fileName).toBeNull();
  });

  it('reads a file, and refuses one far too large to be a pipeline without reading it', async () => {
    expect(await usePipelineStore.getState().loadFile(new File([SWEEP_TEXT], 'sweep.whittle.json'))).toBe(true);
    expect(usePipelineStore.getState().fileName).toBe('sweep.whittle.json');
    const huge = { name: 'huge.json', size: 10_000_000, text: vi.fn() } as unknown as File;
    expect(await usePipelineStore.getState().loadFile(huge)).toBe(false);
    expect(huge.text).not.toHaveBeenCalled();
    expect(usePipelineStore.getState().problem?.errors[0]).toMatch(/10,000,000 bytes/);
    expect(usePipelineStore.getState().fileName).toBe('sweep.whittle.json');
  });
});

describe('following the open model', () => {
  it('names a sample with its dataset, and a user file by its SHA-256 without a dataset', async () => {
    useModelStore.setState({ model: fakeModel('fashion-cnn.onnx', new Uint8Array([1, 2])), sampleCard: card('fashion-cnn') });
    await settle();
    expect(usePipelineStore.getState().pipeline).toMatchObject({ model: { sample: 'fashion-cnn' }, dataset: { sample: 'fashion-mnist' } });

    const bytes = new Uint8Array([7, 8, 9]);
    useModelStore.setState({ model: fakeModel('fashion-cnn.onnx', bytes), sampleCard: null }); // a user's file of a sample's name
    await settle();
    const { pipeline } = usePipelineStore.getState();
    expect(pipeline.model).toEqual({ name: 'fashion-cnn.onnx', sha256: await sha256Hex(bytes) });
    expect(pipeline).not.toHaveProperty('dataset');
    expect(pipeline.nodes.map((node) => node.id)).toEqual(['model', 'q']);
  });
});

describe('save', () => {
  it('downloads NAME.whittle.json whose text restores to the same pipeline', () => {
    usePipelineStore.getState().load(SWEEP_TEXT, 'sweep.whittle.json');
    usePipelineStore.getState().save();
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.fileName).toBe('sweep.whittle.json');
    expect(downloads[0]!.type).toBe('application/json');
    const again = restorePipeline(downloads[0]!.text);
    expect(again).toMatchObject({ ok: true, pipeline: usePipelineStore.getState().pipeline, notes: [] });
  });

  it('round-trips any valid sweep through its saved text', () => {
    const bits = fc.uniqueArray(fc.constantFrom(2, 3, 4, 8, 16), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(bits, fc.constantFrom('tensor', 'channel', 'group'), (values, granularity) => {
        const document = { ...JSON.parse(SWEEP_TEXT), nodes: [{ id: 'model', type: 'model' }, { id: 'q', type: 'quantize', params: { bits: values, granularity } }] };
        const restored = restorePipeline(document);
        if (!restored.ok) throw new Error(restored.errors.join('; '));
        expect(restorePipeline(pipelineText(restored.pipeline))).toMatchObject({ ok: true, pipeline: restored.pipeline });
      }),
      { numRuns: 50 },
    );
  });
});

it('opens .whittle.json and other .json files as pipelines, never models', () => {
  expect(isPipelineFileName('sweep.whittle.json')).toBe(true);
  expect(isPipelineFileName('Sweep.JSON')).toBe(true);
  expect(isPipelineFileName('model.onnx')).toBe(false);
  expect(isPipelineFileName('weights.data')).toBe(false);
});

describe('edit and undo/redo', () => {
  const history = () => usePipelineStore.temporal.getState();
  const ids = () => usePipelineStore.getState().pipeline.nodes.map((node) => node.id);

  beforeEach(() => history().clear());

  it('makes each edit one undo step, restored with defaults filled, and redoes it', () => {
    const before = usePipelineStore.getState().pipeline;
    usePipelineStore.getState().edit((pipeline) => addBlock(pipeline, 'prune', { after: 'q' }).pipeline);
    usePipelineStore.getState().edit((pipeline) => setParams(pipeline, 'prune-1', { sparsity: 0.7 }));
    expect(usePipelineStore.getState().pipeline.nodes.find((node) => node.id === 'prune-1')!.params).toMatchObject({ sparsity: 0.7, pattern: 'unstructured' });
    expect(history().pastStates).toHaveLength(2);
    history().undo();
    expect(usePipelineStore.getState().pipeline.nodes.find((node) => node.id === 'prune-1')!.params.sparsity).toBe(0.5);
    history().undo();
    expect(usePipelineStore.getState().pipeline).toBe(before);
    history().redo(2);
    expect(ids()).toEqual(['model', 'q', 'prune-1']);
  });

  it('records nothing for an edit that changes nothing, and refuses (throws in development) one that breaks the pipeline', () => {
    usePipelineStore.getState().edit((pipeline) => pipeline);
    expect(history().pastStates).toHaveLength(0);
    const before = usePipelineStore.getState().pipeline;
    expect(() => usePipelineStore.getState().edit((pipeline) => ({ ...pipeline, edges: [] }))).toThrow(/node 'q' has no input/);
    expect(usePipelineStore.getState().pipeline).toBe(before);
    expect(history().pastStates).toHaveLength(0);
  });

  it('makes a load one undo step, and keeps problems, notes and file names out of the history', () => {
    usePipelineStore.getState().load('{ "nope": 1 }', 'bad.json');
    expect(history().pastStates).toHaveLength(0);
    expect(usePipelineStore.getState().load(SWEEP_TEXT, 'sweep.whittle.json')).toBe(true);
    expect(history().pastStates).toHaveLength(1);
    history().undo();
    expect(ids()).toEqual(['model', 'q']);
    expect(usePipelineStore.getState().pipeline.nodes[1]!.params.bits).toBe(8);
  });

  it('follows the open model without an undo step, in the history too', async () => {
    usePipelineStore.getState().edit((pipeline) => addBlock(pipeline, 'cluster').pipeline);
    useModelStore.setState({ model: fakeModel('fashion-mlp.onnx', new Uint8Array([1])), sampleCard: card('fashion-mlp') });
    await settle();
    expect(usePipelineStore.getState().pipeline.model).toEqual({ sample: 'fashion-mlp' });
    expect(history().pastStates).toHaveLength(1);
    history().undo();
    expect(ids()).toEqual(['model', 'q']);
    expect(usePipelineStore.getState().pipeline.model).toEqual({ sample: 'fashion-mlp' });
  });
});
