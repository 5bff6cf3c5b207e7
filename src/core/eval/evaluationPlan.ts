// Which images an evaluation runs on. By default the whole test split; the "quick" setting runs a
// fixed subset of QUICK_EVALUATION_IMAGES (1,000) images, the same every time, so quick results of
// different variants stay comparable with each other (never with full-split results — every
// evaluation says which subset it used):
// - labelled data: stratified by class — each class gets a share proportional to its size
//   (largest remainder, ties to the lower class id), filled with that class's first images in file
//   order. Stratifying matters for files sorted by class (an image-folder zip is), where the first
//   1,000 images would all be one class.
// - unlabelled data: 1,000 images evenly spaced through the file.
// The chosen images keep their file order. A split of at most 1,000 images is evaluated whole, and
// the plan then says 'full'.
import type { ImageSet } from './datasets/Dataset.js';
import { formatCount } from './datasets/DatasetError.js';
import { gatherImageBatch, takeImageBatch, type ImageBatch } from './datasets/imageBatch.js';

/** Images in the quick subset. */
export const QUICK_EVALUATION_IMAGES = 1000;

export type EvaluationSubset = 'full' | 'quick';

export interface EvaluationPlan {
  subset: EvaluationSubset;
  /** Images evaluated. */
  count: number;
  /** Indices into the set, ascending; null means all images in order. */
  indices: Int32Array | null;
  /** For the chart, the table and reports: "quick: 1,000 of 10,000 test images, stratified by class". */
  description: string;
}

export interface EvaluationPlanOptions {
  quick?: boolean;
}

/** The first images of each class, `size` in all, in proportion to the class sizes; ascending. */
export function stratifiedSubset(labels: ArrayLike<number>, size: number): Int32Array {
  const total = labels.length;
  const classSizes = new Map<number, number>();
  for (let i = 0; i < total; i++) classSizes.set(labels[i]!, (classSizes.get(labels[i]!) ?? 0) + 1);
  const classes = [...classSizes.keys()].sort((a, b) => a - b);
  const quotas = new Map<number, number>();
  const remainders: { label: number; remainder: number }[] = [];
  let assigned = 0;
  for (const label of classes) {
    const exact = (size * classSizes.get(label)!) / total;
    quotas.set(label, Math.floor(exact));
    assigned += Math.floor(exact);
    remainders.push({ label, remainder: exact - Math.floor(exact) });
  }
  remainders.sort((a, b) => b.remainder - a.remainder || a.label - b.label);
  for (let k = 0; assigned < size && k < remainders.length; k++, assigned++) {
    const { label } = remainders[k]!;
    quotas.set(label, quotas.get(label)! + 1);
  }
  const indices = new Int32Array(Math.min(size, total));
  let taken = 0;
  for (let i = 0; i < total && taken < indices.length; i++) {
    const left = quotas.get(labels[i]!)!;
    if (left > 0) {
      quotas.set(labels[i]!, left - 1);
      indices[taken++] = i;
    }
  }
  return indices;
}

/** `size` indices spread evenly over [0, total), ascending. */
export function evenlySpacedSubset(total: number, size: number): Int32Array {
  const count = Math.min(size, total);
  return Int32Array.from({ length: count }, (_, k) => Math.floor((k * total) / count));
}

/** The images an evaluation of `set` runs on. */
export function planEvaluation(set: ImageSet, options: EvaluationPlanOptions = {}): EvaluationPlan {
  const total = set.shape[0];
  const all = `all ${formatCount(total)} test images`;
  if (!options.quick || total <= QUICK_EVALUATION_IMAGES) {
    const note = options.quick ? ` (the split is no larger than the quick subset of ${formatCount(QUICK_EVALUATION_IMAGES)})` : '';
    return { subset: 'full', count: total, indices: null, description: `${all}${note}` };
  }
  const indices = set.y ? stratifiedSubset(set.y, QUICK_EVALUATION_IMAGES) : evenlySpacedSubset(total, QUICK_EVALUATION_IMAGES);
  const how = set.y ? 'stratified by class (the first images of each class, in proportion to its size)' : 'evenly spaced through the file';
  return {
    subset: 'quick',
    count: indices.length,
    indices,
    description: `quick: ${formatCount(indices.length)} of ${formatCount(total)} test images, ${how}`,
  };
}

/** Planned images [start, start + count) as a float32 batch (uint8 pixels scaled to [0, 1]). */
export function takePlannedBatch(set: ImageSet, plan: EvaluationPlan, start: number, count: number): ImageBatch {
  if (plan.indices === null) return takeImageBatch(set, start, count);
  return gatherImageBatch(set, plan.indices.subarray(start, Math.min(plan.count, start + count)));
}

/** The labels of the planned images, in plan order; null for unlabelled data. */
export function plannedLabels(set: ImageSet, plan: EvaluationPlan): Int32Array | null {
  if (!set.y) return null;
  if (plan.indices === null) return set.y.slice(0, plan.count);
  const labels = set.y;
  return plan.indices.map((index) => labels[index]!);
}
