import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImageSet } from './datasets/Dataset.js';
import { evenlySpacedSubset, planEvaluation, plannedLabels, QUICK_EVALUATION_IMAGES, stratifiedSubset, takePlannedBatch } from './evaluationPlan.js';

function labelledSet(labels: number[]): ImageSet {
  // One 1×1×1 image per label, its pixel = its index, so batches show which images they hold.
  return { x: Float32Array.from(labels, (_, i) => i), shape: [labels.length, 1, 1, 1], y: Int32Array.from(labels) };
}

describe('evaluation plan', () => {
  it('evaluates the whole split by default, and when quick asks for more than there is', () => {
    const set = labelledSet([0, 1, 0]);
    expect(planEvaluation(set)).toEqual({ subset: 'full', count: 3, indices: null, description: 'all 3 test images' });
    const quick = planEvaluation(set, { quick: true });
    expect(quick.subset).toBe('full');
    expect(quick.description).toBe('all 3 test images (the split is no larger than the quick subset of 1,000)');
  });

  it('takes a stratified 1,000 from a labelled split sorted by class', () => {
    // 3,000 × class 0, then 1,000 × class 1, then 1,000 × class 2 — sorted, as a folder zip is.
    const labels = [...Array(3000).fill(0), ...Array(1000).fill(1), ...Array(1000).fill(2)];
    const set = labelledSet(labels);
    const plan = planEvaluation(set, { quick: true });
    expect(plan.subset).toBe('quick');
    expect(plan.count).toBe(QUICK_EVALUATION_IMAGES);
    expect(plan.description).toBe('quick: 1,000 of 5,000 test images, stratified by class (the first images of each class, in proportion to its size)');
    const chosen = plannedLabels(set, plan)!;
    expect([0, 1, 2].map((c) => chosen.filter((label) => label === c).length)).toEqual([600, 200, 200]);
    expect(Array.from(plan.indices!.slice(598, 602))).toEqual([598, 599, 3000, 3001]);
    const batch = takePlannedBatch(set, plan, 599, 2);
    expect(Array.from(batch.x)).toEqual([599, 3000]);
    expect(Array.from(batch.y!)).toEqual([0, 1]);
  });

  it('spaces an unlabelled quick subset evenly', () => {
    const set: ImageSet = { x: new Uint8Array(2500), shape: [2500, 1, 1, 1], y: null };
    const plan = planEvaluation(set, { quick: true });
    expect(plan.description).toBe('quick: 1,000 of 2,500 test images, evenly spaced through the file');
    expect(Array.from(plan.indices!.slice(0, 3))).toEqual([0, 2, 5]);
    expect(plan.indices![999]).toBe(2497);
    expect(plannedLabels(set, plan)).toBeNull();
  });

  it('is the same every time and gives each class its proportional share (largest remainder)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 300 }), (labels, size) => {
        const subset = stratifiedSubset(labels, size);
        expect(subset).toEqual(stratifiedSubset(labels, size));
        expect(subset.length).toBe(Math.min(size, labels.length));
        for (let k = 1; k < subset.length; k++) expect(subset[k]!).toBeGreaterThan(subset[k - 1]!);
        for (const c of new Set(labels)) {
          const share = (Math.min(size, labels.length) * labels.filter((l) => l === c).length) / labels.length;
          const taken = Array.from(subset).filter((i) => labels[i] === c).length;
          expect(taken).toBeGreaterThanOrEqual(Math.floor(share));
          expect(taken).toBeLessThanOrEqual(Math.ceil(share));
        }
      }),
    );
  });

  it('spaces indices evenly without repeats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 2000 }), (total, size) => {
        const subset = evenlySpacedSubset(total, size);
        expect(subset.length).toBe(Math.min(total, size));
        expect(subset[0]).toBe(0);
        expect(subset.every((index, k) => k === 0 || index > subset[k - 1]!)).toBe(true);
        expect(subset[subset.length - 1]!).toBeLessThan(total);
      }),
    );
  });
});
