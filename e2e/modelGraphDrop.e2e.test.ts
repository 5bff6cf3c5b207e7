// Blocks dropped onto the model graph (issue 6, evidence 2), the way a person does it: the studio
// opens its default sample (Fashion CNN); the user switches to the Model graph tab, colours it by
// parameter share, selects two layers (click, then Ctrl+click), and drags Prune from the palette
// with real mouse moves — over a Relu first, which refuses it, then onto one of the two selected
// layers, which lights up both. The drop creates a prune block scoped to those two layers: the
// inspector shows them as its scope, the graph coloured by sparsity shows them at 50 %. A layer is
// kept in float and put back through its right-click menu and its badge. Then Run (quick subset);
// the prune variant's .onnx is downloaded and read in the test: only those two layers' weights are
// sparse, every other weight is as the original has it. Finally a Sensitivity block runs and the
// graph is coloured by each layer's accuracy drop. Screenshots at each step.
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../src/core/onnx/modelFile';
import { readTensorValues } from '../src/core/onnx/tensorData';
import { useStudioSession } from './support/lifecycle';
import { readLayerRows } from './support/panel';
import { WAIT_MS } from './support/studio';

const SAMPLE = new URL('../public/samples/fashion-cnn.onnx', import.meta.url);
/** Two layers of Fashion CNN that prune acts on, far apart in the graph. */
const SCOPED = ['conv2', 'fc2'];
const RUN_WAIT_MS = 300_000;

const graph = (page: Page) => page.locator('[data-testid="graph-view"]');
const graphNode = (page: Page, layer: string) => graph(page).locator(`[data-testid="graph-node"][data-layer-name="${layer}"]`);

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element is not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Moves the mouse in small steps, as a hand does, so the browser sends drag events all the way. */
async function glide(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12): Promise<void> {
  for (let i = 1; i <= steps; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
}

async function nodeState(page: Page, layer: string) {
  return graphNode(page, layer).evaluate((element: HTMLElement) => ({
    selected: element.dataset.selected === 'true',
    drop: element.dataset.drop ?? null,
    float: element.dataset.float === 'true',
    metric: element.dataset.metricValue === undefined ? null : Number(element.dataset.metricValue),
    text: (element.textContent ?? '').replace(/\s+/g, ' ').trim(),
  }));
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}

async function runStatus(page: Page) {
  return page.evaluate(() => ({
    status: document.querySelector<HTMLElement>('[data-testid="results-panel"]')?.dataset.runStatus ?? null,
    phase: document.querySelector<HTMLElement>('[data-testid="run-button"]')?.dataset.phase ?? null,
    rows: [...document.querySelectorAll<HTMLElement>('[data-testid="results-row"]')].map((row) => `${row.dataset.variantId}:${row.dataset.status}`),
  }));
}

/** Downloads a finished variant's .onnx through the header's Export menu, as a user does, and returns its bytes. */
async function downloadVariant(page: Page, variantId: string): Promise<Uint8Array> {
  await page.locator('[data-testid="export-button"]').click();
  const item = page.locator(`[data-testid="export-variant"][data-variant-id="${variantId}"]`);
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), item.click()]);
  const path = await download.path();
  if (!path) throw new Error(`the download of '${variantId}' did not complete (${await download.failure()})`);
  await page.keyboard.press('Escape');
  return new Uint8Array(await readFile(path));
}

async function colourBy(page: Page, metric: string): Promise<void> {
  await graph(page).locator('[data-testid="graph-color-control"] select').selectOption(metric);
  await waitFor(`the graph coloured by ${metric}`, () => graph(page).locator('[data-testid="graph-color-control"]').getAttribute('data-metric'), (m) => m === metric);
}

/** Fraction of exact zeros in a float tensor of the model. */
function zeroShare(model: ReturnType<typeof decodeModel>, name: string): number {
  const tensor = (model.graph?.initializer ?? []).find((t) => t.name === name);
  if (!tensor) throw new Error(`no initializer '${name}'`);
  const values = readTensorValues(tensor) as Float32Array;
  let zeros = 0;
  for (const v of values) if (v === 0) zeros++;
  return zeros / values.length;
}

describe('blocks dropped onto the model graph', () => {
  const session = useStudioSession();

  it('scopes a dragged Prune block to two selected layers, prunes only those, and colours the graph', async () => {
    const { studio } = session;
    const page = studio.page;
    await page.setViewportSize({ width: 1440, height: 900 });

    // The Model graph tab, fitted, coloured by parameter share.
    await page.locator('[data-testid="center-tab-model"]').click();
    await graph(page).locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(400);
    await colourBy(page, 'params');
    const fc1 = await nodeState(page, 'fc1');
    expect(fc1.metric).toBeGreaterThan(0.9); // 200,832 of 207,114 parameters
    expect(fc1.text).toContain('97 %');
    expect((await nodeState(page, 'conv1')).metric).toBeCloseTo(160 / 207_114, 6);
    await studio.screenshot('model-graph-colour-params');

    // A Shift-drag box selects the layers inside it (the layer table follows the first).
    const from = await graphNode(page, 'conv1').boundingBox();
    const to = await graphNode(page, 'bn1').boundingBox();
    await page.keyboard.down('Shift');
    await page.mouse.move(from!.x - 30, from!.y - 12);
    await page.mouse.down();
    await page.mouse.move(to!.x + to!.width + 30, to!.y + to!.height + 12, { steps: 10 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const selected = await graph(page).locator('[data-testid="graph-node"][data-selected="true"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-node-id')));
    expect(selected).toEqual(['conv1', 'bn1']);
    expect((await readLayerRows(page)).filter((row) => row.selected).map((row) => row.id)).toEqual(['conv1']);
    // A row chosen in the layer table becomes the graph's selection.
    await page.locator('[data-testid="layer-table"] [data-testid="layer-row"][data-layer-id="fc1"]').click();
    await waitFor('fc1 alone selected on the graph', () => graph(page).locator('[data-testid="graph-node"][data-selected="true"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-node-id'))), (ids) => ids.join() === 'fc1');
    await graph(page).locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    expect(await graph(page).locator('[data-testid="graph-node"][data-selected="true"]').count()).toBe(0);
    // The table's selection centred fc1 close up: fit the whole graph again.
    await graph(page).locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(400);

    // Select the two layers to scope: a click, then Ctrl+click.
    await graphNode(page, SCOPED[0]!).click();
    await page.keyboard.down('Control');
    await graphNode(page, SCOPED[1]!).click();
    await page.keyboard.up('Control');
    for (const layer of SCOPED) expect((await nodeState(page, layer)).selected).toBe(true);
    expect((await nodeState(page, 'fc1')).selected).toBe(false);

    // Drag Prune from the palette: over a Relu (refused), then onto one of the selected layers.
    const prune = page.locator('[data-testid="palette-item"][data-block-type="prune"] .palette-block');
    const start = await center(prune);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    const relu = graph(page).locator('[data-testid="graph-node"]', { hasText: 'Relu' }).first();
    const reluAt = await center(relu);
    await glide(page, start, reluAt, 16);
    await waitFor('the Relu to refuse the drop', () => relu.getAttribute('data-drop'), (d) => d === 'refused');
    expect(await relu.getAttribute('title')).toMatch(/Relu holds no weights; prune acts on Conv, Gemm, MatMul layers/);
    const target = await center(graphNode(page, SCOPED[1]!));
    await glide(page, reluAt, target, 10);
    await waitFor('both selected layers to light up as the drop target', async () => Promise.all(SCOPED.map(async (l) => (await nodeState(page, l)).drop)), (d) => d.every((x) => x === 'target'));
    expect((await nodeState(page, 'fc1')).drop).toBeNull();
    await studio.screenshot('model-graph-drop-target');
    await page.mouse.up();

    // The new block is selected; the inspector shows its scope: exactly those two layers.
    const inspector = page.locator('[data-testid="inspector-block"]');
    await waitFor('the inspector to show the new prune block', () => inspector.getAttribute('data-node-type').catch(() => null), (t) => t === 'prune');
    const blockId = await inspector.getAttribute('data-node-id');
    expect(blockId).toBe('prune-1');
    const chips = await inspector.locator('[data-testid="param-field"][data-param="layers"] [data-testid="layer-chip"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-layer')));
    expect(chips).toEqual(SCOPED);
    expect(await page.locator('[data-testid="graph-drop-note"]').textContent()).toContain('Added prune-1: prune on conv2, fc2');

    // Coloured by sparsity: the two layers at 50 %, the rest neutral.
    await colourBy(page, 'sparsity');
    for (const layer of SCOPED) expect((await nodeState(page, layer)).metric).toBe(0.5);
    expect((await nodeState(page, 'fc1')).metric).toBeNull();
    await studio.screenshot('model-graph-colour-sparsity');

    // Coloured by assigned bits: the suggested int8 quantize block 'q' acts on every weight layer.
    await colourBy(page, 'bits');
    for (const layer of ['conv1', 'conv2', 'fc1', 'fc2']) expect((await nodeState(page, layer)).text).toContain('8 bit');
    expect((await nodeState(page, 'bn1')).metric).toBeNull();

    // Keep in float: the right-click menu adds conv1 to the selected block's exclude; its badge takes it out again.
    await graphNode(page, 'conv1').click({ button: 'right' });
    const menu = page.locator('[data-testid="layer-menu"]');
    await expect(menu.textContent()).resolves.toContain('Excludes it from prune-1');
    await menu.getByRole('menuitemcheckbox', { name: 'Keep in float' }).click();
    await waitFor('conv1 to be kept in float', () => nodeState(page, 'conv1'), (s) => s.float);
    await waitFor('the inspector to list conv1 as excluded', () => inspector.locator('[data-testid="param-field"][data-param="exclude"] [data-testid="layer-chip"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-layer'))), (names) => names.join() === 'conv1');
    await studio.screenshot('model-graph-keep-in-float');
    await graphNode(page, 'conv1').locator('[data-testid="keep-in-float"]').click();
    await waitFor('conv1 back in scope', () => nodeState(page, 'conv1'), (s) => !s.float);
    expect(await inspector.locator('[data-testid="param-field"][data-param="exclude"] [data-testid="layer-chip"]').count()).toBe(0);

    // Run on the quick subset.
    await page.locator('[data-testid="center-tab-pipeline"]').click();
    const quick = page.locator('[data-testid="quick-toggle"]');
    if (!(await quick.isChecked())) await quick.check();
    await page.locator('[data-testid="run-button"]').first().click();
    await waitFor('the run to finish', () => runStatus(page), (s) => s.status === 'done' && s.phase === 'idle', RUN_WAIT_MS);
    expect((await runStatus(page)).rows).toContain('prune-1:done');
    await studio.screenshot('model-graph-drop-run');

    // The prune variant's file: only the two scoped layers are sparse.
    const downloaded = await downloadVariant(page, 'prune-1');
    const original = decodeModel(new Uint8Array(await readFile(SAMPLE)));
    const pruned = decodeModel(downloaded);
    const weights = (original.graph?.initializer ?? []).map((t) => t.name!).filter((name) => name.endsWith('.weight') && !name.startsWith('bn'));
    expect(weights.sort()).toEqual(['conv1.weight', 'conv2.weight', 'fc1.weight', 'fc2.weight']);
    for (const name of weights) {
      const share = zeroShare(pruned, name);
      if (SCOPED.some((layer) => name === `${layer}.weight`)) expect(share).toBeCloseTo(0.5, 2);
      else expect(share).toBe(zeroShare(original, name));
    }
    for (const name of weights.filter((n) => !SCOPED.some((layer) => n === `${layer}.weight`))) {
      const before = (original.graph?.initializer ?? []).find((t) => t.name === name)!;
      const after = (pruned.graph?.initializer ?? []).find((t) => t.name === name)!;
      expect(readTensorValues(after)).toEqual(readTensorValues(before));
    }

    // A Sensitivity block after the model, run; the graph coloured by each layer's accuracy drop.
    await page.locator('[data-testid="pipeline-block"][data-node-id="model"]').click();
    await page.locator('[data-testid="palette-item"][data-block-type="sensitivity"] .palette-block').click();
    await waitFor('the sensitivity block in the inspector', () => inspector.getAttribute('data-node-type').catch(() => null), (t) => t === 'sensitivity');
    await page.locator('[data-testid="run-button"]').first().click();
    await waitFor('the sensitivity run to finish', () => runStatus(page), (s) => s.status === 'done' && s.phase === 'idle' && s.rows.some((row) => row.startsWith('sensitivity-1:')), RUN_WAIT_MS);
    await page.locator('[data-testid="center-tab-model"]').click();
    // The results panel took the lower part of the window: a taller window, the graph fitted in it.
    await page.setViewportSize({ width: 1440, height: 1400 });
    await graph(page).locator('.react-flow__controls-fitview').click();
    await page.waitForTimeout(400);
    await colourBy(page, 'sensitivity');
    const drops = await Promise.all(['conv1', 'conv2', 'fc1', 'fc2', 'bn1'].map(async (layer) => (await nodeState(page, layer)).metric));
    console.log(`model graph coloured by sensitivity (4-bit, quick subset): conv1 ${drops[0]}, conv2 ${drops[1]}, fc1 ${drops[2]}, fc2 ${drops[3]} points`);
    expect(drops.slice(0, 4).every((drop) => typeof drop === 'number' && Number.isFinite(drop))).toBe(true);
    expect(drops[4]).toBeNull(); // BatchNormalization is not analysed: neutral
    const legend = await graph(page).locator('[data-testid="metric-legend"]').textContent();
    expect(legend).toContain('accuracy points lost');
    await studio.screenshot('model-graph-colour-sensitivity');
    await page.emulateMedia({ colorScheme: 'dark' });
    await studio.screenshot('model-graph-colour-sensitivity-dark');
    await page.emulateMedia({ colorScheme: 'light' });

  }, 2 * RUN_WAIT_MS);
});
