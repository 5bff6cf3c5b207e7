// Undo and redo across ten edits (issue 6, evidence 6), all made the way a user makes them in
// Chromium: palette clicks and a palette drag (add), node drags (move), a handle drag (connect),
// inspector choices (params), Delete on a selected node and on a selected edge. After each edit the
// pipeline is read off the canvas — every node's id, type, position and shown params, every edge —
// and then the ten edits are undone one by one (toolbar button and Ctrl+Z, alternately) back to the
// start, and redone one by one (button, Ctrl+Shift+Z, Ctrl+Y in turn) to the end, the canvas
// matching the recorded state at every step. Undo does nothing while typing in an input.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useStudioSession } from './support/lifecycle';
import { WAIT_MS } from './support/studio';

const CANVAS = '[data-testid="pipeline-canvas"]';
const block = (id: string) => `${CANVAS} [data-testid="pipeline-block"][data-node-id="${id}"]`;
const edge = (source: string, target: string) => `${CANVAS} [data-testid="rf__edge-${source}->${target}"]`;
const ATTACHED = { state: 'attached' as const };

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(page: Page, selector: string): Promise<Box> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen`);
  return box;
}

const centre = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 20): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 4, from.y + 2, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.up();
}

/** The pipeline as the canvas shows it, as comparable text. */
async function readCanvas(page: Page): Promise<string> {
  return page.evaluate((canvas) => {
    const root = document.querySelector(canvas)!;
    const nodes = [...root.querySelectorAll<HTMLElement>('.react-flow__node')].map((node) => {
      const card = node.querySelector<HTMLElement>('[data-testid="pipeline-block"]')!;
      const params = [...card.querySelectorAll<HTMLElement>('[data-testid="block-param"]')].map((param) => `${param.dataset.param}=${param.dataset.text}`);
      return `${node.dataset.id}:${card.dataset.nodeType}@${node.style.transform}[${params.join(',')}]`;
    });
    const edges = [...root.querySelectorAll<SVGGElement>('.react-flow__edge')].map((edge) => edge.dataset.id ?? '');
    return JSON.stringify({ nodes: nodes.sort(), edges: edges.sort() });
  }, CANVAS);
}

/** Waits for the canvas to show `expected` (React renders a frame after the store changes). */
async function expectCanvas(page: Page, expected: string, step: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let shown = await readCanvas(page);
  while (shown !== expected && Date.now() < deadline) {
    await page.waitForTimeout(50);
    shown = await readCanvas(page);
  }
  expect(shown, step).toBe(expected);
}

async function undoRedoState(page: Page): Promise<{ undo: boolean; redo: boolean }> {
  return page.evaluate(() => ({
    undo: !(document.querySelector<HTMLButtonElement>('[data-testid="undo-button"]')?.disabled ?? true),
    redo: !(document.querySelector<HTMLButtonElement>('[data-testid="redo-button"]')?.disabled ?? true),
  }));
}

/** Clicks the canvas's fit-view control, so that every node is on screen (the view is not part of the pipeline). */
async function fitView(page: Page): Promise<void> {
  await page.click(`${CANVAS} .react-flow__controls-fitview`);
  await page.waitForTimeout(300);
}

async function clickNode(page: Page, id: string): Promise<void> {
  await fitView(page);
  await page.click(`${block(id)} .node-header`);
  await page.waitForSelector(`[data-testid="inspector-block"][data-node-id="${id}"]`);
}

async function chooseInInspector(page: Page, param: string, option: string): Promise<void> {
  await page.click(`[data-testid="param-field"][data-param="${param}"] .segment:has-text("${option}")`);
}

async function moveNode(page: Page, id: string, dx: number, dy: number): Promise<void> {
  await fitView(page);
  const from = centre(await boxOf(page, `${block(id)} .node-header`));
  await drag(page, from, { x: from.x + dx, y: from.y + dy });
}

/** The middle of an edge's path on screen. */
async function edgeMiddle(page: Page, source: string, target: string): Promise<{ x: number; y: number }> {
  return page.evaluate((selector) => {
    const path = document.querySelector<SVGPathElement>(`${selector} path.react-flow__edge-path`)!;
    const point = path.getPointAtLength(path.getTotalLength() / 2);
    const matrix = path.getScreenCTM()!;
    return { x: point.x * matrix.a + point.y * matrix.c + matrix.e, y: point.x * matrix.b + point.y * matrix.d + matrix.f };
  }, edge(source, target));
}

describe('undo and redo in the editor', () => {
  const session = useStudioSession();

  it(
    'undoes ten edits back to the start and redoes them to the end, by button and by keyboard',
    async () => {
      const { studio } = session;
      const page = studio.page;
      await page.waitForSelector(block('q'), { timeout: WAIT_MS });
      await page.waitForSelector(edge('model', 'q'), ATTACHED);
      // The history starts with what the studio opened.
      await expect.poll(() => undoRedoState(page), { timeout: WAIT_MS }).toEqual({ undo: false, redo: false });

      const states = [await readCanvas(page)];
      const record = async (step: string) => {
        const state = await readCanvas(page);
        expect(state, `${step} changed the pipeline`).not.toBe(states.at(-1));
        states.push(state);
      };

      // 1. Add: click Prune in the palette (nothing selected: after the model).
      await page.click('[data-testid="palette-item"][data-block-type="prune"] .palette-block');
      await page.waitForSelector(block('prune-1'));
      await page.waitForSelector(edge('model', 'prune-1'), ATTACHED);
      await record('adding prune-1');

      // 2. Move: drag prune-1 down and right.
      await moveNode(page, 'prune-1', 60, 90);
      await record('moving prune-1');

      // 3. Add: drag Cluster from the palette to the right of prune-1.
      await fitView(page);
      const prune = await boxOf(page, block('prune-1'));
      const canvas = await boxOf(page, CANVAS);
      const dropPoint = { x: Math.min(prune.x + prune.width + 50, canvas.x + canvas.width - 30), y: prune.y + prune.height / 2 };
      await drag(page, centre(await boxOf(page, '[data-testid="palette-item"][data-block-type="cluster"] .palette-block')), dropPoint, 25);
      await page.waitForSelector(block('cluster-1'));
      await page.waitForSelector(edge('prune-1', 'cluster-1'), ATTACHED);
      await record('dropping cluster-1');

      // 4. Connect: q's output to cluster-1's input (cluster-1 now follows q).
      await fitView(page);
      await drag(page, centre(await boxOf(page, `${block('q')} [data-testid="handle-source"]`)), centre(await boxOf(page, `${block('cluster-1')} [data-testid="handle-target"]`)));
      await page.waitForSelector(edge('q', 'cluster-1'), ATTACHED);
      await record('connecting q to cluster-1');

      // 5. Params: prune-1's pattern to 2:4 in the inspector.
      await clickNode(page, 'prune-1');
      await chooseInInspector(page, 'pattern', '2:4');
      await page.waitForSelector(`${block('prune-1')} [data-testid="block-param"][data-param="pattern"][data-text="2:4"]`);
      await record('prune-1 pattern 2:4');

      // 6. Add: Fold BN by a palette click, after the selected prune-1.
      await page.click('[data-testid="palette-item"][data-block-type="foldbn"] .palette-block');
      await page.waitForSelector(edge('prune-1', 'foldbn-1'), ATTACHED);
      await record('adding foldbn-1 after prune-1');

      // 7. Move: foldbn-1 away from the others.
      await moveNode(page, 'foldbn-1', 40, 120);
      await record('moving foldbn-1');

      // 8. Params: q's bits to 4.
      await clickNode(page, 'q');
      await chooseInInspector(page, 'bits', '4');
      await page.waitForSelector(`${block('q')} [data-testid="block-param"][data-param="bits"][data-text="4"]`);
      await record('q bits 4');

      // 9. Delete an edge: select prune-1 → foldbn-1 and press Delete (foldbn-1 then follows the model).
      await fitView(page);
      const middle = await edgeMiddle(page, 'prune-1', 'foldbn-1');
      await page.mouse.click(middle.x, middle.y);
      await page.waitForSelector(`${edge('prune-1', 'foldbn-1')}.selected`, ATTACHED);
      await page.keyboard.press('Delete');
      await page.waitForSelector(edge('model', 'foldbn-1'), ATTACHED);
      await record('deleting the edge prune-1 → foldbn-1');

      // 10. Delete a node: select cluster-1 and press Backspace.
      await clickNode(page, 'cluster-1');
      await page.keyboard.press('Backspace');
      await page.waitForSelector(block('cluster-1'), { state: 'detached' });
      await record('deleting cluster-1');
      expect(states).toHaveLength(11);
      await studio.screenshot('undo-redo-after-ten-edits');

      // Typing in an input keeps its own undo: the pipeline stays.
      await clickNode(page, 'prune-1');
      const sparsity = page.locator('[data-testid="param-field"][data-param="sparsity"] input:not([type="checkbox"])').first();
      await sparsity.focus();
      expect(await sparsity.evaluate((input) => document.activeElement === input)).toBe(true);
      await page.keyboard.press('Control+z');
      await expectCanvas(page, states[10]!, 'Ctrl+Z in an input');
      await sparsity.blur();
      await page.click(`${CANVAS} .react-flow__pane`, { position: { x: 20, y: 20 } });

      // Ten undos, alternating the toolbar button and Ctrl+Z.
      for (let step = 10; step >= 1; step--) {
        if (step % 2 === 0) await page.click('[data-testid="undo-button"]');
        else await page.keyboard.press('Control+z');
        await expectCanvas(page, states[step - 1]!, `undo back to state ${step - 1}`);
      }
      expect(await undoRedoState(page)).toEqual({ undo: false, redo: true });
      await studio.screenshot('undo-redo-at-start');

      // Ten redos: the button, Ctrl+Shift+Z and Ctrl+Y in turn.
      const redoWays = [() => page.click('[data-testid="redo-button"]'), () => page.keyboard.press('Control+Shift+Z'), () => page.keyboard.press('Control+y')];
      for (let step = 1; step <= 10; step++) {
        await redoWays[(step - 1) % redoWays.length]!();
        await expectCanvas(page, states[step]!, `redo to state ${step}`);
      }
      expect(await undoRedoState(page)).toEqual({ undo: true, redo: false });
      await studio.screenshot('undo-redo-at-end');
    },
    4 * WAIT_MS,
  );
});
