// The studio as a visitor first sees it: the bundled sample opens by itself, its graph is drawn
// node for node, the side panel describes it as the core does, and ONNX Runtime runs it in
// WebAssembly with several threads because the page is cross-origin isolated.
import { describe, expect, it } from 'vitest';
import { builtFile, builtText } from './support/buildDir';
import { readGraphNodes, readIoRows, readLayerRows, readOpCountEntries, readText, formatCount } from './support/panel';
import { SAMPLE_FILE_NAME, useStudioSession } from './support/lifecycle';
import { expectedView } from './support/testModels';

const sampleBytes = builtFile(`samples/${SAMPLE_FILE_NAME}`);
const expected = expectedView({ name: SAMPLE_FILE_NAME, bytes: sampleBytes });

describe('the bundled sample', () => {
  const session = useStudioSession();

  it('opens on start and draws every operator node', async () => {
    const { studio } = session;
    const state = await studio.waitForModel(SAMPLE_FILE_NAME);
    expect(state.modelName).toBe(SAMPLE_FILE_NAME);
    expect(state.nodeCount).toBe(expected.opNodeCount);
    expect(state.error).toBeNull();
    await studio.screenshot('sample-initial');

    await studio.fitView();
    const drawn = await readGraphNodes(studio.page);
    expect(drawn.map((n) => n.id).sort()).toEqual([...expected.drawnNodeIds].sort());
    expect(drawn.every((n) => !n.selected)).toBe(true);
    await studio.screenshot('sample-fit');
  });

  it('lists the inputs and outputs with their types and shapes', async () => {
    const { page } = session.studio;
    const rows = await readIoRows(page);
    const expectedRows = [...expected.summary.inputs.map((v) => ['in', v] as const), ...expected.summary.outputs.map((v) => ['out', v] as const)];
    expect(rows).toHaveLength(expectedRows.length);
    for (const [kind, value] of expectedRows) {
      const row = rows.find((cells) => cells.includes(value.name) && cells.some((c) => c.toLowerCase().startsWith(kind)));
      expect(row, `${kind}put '${value.name}' in ${JSON.stringify(rows)}`).toBeDefined();
      expect(row).toContain(value.dtype);
      // Every dimension, symbolic ones by name, in order: "N × 1 × 28 × 28".
      const dims = row!.at(-1)!.split(/\s*[×x,]\s*/);
      expect(dims).toEqual(value.shape!.map((d) => (d === null ? '?' : String(d))));
    }
  });

  it('counts operators by type as the core does', async () => {
    const entries = await readOpCountEntries(session.studio.page);
    expect(entries).toHaveLength(expected.summary.opCounts.length);
    for (const { opType, count } of expected.summary.opCounts) {
      const pattern = new RegExp(`^${opType}\\s*${count}$`);
      expect(entries.filter((e) => pattern.test(e)), `${opType} × ${count} in ${JSON.stringify(entries)}`).toHaveLength(1);
    }
  });

  it('lists every layer with its op and parameters, and the totals', async () => {
    const { page } = session.studio;
    const rows = await readLayerRows(page);
    expect(rows.map((r) => r.id)).toEqual(expected.summary.layers.map((l) => l.id));
    for (const layer of expected.summary.layers) {
      const row = rows.find((r) => r.id === layer.id)!;
      expect(row.cells).toContain(layer.name);
      expect(row.cells).toContain(layer.opType);
      expect(row.cells).toContain(formatCount(layer.params));
      expect(row.selected).toBe(false);
    }
    const totals = await readText(page, '[data-testid="layer-totals"]');
    expect(totals).toContain(formatCount(expected.summary.totals.params));
    expect(await page.isVisible('[data-testid="summary-panel"]')).toBe(true);
  });

  it('is cross-origin isolated and runs the model in wasm with several threads', async () => {
    const { studio } = session;
    expect(await studio.page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const state = await studio.waitForRuntime();
    expect(state.runtimeBackend).toBe('wasm');
    expect(Number(state.runtimeThreads)).toBeGreaterThan(1);
    await studio.screenshot('sample-runtime');
  });

  it("shows the sample's model card: dataset and the test accuracy ONNX Runtime measured", async () => {
    const card = JSON.parse(builtText(`samples/${SAMPLE_FILE_NAME.replace('.onnx', '.json')}`));
    const { page } = session.studio;
    expect(await readText(page, '[data-fact="Sample"] dd')).toBe(card.name);
    expect(await readText(page, '[data-fact="Trained on"] dd')).toContain(card.dataset.name);
    expect(await readText(page, '[data-fact="Test accuracy"] dd')).toContain(`${(100 * card.testAccuracy).toFixed(2)} %`);
  });

  it('the sample picker opens another trained sample', async () => {
    const { studio } = session;
    const other = 'fashion-mlp.onnx';
    const otherExpected = expectedView({ name: other, bytes: builtFile(`samples/${other}`) });
    await studio.page.selectOption('[data-testid="sample-picker"]', 'fashion-mlp');
    const state = await studio.waitForModel(other);
    expect(state.nodeCount).toBe(otherExpected.opNodeCount);
    expect(await readText(studio.page, '[data-fact="Sample"] dd')).toBe('Fashion MLP');
    await studio.screenshot('sample-picker-mlp');
  });
});
