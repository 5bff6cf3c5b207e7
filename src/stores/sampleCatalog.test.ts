import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLE_ID, restoreSampleCard, SAMPLE_MODELS } from './sampleCatalog';

describe('sample catalog', () => {
  it('offers the default sample first', () => {
    expect(SAMPLE_MODELS[0]!.id).toBe(DEFAULT_SAMPLE_ID);
  });

  it.each(SAMPLE_MODELS.map((m) => [m.id]))('reads the committed card of %s', (id) => {
    const card = restoreSampleCard(JSON.parse(readFileSync(new URL(`../../public/samples/${id}.json`, import.meta.url), 'utf8')));
    expect(card).not.toBeNull();
    expect(card!.id).toBe(id);
    expect(card!.testAccuracy).toBeGreaterThan(0.85);
  });

  it('rejects what is not a model card, so the studio shows no invented facts', () => {
    expect(restoreSampleCard(null)).toBeNull();
    expect(restoreSampleCard('fashion-cnn')).toBeNull();
    expect(restoreSampleCard({ type: 'whittle-model-card', version: 2, id: 'x', name: 'x', testAccuracy: 1, dataset: { name: 'd' }, training: { epochs: 1 } })).toBeNull();
    expect(restoreSampleCard({ type: 'whittle-model-card', version: 1, id: 'x', name: 'x', testAccuracy: '0.9', dataset: { name: 'd' }, training: { epochs: 1 } })).toBeNull();
    expect(restoreSampleCard({ type: 'whittle-model-card', version: 1, id: 'x', name: 'x', testAccuracy: 0.9, dataset: { name: 'd' }, training: { epochs: 1 } })).toMatchObject({ id: 'x', testAccuracy: 0.9 });
  });
});
