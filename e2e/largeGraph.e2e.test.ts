// A model with over a thousand operators: it lays out and renders (status ready, every node
// counted), the canvas keeps its pan, zoom and fit-view controls working, and the layer table
// shows every layer's total even though it renders only the rows in view. The graph is the centre's
// "Model graph" tab; the pipeline canvas beside it is another React Flow, so every selector is
// scoped to the graph view.
import { describe, expect, it } from 'vitest';
import { formatCount, readGraphNodes, readLayerRows, readText } from './support/panel';
import { useStudioSession } from './support/lifecycle';
import { deepResidualModel, expectedView, modelFile } from './support/testModels';

const BLOCKS = 260;
const file = modelFile('deep-residual-1040.onnx', deepResidualModel(BLOCKS));
const expected = expectedView(file);

const GRAPH = '[data-testid="graph-view"]';
const GRAPH_VIEWPORT = `${GRAPH} .react-flow__viewport`;

async function viewportTransform(page: import('playwright-core').Page): Promise<string> {
  return page.$eval(GRAPH_VIEWPORT, (element) => getComputedStyle(element).transform);
}

/** Waits until the graph's viewport has moved away from the transform it had before. */
async function viewportMovedFrom(page: import('playwright-core').Page, before: string): Promise<void> {
  await page.waitForFunction(
    ([selector, previous]) => getComputedStyle(document.querySelector(selector!)!).transform !== previous,
    [GRAPH_VIEWPORT, before] as const,
  );
}

describe('a graph with more than a thousand nodes', () => {
  const session = useStudioSession();

  it('lays out and renders every operator node', async () => {
    const { studio, files } = session;
    expect(expected.opNodeCount).toBeGreaterThanOrEqual(1000);
    await studio.openFiles([await files.write(file)]);
    const state = await studio.waitForModel(file.name);
    expect(state.nodeCount).toBe(expected.opNodeCount);
    expect(state.error).toBeNull();
    await studio.showModelGraph();
    // Only nodes in view are in the DOM, and they are real nodes of this model.
    const drawn = await readGraphNodes(studio.page);
    const known = new Set(expected.drawnNodeIds);
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn.every((n) => known.has(n.id))).toBe(true);
    await studio.screenshot('large-graph-initial');
  });

  it('lists every layer in the totals while rendering a window of rows', async () => {
    const { page } = session.studio;
    const rows = await readLayerRows(page);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(expected.summary.layers.length);
    const totals = await readText(page, '[data-testid="layer-totals"]');
    expect(totals).toContain(formatCount(expected.summary.layers.length));
    expect(totals).toContain(formatCount(expected.summary.totals.params));
  });

  it('has zoom, fit-view and pan controls that move the view', async () => {
    const { studio } = session;
    const { page } = studio;
    for (const control of ['zoomin', 'zoomout', 'fitview']) {
      expect(await page.isVisible(`${GRAPH} .react-flow__controls-${control}`), `${control} control`).toBe(true);
    }

    const start = await viewportTransform(page);
    await page.click(`${GRAPH} .react-flow__controls-zoomout`);
    await viewportMovedFrom(page, start);
    const zoomedOut = await viewportTransform(page);

    await page.click(`${GRAPH} .react-flow__controls-zoomin`);
    await viewportMovedFrom(page, zoomedOut);

    await studio.fitView();
    const fitted = await viewportTransform(page);
    expect(fitted).not.toBe(start);
    await studio.screenshot('large-graph-fit');

    // Pan: drag the empty pane with the mouse.
    const pane = (await page.locator(`${GRAPH} .react-flow__pane`).boundingBox())!;
    const x = pane.x + pane.width * 0.15;
    const y = pane.y + pane.height * 0.5;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 120, y + 80, { steps: 8 });
    await page.mouse.up();
    await viewportMovedFrom(page, fitted);
    await studio.screenshot('large-graph-panned');
  });
});
