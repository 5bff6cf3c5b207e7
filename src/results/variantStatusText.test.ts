import { describe, expect, it } from 'vitest';
import type { VariantProgress } from '../stores/resultsStore';
import { variantStatusText } from './variantStatusText';

const base: VariantProgress = { status: 'queued', stage: null, fraction: 0, message: null, sizes: null, cached: false };

describe('variantStatusText', () => {
  it('says what a variant is doing, or why it stopped', () => {
    expect(variantStatusText(base)).toBe('queued');
    expect(variantStatusText({ ...base, status: 'running', stage: 'build', fraction: 0.2, message: 'layer fc1: 4-bit groups' })).toBe('building 20 % · layer fc1: 4-bit groups');
    expect(variantStatusText({ ...base, status: 'running', stage: 'evaluate', fraction: 0.625 })).toBe('evaluating 63 %');
    expect(variantStatusText({ ...base, status: 'built', fraction: 0.5 })).toBe('built, waiting for evaluation');
    expect(variantStatusText({ ...base, status: 'failed', message: "node 'p' (prune): no layers" })).toBe("failed: node 'p' (prune): no layers");
    expect(variantStatusText({ ...base, status: 'skipped', message: "its input 'p' failed" })).toBe("skipped: its input 'p' failed");
    expect(variantStatusText({ ...base, status: 'cancelled' })).toBe('cancelled');
  });
});
