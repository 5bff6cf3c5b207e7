// A model whose weights live in an external-data file: opened together with that file (both chosen
// at once in the dialog) it shows and runs like any other; opened alone it gets a clear error that
// names the missing file, and the open model stays.
import { describe, expect, it } from 'vitest';
import { formatCount, readLayerRows, readText } from './support/panel';
import { SAMPLE_FILE_NAME, useStudioSession } from './support/lifecycle';
import { encodeModel } from '../src/core/onnx/modelFile';
import { expectedView, residualModel, withExternalData } from './support/testModels';

const MODEL_NAME = 'residual-external.onnx';
const DATA_NAME = 'residual-external.onnx.data';
const { model, data } = withExternalData(residualModel(), DATA_NAME);
const modelFile = { name: MODEL_NAME, bytes: encodeModel(model) };
const dataFile = { name: DATA_NAME, bytes: data };
const expected = expectedView(modelFile, [dataFile]);

describe('a model with external data', () => {
  const session = useStudioSession();

  it('names the missing data file when the model is opened alone, and keeps the open model', async () => {
    const { studio, files } = session;
    await studio.openFiles([await files.write(modelFile)]);
    const state = await studio.waitForError(`${MODEL_NAME}: `);
    expect(state.error).toContain(DATA_NAME);
    expect(state.error).toMatch(/not provided|missing/i);
    const after = await studio.waitUntil('the previous model to be shown again', (s) => s.graphStatus === 'ready');
    expect(after.modelName).toBe(SAMPLE_FILE_NAME);
    await studio.screenshot('external-data-missing');
  });

  it('opens when the model and its data file are selected together', async () => {
    const { studio, files } = session;
    await studio.recordRuntimeBadge();
    await studio.openFiles([await files.write(modelFile), await files.write(dataFile)]);
    const state = await studio.waitForModel(MODEL_NAME);
    expect(state.nodeCount).toBe(expected.opNodeCount);
    expect(state.error).toBeNull();
    const rows = await readLayerRows(studio.page);
    expect(rows.map((r) => r.id)).toEqual(expected.summary.layers.map((l) => l.id));
    // The tied weight is counted once in the totals.
    expect(await readText(studio.page, '[data-testid="layer-totals"]')).toContain(formatCount(expected.summary.totals.params));
    expect((await studio.waitForNewRuntimeResult()).runtimeBackend).toBe('wasm');
    await studio.screenshot('external-data-opened');
  });
});
