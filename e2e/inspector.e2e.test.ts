// The inspector in the built studio, used as a person would: click the quantize block on the
// pipeline canvas, set bits to 4 with its control, type values that are not allowed and read the
// schema's message under the field (the pipeline keeps its value), sweep bits over 8 and 4 and see
// "2 variants", scope the block to layers of the open model with chips and take one away again —
// then Save and read the downloaded .whittle.json to check that the pipeline holds exactly that.
// Undo walks back through the inspector's edits one at a time; the model node shows the model and
// dataset. Screenshots in the light and the dark theme.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { BLOCK_TYPES, declaredParams } from '../src/core/pipeline/blockParams';
import { restorePipeline } from '../src/core/pipeline/restorePipeline';
import type { PipelineSpec } from '../src/core/pipeline/pipelineSpec';
import { SAMPLE_FILE_NAME, useStudioSession } from './support/lifecycle';
import { expectedView } from './support/testModels';

const sampleBytes = new Uint8Array(readFileSync(new URL(`../dist/samples/${SAMPLE_FILE_NAME}`, import.meta.url)));
const sampleLayers = expectedView({ name: SAMPLE_FILE_NAME, bytes: sampleBytes }).summary.layers.map((layer) => layer.name);

const blockOnCanvas = (id: string) => `[data-testid="pipeline-block"][data-node-id="${id}"]`;
const INSPECTOR = '[data-testid="inspector"]';

function field(page: Page, param: string): Locator {
  return page.locator(`${INSPECTOR} [data-testid="param-field"][data-param="${param}"]`);
}

async function variantBadge(page: Page): Promise<string> {
  return (await page.locator(`${INSPECTOR} [data-testid="inspector-variants"]`).textContent()) ?? '';
}

async function errorsOf(page: Page, param: string): Promise<string[]> {
  return field(page, param).locator('[data-testid="param-error"]').allTextContents();
}

async function chipsOf(page: Page, param: string): Promise<string[]> {
  return field(page, param).locator('[data-testid="layer-chip"]').evaluateAll((chips) => chips.map((chip) => chip.getAttribute('data-layer') ?? ''));
}

/** Clicks Save and reads the pipeline file the browser downloads. */
async function savedPipeline(page: Page): Promise<PipelineSpec> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="save-pipeline"]')]);
  const restored = restorePipeline(await readFile((await download.path())!, 'utf8'));
  if (!restored.ok) throw new Error(`the saved pipeline does not restore: ${restored.errors.join('; ')}`);
  return restored.pipeline;
}

function paramsOf(pipeline: PipelineSpec, id: string): Record<string, unknown> {
  const node = pipeline.nodes.find((candidate) => candidate.id === id);
  if (!node) throw new Error(`no node '${id}' in ${JSON.stringify(pipeline.nodes.map((n) => n.id))}`);
  return node.params;
}

describe('the block inspector', () => {
  const session = useStudioSession();

  it('shows the quantize block selected on the canvas, with a control for each of its params', async () => {
    const { studio } = session;
    const page = studio.page;
    await page.locator(blockOnCanvas('q')).click();
    await page.locator(`${INSPECTOR} [data-testid="inspector-block"][data-node-id="q"]`).waitFor();
    expect(await page.locator(`${INSPECTOR} h2`).textContent()).toBe('Quantize');
    expect(await page.locator(`${INSPECTOR} [data-testid="inspector-id"]`).textContent()).toBe('q');
    expect(await variantBadge(page)).toBe('1 variant');
    const params = await page.locator(`${INSPECTOR} [data-testid="param-field"]`).evaluateAll((fields) => fields.map((f) => f.getAttribute('data-param')));
    expect(params).toEqual(['bits', 'granularity', 'groupSize', 'symmetric', 'activations', 'calibration', 'calibrationSamples', 'format', 'percentile', 'layers', 'exclude', 'keepFirstLast']);
    // Every control is reachable by its label.
    await expect(page.getByRole('radiogroup', { name: 'Bits' }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Group size', { exact: true }).inputValue()).resolves.toBe('32');
    await expect(page.getByRole('switch', { name: 'Symmetric' }).isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Calibration', { exact: true }).locator('option:checked').textContent()).resolves.toBe('minmax');
    await studio.screenshot('inspector-quantize-selected');
    // "More…" opens the block's help page; Escape closes it and focus comes back.
    await page.getByRole('button', { name: 'More about Quantize', exact: true }).click();
    await page.locator('[data-testid="block-help"][data-block-type="quantize"]').waitFor();
    await studio.screenshot('inspector-quantize-help');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="block-help"]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('More about Quantize');
  });

  it('sets bits to 4 through the control; the canvas and the saved pipeline follow', async () => {
    const page = session.studio.page;
    const four = page.getByRole('radiogroup', { name: 'Bits' }).getByRole('radio', { name: '4', exact: true });
    await four.click();
    await expect(four.isChecked()).resolves.toBe(true);
    expect(await field(page, 'bits').getAttribute('data-default')).toBe('false');
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-text') === '4', `${blockOnCanvas('q')} [data-testid="block-param"][data-param="bits"]`);
    expect(paramsOf(await savedPipeline(page), 'q').bits).toBe(4);
  });

  it('shows the schema’s message for a value that is not allowed, and keeps the pipeline as it was', async () => {
    const { studio } = session;
    const page = studio.page;
    const groupSize = page.getByLabel('Group size', { exact: true });
    await groupSize.fill('0');
    expect(await errorsOf(page, 'groupSize')).toEqual(['groupSize must be a whole number from 1 to 65536; got 0']);
    expect(await groupSize.getAttribute('aria-invalid')).toBe('true');
    await groupSize.fill('12x');
    expect(await errorsOf(page, 'groupSize')).toEqual(["groupSize must be a whole number from 1 to 65536; got '12x'"]);
    await studio.screenshot('inspector-invalid-group-size');
    expect(paramsOf(await savedPipeline(page), 'q').groupSize).toBe(32);
    // Escape drops the draft: the field shows the pipeline's value again, with no message.
    await groupSize.press('Escape');
    expect(await groupSize.inputValue()).toBe('32');
    expect(await errorsOf(page, 'groupSize')).toEqual([]);
    // Arrow keys step within the bounds and commit.
    await groupSize.press('ArrowUp');
    expect(await groupSize.inputValue()).toBe('33');
    await groupSize.press('ArrowDown');
    expect(await groupSize.inputValue()).toBe('32');
  });

  it('sweeps bits over 8 and 4: each value checked as typed, "2 variants" once valid', async () => {
    const { studio } = session;
    const page = studio.page;
    await page.getByLabel('Sweep Bits', { exact: true }).check();
    const values = page.getByLabel('Bits', { exact: true });
    expect(await values.inputValue()).toBe('4');
    expect(await variantBadge(page)).toBe('1 variant');
    await values.fill('8, 5');
    expect(await errorsOf(page, 'bits')).toEqual(['bits must be one of 2, 3, 4, 8, 16; got 5']);
    expect(await variantBadge(page)).toBe('1 variant');
    await studio.screenshot('inspector-invalid-sweep');
    await values.fill('8, 4');
    expect(await errorsOf(page, 'bits')).toEqual([]);
    expect(await variantBadge(page)).toBe('2 variants');
    await page.waitForFunction((selector) => document.querySelector(selector)?.getAttribute('data-text') === '8 · 4', `${blockOnCanvas('q')} [data-testid="block-param"][data-param="bits"]`);
    await values.fill('8, 8');
    expect(await errorsOf(page, 'bits')).toEqual(['bits lists 8 twice; each value of a sweep makes one variant']);
    await values.fill('8, 4');
    expect(await variantBadge(page)).toBe('2 variants');
    await studio.screenshot('inspector-sweep-2-variants');
    expect(paramsOf(await savedPipeline(page), 'q').bits).toEqual([8, 4]);
  });

  it('scopes the block with layer chips picked from the open model, and removes one', async () => {
    const { studio } = session;
    const page = studio.page;
    const picker = page.getByLabel('Layer to add to Only these layers', { exact: true });
    const offered = await picker.locator('option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value).filter((value) => value !== ''));
    expect(offered).toEqual(sampleLayers);
    const [first, second] = sampleLayers as [string, string];
    for (const name of [first, second]) {
      await picker.selectOption(name);
      await page.getByRole('button', { name: 'Add layer to Only these layers', exact: true }).click();
    }
    expect(await chipsOf(page, 'layers')).toEqual([first, second]);
    // A listed layer is no longer offered.
    expect(await picker.locator(`option[value="${first}"]`).count()).toBe(0);
    await studio.screenshot('inspector-layer-chips');
    await page.getByRole('button', { name: `Remove ${first} from Only these layers`, exact: true }).click();
    expect(await chipsOf(page, 'layers')).toEqual([second]);

    const saved = paramsOf(await savedPipeline(page), 'q');
    expect(saved.layers).toEqual([second]);
    expect(saved.bits).toEqual([8, 4]);
    expect(saved.groupSize).toBe(32);

    // Removing the last chip means every layer again: the param is unset, not an empty list.
    await page.getByRole('button', { name: `Remove ${second} from Only these layers`, exact: true }).click();
    expect(await chipsOf(page, 'layers')).toEqual([]);
    expect(paramsOf(await savedPipeline(page), 'q').layers).toBeUndefined();
  });

  it('undo walks back through the edits, and the fields follow', async () => {
    const page = session.studio.page;
    // Focus leaves the inspector's fields, so the shortcut is the editor's, not a text field's undo.
    await page.locator('[data-testid="pipeline-canvas"]').click({ position: { x: 5, y: 5 } });
    await page.locator(blockOnCanvas('q')).click();
    await page.keyboard.press('Control+z'); // the last chip comes back
    await page.waitForFunction(() => document.querySelectorAll('[data-param="layers"] [data-testid="layer-chip"]').length === 1);
    await page.keyboard.press('Control+z'); // and the first
    await page.waitForFunction(() => document.querySelectorAll('[data-param="layers"] [data-testid="layer-chip"]').length === 2);
    expect(await chipsOf(page, 'layers')).toEqual(sampleLayers.slice(0, 2));
    expect(await page.getByLabel('Bits', { exact: true }).inputValue()).toBe('8, 4');
  });

  it('shows the model node’s model and dataset', async () => {
    const { studio } = session;
    const page = studio.page;
    await page.locator(blockOnCanvas('model')).click();
    await page.locator(`${INSPECTOR} [data-testid="inspector-model"]`).waitFor();
    expect(await page.locator(`${INSPECTOR} [data-testid="inspector-ref-model"]`).textContent()).toBe('Fashion CNN');
    expect(await page.locator(`${INSPECTOR} [data-testid="inspector-ref-dataset"]`).textContent()).toBe('fashion-mnist');
    const text = (await page.locator(`${INSPECTOR} [data-testid="inspector-model"]`).textContent()) ?? '';
    expect(text).toContain('Fashion CNN');
    expect(text).toContain('sample: fashion-cnn');
    expect(text).toContain('sample: fashion-mnist');
    await studio.screenshot('inspector-model-node');
  });

  it('reads well in the dark theme', async () => {
    const { studio } = session;
    const page = studio.page;
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.locator(blockOnCanvas('q')).click();
    await page.locator(`${INSPECTOR} [data-testid="inspector-block"][data-node-id="q"]`).waitFor();
    const background = await page.locator(INSPECTOR).evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(background).toBe('rgb(28, 32, 39)');
    await studio.screenshot('inspector-quantize-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
  it('draws a labelled control for every param of every block type', async () => {
    const { studio } = session;
    const page = studio.page;
    const everyBlock = {
      type: 'whittle-pipeline',
      version: 1,
      model: { sample: 'fashion-cnn' },
      dataset: { sample: 'fashion-mnist' },
      // A param from a newer Whittle is kept and named as having no effect here.
      nodes: [{ id: 'model', type: 'model' }, ...BLOCK_TYPES.map((type) => ({ id: type, type, ...(type === 'quantize' ? { params: { futureKnob: 3 } } : {}) }))],
      edges: BLOCK_TYPES.map((type) => ({ source: 'model', target: type })),
    };
    await studio.dropFiles([{ name: 'every-block.whittle.json', bytes: new TextEncoder().encode(JSON.stringify(everyBlock)) }]);
    await page.waitForFunction(() => document.querySelector('[data-testid="pipeline-file"]')?.textContent?.includes('every-block'));
    for (const type of BLOCK_TYPES) {
      await page.locator(blockOnCanvas(type)).click();
      await page.locator(`${INSPECTOR} [data-testid="inspector-block"][data-node-id="${type}"]`).waitFor();
      const params = await page.locator(`${INSPECTOR} [data-testid="param-field"]`).evaluateAll((fields) => fields.map((f) => f.getAttribute('data-param')));
      expect(params, type).toEqual(declaredParams(type));
      // Every control a keyboard reaches has a name a screen reader reads (and a test finds it by).
      const unnamed = await page.locator(INSPECTOR).evaluate((inspector) => {
        const nameOf = (element: Element): string => {
          const labelledBy = element.getAttribute('aria-labelledby');
          if (labelledBy) return labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
          const label = element.getAttribute('aria-label') ?? (element.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent : null) ?? element.closest('label')?.textContent ?? (element.tagName === 'BUTTON' ? element.textContent : '');
          return (label ?? '').trim();
        };
        return [...inspector.querySelectorAll('input, select, button, [role="radiogroup"]')].filter((element) => nameOf(element) === '').map((element) => element.outerHTML.slice(0, 120));
      });
      expect(unnamed, type).toEqual([]);
      const unknownNote = page.locator(`${INSPECTOR} [data-testid="inspector-unknown-params"]`);
      if (type === 'quantize') expect(await unknownNote.textContent()).toContain('futureKnob');
      else expect(await unknownNote.count()).toBe(0);
    }
    await page.locator(blockOnCanvas('distill')).click();
    await studio.screenshot('inspector-distill');
  });

});
