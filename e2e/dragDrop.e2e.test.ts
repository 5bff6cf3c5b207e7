// Dropping files anywhere on the window opens them: the page accepts the drag (so the browser does
// not navigate to the file), shows its drop overlay, and opens the model — with its external-data
// file when both are dropped together.
import { describe, expect, it } from 'vitest';
import { readLayerRows } from './support/panel';
import { useStudioSession } from './support/lifecycle';
import { encodeModel } from '../src/core/onnx/modelFile';
import { attentionModel, expectedView, modelFile, residualModel, textFile, withExternalData } from './support/testModels';

describe('dropping files on the window', () => {
  const session = useStudioSession();

  it('opens a dropped model', async () => {
    const { studio } = session;
    const file = modelFile('dropped-attention.onnx', attentionModel().model);
    const expected = expectedView(file);
    const url = studio.page.url();
    const events = await studio.dropFiles([file], { screenshotWhileDragging: 'drag-drop-hovering' });
    // The page takes the drop (otherwise the browser would open the file itself). Its drop overlay
    // is a nicety outside the DOM contract, so it is not required here.
    expect(events).toMatchObject({ dragoverPrevented: true, dropPrevented: true });
    const state = await studio.waitForModel(file.name);
    expect(state.nodeCount).toBe(expected.opNodeCount);
    expect((await readLayerRows(studio.page)).map((r) => r.id)).toEqual(expected.summary.layers.map((l) => l.id));
    // The page did not navigate to the file, and no drop overlay is left behind.
    expect(studio.page.url()).toBe(url);
    expect(await studio.page.$('[data-testid="drop-overlay"]')).toBeNull();
    await studio.screenshot('drag-drop-opened');
  });

  it('opens a dropped model together with its external-data file', async () => {
    const { studio } = session;
    const { model, data } = withExternalData(residualModel(), 'dropped-residual.onnx.data');
    const files = [
      { name: 'dropped-residual.onnx.data', bytes: data },
      { name: 'dropped-residual.onnx', bytes: encodeModel(model) },
    ];
    const expected = expectedView(files[1]!, [files[0]!]);
    await studio.dropFiles(files);
    const state = await studio.waitForModel('dropped-residual.onnx');
    expect(state.nodeCount).toBe(expected.opNodeCount);
    expect(state.error).toBeNull();
  });

  it('reports a dropped file that is not a model, naming it', async () => {
    const { studio } = session;
    await studio.dropFiles([textFile('dropped-notes.onnx')]);
    const state = await studio.waitForError('dropped-notes.onnx: ');
    expect(state.error).toMatch(/not an ONNX model/i);
    expect((await studio.waitUntil('the previous model to be shown again', (s) => s.graphStatus === 'ready')).modelName).toBe('dropped-residual.onnx');
  });
});
