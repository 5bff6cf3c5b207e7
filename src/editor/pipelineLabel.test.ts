import { describe, expect, it } from 'vitest';
import { suggestedPipeline } from '../stores/pipelineStore';
import { addBlock, moveNodes } from './pipelineEdits';
import { pipelineLabel } from './pipelineLabel';

describe('pipelineLabel', () => {
  it('names the file a pipeline came from', () => {
    expect(pipelineLabel(suggestedPipeline(), 'sweep.whittle.json')).toBe('sweep.whittle.json');
  });

  it('calls the suggested pipeline suggested, for any model and wherever its nodes sit', () => {
    const moved = moveNodes(suggestedPipeline({ kind: 'sample', id: 'mnist-cnn' }), { q: { x: 40, y: 80 } });
    expect(pipelineLabel(moved, null)).toBe('suggested');
  });

  it('calls any other pipeline without a file unsaved', () => {
    const { pipeline } = addBlock(suggestedPipeline(), 'prune');
    expect(pipelineLabel(pipeline, null)).toBe('unsaved');
  });
});
