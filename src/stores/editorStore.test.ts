// The editor store: selection of pipeline nodes (unknown ids select nothing; a selection whose node
// goes away — removed, or undone — is cleared) and the centre view.
import { beforeEach, describe, expect, it } from 'vitest';
import { addBlock, removeNodes } from '../editor/pipelineEdits';
import { useEditorStore } from './editorStore';
import { suggestedPipeline, usePipelineStore } from './pipelineStore';

beforeEach(() => {
  usePipelineStore.setState({ pipeline: suggestedPipeline() });
  usePipelineStore.temporal.getState().clear();
  useEditorStore.setState({ selectedBlockId: null, centerView: 'pipeline' });
});

describe('useEditorStore', () => {
  it('selects nodes of the pipeline only', () => {
    useEditorStore.getState().selectBlock('q');
    expect(useEditorStore.getState().selectedBlockId).toBe('q');
    useEditorStore.getState().selectBlock('nope');
    expect(useEditorStore.getState().selectedBlockId).toBeNull();
  });

  it('clears a selection whose node is removed or undone', () => {
    usePipelineStore.getState().edit((pipeline) => addBlock(pipeline, 'prune').pipeline);
    useEditorStore.getState().selectBlock('prune-1');
    usePipelineStore.temporal.getState().undo();
    expect(useEditorStore.getState().selectedBlockId).toBeNull();
    useEditorStore.getState().selectBlock('q');
    usePipelineStore.getState().edit((pipeline) => removeNodes(pipeline, ['q']));
    expect(useEditorStore.getState().selectedBlockId).toBeNull();
  });

  it('switches the centre view, and showBlock brings the pipeline forward', () => {
    useEditorStore.getState().setCenterView('model');
    expect(useEditorStore.getState().centerView).toBe('model');
    const before = useEditorStore.getState().revealRequest;
    useEditorStore.getState().showBlock('q');
    expect(useEditorStore.getState()).toMatchObject({ centerView: 'pipeline', selectedBlockId: 'q', revealRequest: before + 1 });
  });
});
