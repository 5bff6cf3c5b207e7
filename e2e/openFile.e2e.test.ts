// A user opens their own model with the Open button's file dialog: the studio shows its name, its
// graph and its layers; the layer table sorts by parameters; selecting a node on the canvas selects
// its row, and selecting a row selects its node.
import { describe, expect, it } from 'vitest';
import { formatCount, quoteAttribute, readGraphNodes, readLayerRows, readText } from './support/panel';
import { useStudioSession } from './support/lifecycle';
import { attentionModel, customOpModel, expectedView, modelFile } from './support/testModels';

const FILE_NAME = 'attention-block.onnx';
const { model, unnamedNodeId } = attentionModel();
const file = modelFile(FILE_NAME, model);
const expected = expectedView(file);
const paramsById = new Map(expected.summary.layers.map((l) => [l.id, l.params]));

const nodeSelector = (id: string) => `[data-testid="graph-node"][data-node-id=${quoteAttribute(id)}]`;
const rowSelector = (id: string) => `[data-testid="layer-row"][data-layer-id=${quoteAttribute(id)}]`;

describe('opening a model from the file dialog', () => {
  const session = useStudioSession();

  it('shows the file name, every operator node and the layer table', async () => {
    const { studio, files } = session;
    await studio.openFiles([await files.write(file)]);
    const state = await studio.waitForModel(FILE_NAME);
    expect(state.nodeCount).toBe(expected.opNodeCount);
    expect(state.error).toBeNull();
    // The Constant node holding the attention scale is a weight, not a drawn operator.
    expect(expected.opNodeCount).toBe(model.graph!.node!.length - 1);

    await studio.fitView();
    const drawn = await readGraphNodes(studio.page);
    expect(drawn.map((n) => n.id).sort()).toEqual([...expected.drawnNodeIds].sort());
    // An unnamed node is known by its op type and index.
    expect(drawn.map((n) => n.id)).toContain(unnamedNodeId);

    const rows = await readLayerRows(studio.page);
    expect(rows.map((r) => r.id)).toEqual(expected.summary.layers.map((l) => l.id));
    for (const row of rows) expect(row.cells).toContain(formatCount(paramsById.get(row.id)!));
    expect(await readText(studio.page, '[data-testid="layer-totals"]')).toContain(formatCount(expected.summary.totals.params));
    expect(await readText(studio.page, '[data-testid="io-table"]')).toContain('input');
    await studio.screenshot('user-file-attention');
  });

  it('sorts the layer table by parameters, largest first, then the other way round', async () => {
    const { page } = session.studio;
    const params = async () => (await readLayerRows(page)).map((r) => paramsById.get(r.id)!);
    // The model must have layers of different sizes for the order to mean anything.
    expect(new Set(paramsById.values()).size).toBeGreaterThan(1);

    await page.click('button[data-sort="params"]');
    const descending = await params();
    expect(descending).toHaveLength(paramsById.size);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));

    await page.click('button[data-sort="params"]');
    const ascending = await params();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    expect(ascending).not.toEqual(descending);
    await session.studio.screenshot('user-file-sorted-ascending');
  });

  it('offers sorting by name, op, params and bytes', async () => {
    const { page } = session.studio;
    for (const key of ['name', 'op', 'params', 'bytes']) {
      expect(await page.isVisible(`button[data-sort="${key}"]`), `sort button '${key}'`).toBe(true);
    }
    const bytesById = new Map(expected.summary.layers.map((l) => [l.id, l.bytes]));
    await page.click('button[data-sort="bytes"]');
    const bytes = (await readLayerRows(page)).map((r) => bytesById.get(r.id)!);
    expect(bytes).toEqual([...bytes].sort((a, b) => b - a));

    await page.click('button[data-sort="name"]');
    const names = (await readLayerRows(page)).map((r) => r.cells[0]!);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })));
    expect(names).toHaveLength(expected.summary.layers.length);
  });

  it('selects the table row of a node clicked on the canvas', async () => {
    const { page } = session.studio;
    const target = expected.summary.layers.find((l) => l.opType === 'MatMul')!.id;
    await page.click(nodeSelector(target));
    await page.waitForSelector(`${rowSelector(target)}[aria-selected="true"]`);
    const rows = await readLayerRows(page);
    expect(rows.filter((r) => r.selected).map((r) => r.id)).toEqual([target]);
    const nodes = await readGraphNodes(page);
    expect(nodes.filter((n) => n.selected).map((n) => n.id)).toEqual([target]);
    await session.studio.screenshot('user-file-node-selected');
  });

  it('selects the canvas node of a row clicked in the table', async () => {
    const { page } = session.studio;
    const layers = expected.summary.layers;
    const target = layers[layers.length - 1]!.id;
    await page.click(rowSelector(target));
    await page.waitForSelector(`${nodeSelector(target)}[data-selected="true"]`);
    const nodes = await readGraphNodes(page);
    expect(nodes.filter((n) => n.selected).map((n) => n.id)).toEqual([target]);
    const rows = await readLayerRows(page);
    expect(rows.filter((r) => r.selected).map((r) => r.id)).toEqual([target]);
    // The selected node is brought into view.
    expect(await page.locator(nodeSelector(target)).isVisible()).toBe(true);
    await session.studio.screenshot('user-file-row-selected');
  });
});

describe('running a user model', () => {
  const session = useStudioSession();

  it('probes it in ONNX Runtime and reports the wasm backend', async () => {
    const { studio, files } = session;
    await studio.recordRuntimeBadge();
    await studio.openFiles([await files.write(file)]);
    await studio.waitForModel(FILE_NAME);
    const state = await studio.waitForNewRuntimeResult();
    expect(state.runtimeBackend).toBe('wasm');
    expect(Number(state.runtimeThreads)).toBeGreaterThan(1);
  });
});

describe('a model ONNX Runtime cannot run', () => {
  const session = useStudioSession();

  it('still shows its graph, and the runtime badge says why it cannot run', async () => {
    const { studio, files } = session;
    const custom = modelFile('custom-op.onnx', customOpModel());
    await studio.recordRuntimeBadge();
    await studio.openFiles([await files.write(custom)]);
    const state = await studio.waitForModel(custom.name);
    expect(state.nodeCount).toBe(expectedView(custom).opNodeCount);
    expect(state.error).toBeNull();
    const runtime = await studio.waitForNewRuntimeResult();
    expect(runtime.runtimeBackend).toBe('error');
    expect(runtime.modelName).toBe(custom.name);
    const title = await studio.page.getAttribute('[data-testid="runtime-badge"]', 'title');
    expect(title).toContain(custom.name);
    // Its graph is drawn node for node in the Model graph tab all the same.
    await studio.fitView();
    const drawn = await readGraphNodes(studio.page);
    expect(drawn.map((n) => n.id).sort()).toEqual([...expectedView(custom).drawnNodeIds].sort());
    await studio.screenshot('runtime-cannot-run');
  });
});
