// Opening share links against the real stores (models are not opened: openSample and openBuffers
// are recorded instead): a refused link changes nothing and runs nothing; a good one loads its
// pipeline, opens its sample and offers to run; a link for the user's own model asks for the file,
// refuses one with another SHA-256 and opens the right one.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../core/pipeline/cacheKey';
import { encodeShareHash } from '../core/share/shareLink';
import { goodLink, tamperedLinks } from '../core/share/testing/tamperedLinks';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { useModelStore } from '../stores/modelStore';
import { suggestedPipeline, usePipelineStore } from '../stores/pipelineStore';
import { useRunStore } from '../stores/runStore';
import { chooseRequestedModelFile, openShareHash } from './openShareLink';
import { usePersistenceStore } from './persistenceStore';

const openSample = vi.fn(async (_id?: string) => undefined);
const openBuffers = vi.fn(async (_files: { name: string; bytes: ArrayBuffer }[]) => undefined);
const run = vi.fn(async () => undefined);

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

beforeEach(async () => {
  openSample.mockClear();
  openBuffers.mockClear();
  run.mockClear();
  useModelStore.setState({ model: null, sampleCard: null, openSample, openBuffers });
  useRunStore.setState({ run });
  await settle();
  usePipelineStore.setState({ pipeline: suggestedPipeline({ kind: 'sample', id: 'fashion-cnn' }), fileName: null, problem: null, notes: [] });
  usePersistenceStore.setState({ linkProblem: null, runOffer: false, modelFileRequest: null });
});

describe('openShareHash', () => {
  it('ignores a hash that is not a share link', () => {
    expect(openShareHash('#section-2')).toBe('none');
    expect(usePersistenceStore.getState().linkProblem).toBeNull();
  });

  it.each(tamperedLinks().map((link) => [link.name, link] as const))('%s: refused with its message, nothing changed, nothing run', (_name, link) => {
    const before = usePipelineStore.getState().pipeline;
    expect(openShareHash(link.hash)).toBe('refused');
    expect(usePersistenceStore.getState().linkProblem!.join('\n')).toContain(link.message);
    expect(usePipelineStore.getState().pipeline).toBe(before);
    expect(usePipelineStore.getState().problem).toBeNull();
    expect(usePersistenceStore.getState().runOffer).toBe(false);
    expect(openSample).not.toHaveBeenCalled();
    expect(run).not.toHaveBeenCalled();
  });

  it('loads a good link, opens its sample and offers to run without running', () => {
    usePersistenceStore.setState({ linkProblem: ['an earlier one'] });
    expect(openShareHash(goodLink())).toBe('loaded');
    const pipeline = usePipelineStore.getState().pipeline;
    expect(pipeline.model).toEqual({ sample: 'fashion-mlp' });
    expect(pipeline.nodes.map((node) => node.id)).toEqual(['model', 'p', 'q']);
    expect(openSample).toHaveBeenCalledWith('fashion-mlp');
    expect(usePersistenceStore.getState()).toMatchObject({ linkProblem: null, runOffer: true, modelFileRequest: null });
    expect(run).not.toHaveBeenCalled();
  });

  it("asks for the user's own model, refuses another file and opens the one with the named SHA-256", async () => {
    const mine = new Uint8Array([8, 0, 1, 2, 3, 4]);
    const sha256 = await sha256Hex(mine);
    const pipeline = { ...usePipelineStore.getState().pipeline, model: { name: 'mine.onnx', sha256 }, dataset: undefined } as PipelineSpec;
    const encoded = encodeShareHash(pipeline);
    if (!encoded.ok) throw new Error(encoded.errors.join('; '));
    expect(openShareHash(encoded.hash)).toBe('loaded');
    await settle();
    expect(usePersistenceStore.getState()).toMatchObject({ runOffer: false, modelFileRequest: { name: 'mine.onnx', sha256, refusal: null } });
    expect(openSample).not.toHaveBeenCalled();

    expect(await chooseRequestedModelFile(new File([new Uint8Array([9, 9])], 'other.onnx'))).toBe(false);
    expect(usePersistenceStore.getState().modelFileRequest!.refusal).toContain("'other.onnx' is not the model this pipeline was made for");
    expect(openBuffers).not.toHaveBeenCalled();

    expect(await chooseRequestedModelFile(new File([mine], 'renamed.onnx'))).toBe(true);
    expect(openBuffers).toHaveBeenCalledTimes(1);
    expect(new Uint8Array(openBuffers.mock.calls[0]![0][0]!.bytes)).toEqual(mine);
    expect(usePersistenceStore.getState()).toMatchObject({ runOffer: true, modelFileRequest: null });
  });
});
