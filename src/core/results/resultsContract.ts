// The results contract (../shared/DESIGN.md, "Contract: results"): what `whittle run --json`
// prints, what `--out DIR` writes as results.json, and what the studio exports. Types, and one
// validator that every load goes through, with messages that name the variant and the field:
//
//   { "type": "whittle-results", "version": 1,
//     "variants": [ { "id": "q[bits=4]", "path": ["model", "p", "q"], "params": { "bits": 4 },
//                     "file": "q-bits-4.onnx",
//                     "metrics": { "sizeBytes", "gzipBytes", "params", "nonzeroParams",
//                                  "accuracy", "agreement", "sqnrDb", "latencyMs" } } ] }
//
// What the values mean:
// - sizeBytes: the serialized .onnx; gzipBytes: the same bytes gzipped; params / nonzeroParams:
//   parameters of the model's layers, and those that are not zero (src/core/graph/modelSize.ts).
// - accuracy: top-1 (0–1) on the test split, or on the quick subset when evaluation ran quick;
//   null without labels (or without data).
// - agreement: top-1 agreement (0–1) with the model variant — 1 for the model itself; null
//   without data.
// - sqnrDb: output SQNR against the model variant in dB, clamped to ±200 (200 = identical outputs;
//   src/core/eval/metrics/sqnr.ts); null for the model variant itself, without data, or when the
//   outputs hold NaN/Infinity.
// - latencyMs: median per-sample latency at batch 1 (src/core/eval/evaluateModel.ts); null when
//   not measured.
// The model variant is the one whose path is only the model node (its id is that node's id,
// 'model' in every example); every other path starts from it. Unknown fields are kept, as in every
// Whittle document, so newer writers can add to a variant without breaking older readers.
import { z } from 'zod';
import { describeValue, mustBe } from '../pipeline/paramKinds.js';
import { childPath } from '../pipeline/plainJson.js';

export const RESULTS_TYPE = 'whittle-results';
export const RESULTS_VERSION = 1;

export interface VariantMetrics {
  sizeBytes: number;
  gzipBytes: number;
  params: number;
  nonzeroParams: number;
  accuracy: number | null;
  agreement: number | null;
  sqnrDb: number | null;
  latencyMs: number | null;
}

/** The metric names in the contract's order (also the table's column order). */
export const METRIC_NAMES = ['sizeBytes', 'gzipBytes', 'params', 'nonzeroParams', 'accuracy', 'agreement', 'sqnrDb', 'latencyMs'] as const satisfies readonly (keyof VariantMetrics)[];

export interface VariantResult {
  /** `q[bits=4]`, `model`: the planner's variant id. */
  id: string;
  /** Node ids from the model to this variant's node: ['model', 'p', 'q']. */
  path: string[];
  /** The swept params that made this variant, when any were swept. */
  params?: Record<string, unknown>;
  /** The .onnx file name (next to results.json under --out). */
  file: string;
  metrics: VariantMetrics;
  [unknown: string]: unknown;
}

export interface WhittleResults {
  type: typeof RESULTS_TYPE;
  version: typeof RESULTS_VERSION;
  variants: VariantResult[];
  [unknown: string]: unknown;
}

export type ResultsValidation = { ok: true; results: WhittleResults } | { ok: false; errors: string[] };

/** Enough to fix a file in a few rounds without drowning the user. */
const MAX_ERRORS = 20;

const wholeCount = (what: string) => {
  const error = mustBe(`${what} as a whole number ≥ 0`);
  return z.number(error).int(error).min(0, error);
};
const fractionOrNull = (nullMeans: string) => {
  const error = mustBe(`a number from 0 to 1, or null ${nullMeans}`);
  return z.number(error).min(0, error).max(1, error).nullable();
};
const decibels = mustBe('a number of decibels, or null (the model itself, no data, or outputs that are not finite)');
const milliseconds = mustBe('a number of milliseconds ≥ 0, or null (not measured)');

const metricsSchema = z.looseObject(
  {
    sizeBytes: wholeCount('the .onnx file size in bytes'),
    gzipBytes: wholeCount('the gzipped file size in bytes'),
    params: wholeCount('the parameter count'),
    nonzeroParams: wholeCount('the count of nonzero parameters'),
    accuracy: fractionOrNull('(no labels)'),
    agreement: fractionOrNull('(no data)'),
    sqnrDb: z.number(decibels).nullable(),
    latencyMs: z.number(milliseconds).min(0, milliseconds).nullable(),
  },
  mustBe('an object { sizeBytes, gzipBytes, params, nonzeroParams, accuracy, agreement, sqnrDb, latencyMs }'),
);

const nodeIdText = mustBe('a node id (non-empty text)');
const fileRule = mustBe("a file name ending in '.onnx', without folders");
const variantSchema = z
  .looseObject(
    {
      id: z.string(mustBe('the variant id (non-empty text)')).min(1, mustBe('the variant id (non-empty text)')),
      path: z.array(z.string(nodeIdText).min(1, nodeIdText), mustBe('a list of node ids from the model to this variant')).min(1, mustBe('a list of node ids from the model to this variant')),
      params: z.record(z.string(), z.unknown(), mustBe('an object of the swept params that made this variant')).optional(),
      file: z.string(fileRule).regex(/^(?!\.)[^/\\]*\.onnx$/, fileRule),
      metrics: metricsSchema,
    },
    mustBe('a variant object { id, path, file, metrics }'),
  )
  .superRefine((variant, ctx) => {
    const { params, nonzeroParams } = variant.metrics;
    if (nonzeroParams > params) {
      ctx.addIssue({ code: 'custom', path: ['metrics', 'nonzeroParams'], message: `must be at most params (${params}); got ${nonzeroParams}` });
    }
  });

const documentSchema = z.looseObject(
  {
    type: z.literal(RESULTS_TYPE, mustBe(`'${RESULTS_TYPE}' (is this a Whittle results file?)`)),
    version: z.literal(RESULTS_VERSION, mustBe(`${RESULTS_VERSION} (this Whittle reads results version ${RESULTS_VERSION})`)),
    variants: z.array(variantSchema, mustBe('a list of variants, the model first')).min(1, mustBe('a list of variants, the model first')),
  },
  mustBe(`a results object { type: '${RESULTS_TYPE}', version: ${RESULTS_VERSION}, variants }`),
);

function variantLabel(input: unknown, index: number): string {
  const variants = (input as { variants?: unknown }).variants;
  const id = Array.isArray(variants) ? (variants[index] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' && id !== '' ? `variants[${index}] (${describeValue(id)})` : `variants[${index}]`;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const [list, index, ...rest] = issue.path;
  const fieldPath = (path: readonly PropertyKey[]) => path.reduce<string>((text, key) => childPath(text, typeof key === 'number' ? key : String(key)), '');
  if (list === 'variants' && typeof index === 'number') {
    return `${variantLabel(input, index)}${rest.length > 0 ? `: ${fieldPath(rest)}` : ''} ${issue.message}`;
  }
  return issue.path.length > 0 ? `${fieldPath(issue.path)} ${issue.message}` : `the results ${issue.message}`;
}

/** What no single variant can show: unique ids and files, one model variant that every path starts from. */
function crossVariantProblems(variants: readonly VariantResult[]): string[] {
  const problems: string[] = [];
  const label = (index: number) => `variants[${index}] (${describeValue(variants[index]!.id)})`;
  const seenIds = new Map<string, number>();
  const seenFiles = new Map<string, number>();
  variants.forEach((variant, index) => {
    const sameId = seenIds.get(variant.id);
    if (sameId !== undefined) problems.push(`${label(index)}: id is also the id of variants[${sameId}]; ids must be unique`);
    else seenIds.set(variant.id, index);
    const fileKey = variant.file.toLowerCase();
    const sameFile = seenFiles.get(fileKey);
    if (sameFile !== undefined) problems.push(`${label(index)}: file ${describeValue(variant.file)} is also the file of variants[${sameFile}] (ignoring case); files must be unique`);
    else seenFiles.set(fileKey, index);
  });
  const roots = variants.flatMap((variant, index) => (variant.path.length === 1 ? [index] : []));
  if (roots.length !== 1) {
    problems.push(
      roots.length === 0
        ? "the results have no model variant (one whose path is just the model node, e.g. ['model']); agreement and SQNR are measured against it"
        : `the results have ${roots.length} model variants (${roots.map(label).join(', ')}); there must be exactly one`,
    );
    return problems;
  }
  const root = variants[roots[0]!]!;
  const modelNode = root.path[0]!;
  if (root.id !== modelNode) problems.push(`${label(roots[0]!)}: id must be its path's only node ${describeValue(modelNode)}; got ${describeValue(root.id)}`);
  if (root.metrics.agreement !== null && root.metrics.agreement !== 1) {
    problems.push(`${label(roots[0]!)}: metrics.agreement must be 1 (the model agrees with itself) or null; got ${root.metrics.agreement}`);
  }
  if (root.metrics.sqnrDb !== null) problems.push(`${label(roots[0]!)}: metrics.sqnrDb must be null for the model itself; got ${root.metrics.sqnrDb}`);
  variants.forEach((variant, index) => {
    if (variant.path[0] !== modelNode) problems.push(`${label(index)}: path must start at the model node ${describeValue(modelNode)}; got ${describeValue(variant.path)}`);
  });
  return problems;
}

/**
 * Checks that `input` (parsed JSON) is a v1 results document and returns it (unknown fields kept),
 * or every problem found (up to 20) as a sentence that names the variant and field:
 * "variants[1] ('q[bits=4]'): metrics.accuracy must be a number from 0 to 1, or null (no labels); got 1.5".
 * Never throws.
 */
export function validateResults(input: unknown): ResultsValidation {
  const parsed = documentSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: [...new Set(parsed.error.issues.map((issue) => describeIssue(issue, input)))].slice(0, MAX_ERRORS) };
  const results = parsed.data as WhittleResults;
  const problems = crossVariantProblems(results.variants);
  if (problems.length > 0) return { ok: false, errors: problems.slice(0, MAX_ERRORS) };
  return { ok: true, results };
}

/** A results document around `variants` (the model variant first, as the planner orders them). */
export function makeResults(variants: VariantResult[]): WhittleResults {
  return { type: RESULTS_TYPE, version: RESULTS_VERSION, variants };
}
