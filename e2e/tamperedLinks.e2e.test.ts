// Evidence 5 of issue 6: twenty-four tampered share links (src/core/share/testing/tamperedLinks.ts:
// bad base64, truncated, a newer format, an inflate bomb, a huge link, bad JSON, unknown block
// types, `__proto__` and `constructor` keys, `<script>` and `<img onerror>` in names and ids, wrong
// types, a cycle, …) are opened in the running studio the way a user pastes one — the address's
// hash changes — and one more as the address the studio starts with. Each must show its own
// message; none may raise a page error, open a dialog or run script (the hostile names would set
// `window.__pwned`); the pipeline, the open model and the autosave stay as they were; and the
// studio stays usable: a good link opens afterwards.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { goodLink, tamperedLinks } from '../src/core/share/testing/tamperedLinks';
import { useStudioSession } from './support/lifecycle';
import type { Studio } from './support/studio';

const LINKS = tamperedLinks();

async function savedPipelineText(studio: Studio): Promise<string> {
  const [download] = await Promise.all([studio.page.waitForEvent('download'), studio.page.click('[data-testid="save-button"]')]);
  return readFile((await download.path())!, 'utf8');
}

/** What autosave holds now, read from IndexedDB the way idb-keyval stores it. */
async function autosaved(studio: Studio): Promise<string> {
  return studio.page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('keyval-store');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('keyval').objectStore('keyval').get('whittle:autosave');
          read.onsuccess = () => {
            const document = read.result as { pipeline?: unknown; model?: unknown } | undefined;
            resolve(JSON.stringify({ pipeline: document?.pipeline, model: document?.model }));
          };
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

async function waitForSaved(studio: Studio): Promise<void> {
  await studio.page.waitForSelector('[data-testid="autosave-status"][data-state="saved"]');
}

describe('tampered share links', () => {
  const session = useStudioSession();
  const dialogs: string[] = [];

  it(`refuses all ${LINKS.length} with their own message, runs nothing and keeps the work`, async () => {
    const { studio } = session;
    const { page } = studio;
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await waitForSaved(studio);
    const pipelineBefore = await savedPipelineText(studio);
    const autosaveBefore = await autosaved(studio);
    expect(JSON.parse(autosaveBefore).pipeline).toEqual(JSON.parse(pipelineBefore));

    expect(LINKS.length).toBeGreaterThanOrEqual(20);
    for (const [index, link] of LINKS.entries()) {
      await page.evaluate((hash) => {
        window.location.hash = hash;
      }, link.hash);
      const banner = await page.waitForSelector('[data-testid="link-problem"]');
      const text = (await banner.textContent()) ?? '';
      expect(text, link.name).toContain(link.message);
      expect(await page.evaluate(() => window.location.hash), link.name).toBe('');
      if (index === 0 || link.name.includes('<script>') || link.name === 'inflate bomb') await studio.screenshot(`tampered-link-${index + 1}-${link.name.replace(/\W+/g, '-')}`);
      await page.click('[data-testid="link-problem"] button');
      await page.waitForSelector('[data-testid="link-problem"]', { state: 'detached' });
    }

    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => ({}) as Record<string, unknown>).then((object) => object.polluted)).toBeUndefined();
    expect(await page.evaluate(() => (({}) as Record<string, unknown>).polluted)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.$('[data-testid="run-offer"]')).toBeNull();
    expect(await page.$('[data-testid="results-panel"]')).toBeNull();
    expect((await studio.state()).modelName).toBe('fashion-cnn.onnx');
    expect(await savedPipelineText(studio)).toBe(pipelineBefore);
    expect(await autosaved(studio)).toBe(autosaveBefore);
  });

  it('refuses a tampered link the studio is opened with, and starts with the work it had', async () => {
    const { studio } = session;
    const { page } = studio;
    const pipelineBefore = await savedPipelineText(studio);
    const link = LINKS.find((candidate) => candidate.name === '<img onerror> in a node id')!;
    await page.goto('about:blank');
    await page.goto(`${studio.url}${link.hash}`);
    await studio.waitForModel('fashion-cnn.onnx');
    const banner = await page.waitForSelector('[data-testid="link-problem"]');
    expect(await banner.textContent()).toContain(link.message);
    await studio.screenshot('tampered-link-on-start');
    // The same document (autosave brought it back; key order may differ).
    expect(JSON.parse(await savedPipelineText(studio))).toEqual(JSON.parse(pipelineBefore));
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('stays usable: a good link opens afterwards', async () => {
    const { studio } = session;
    const { page } = studio;
    await page.click('[data-testid="link-problem"] button');
    await page.evaluate((hash) => {
      window.location.hash = hash;
    }, goodLink());
    await page.waitForSelector('[data-testid="run-offer"]');
    await studio.waitForModel('fashion-mlp.onnx');
    const saved = JSON.parse(await savedPipelineText(studio)) as { nodes: { id: string }[] };
    expect(saved.nodes.map((node) => node.id)).toEqual(['model', 'p', 'q']);
    expect(await page.$('[data-testid="link-problem"]')).toBeNull();
  });
});
