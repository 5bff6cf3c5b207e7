// Pipeline spec v1 (../shared/DESIGN.md, "Contract: pipeline spec v1"): the one document format of
// the canvas, saved files, share URLs and the CLI. This module owns its schema and validation;
// restorePipeline.ts is the entry point that also migrates versions and fills defaults.
//
//   { "type": "whittle-pipeline", "version": 1,
//     "model": { "sample": "fashion-cnn" }, "dataset": { "sample": "fashion-mnist" },
//     "nodes": [ { "id": "model", "type": "model" }, { "id": "q", "type": "quantize", "params": { "bits": [8, 4] } } ],
//     "edges": [ { "source": "model", "target": "q" } ] }
//
// Node ids are a letter followed by letters, digits, '_' or '-' (at most 48 characters), because
// they name variants and output files; ids that differ only in case are refused for the same
// reason. Names (`model.name`) are any text and are only ever shown as text. Unknown fields are
// kept everywhere; `ui` (on the document and on nodes) is editor-only data that never changes results.
import { z } from 'zod';
import { NODE_TYPES, paramsSchema, type NodeType } from './blockParams.js';
import { PIPELINE_LIMITS } from './limits.js';
import { mustBe, sampleId } from './paramKinds.js';
import { childPath, copyPlainJson, isJsonObject, type PlainJson, type PlainJsonObject } from './plainJson.js';
import { orderPipeline, type GraphEdgeRef, type GraphNodeRef } from './pipelineGraph.js';

export const PIPELINE_TYPE = 'whittle-pipeline';
export const PIPELINE_VERSION = 1;

/** A bundled sample, or a user's file named by its SHA-256 (the file itself never goes in a pipeline). */
export type ResourceRef = ({ sample: string } | { name: string; sha256: string }) & { [unknown: string]: unknown };

export interface PipelineNode {
  id: string;
  type: NodeType;
  /** Block params as written: any may be a sweep. restorePipeline fills defaults. */
  params: Record<string, unknown>;
  /** Editor-only (position, ...). */
  ui?: Record<string, unknown>;
  [unknown: string]: unknown;
}

export interface PipelineEdge {
  source: string;
  target: string;
  [unknown: string]: unknown;
}

export interface PipelineSpec {
  type: typeof PIPELINE_TYPE;
  version: typeof PIPELINE_VERSION;
  model?: ResourceRef;
  dataset?: ResourceRef;
  nodes: PipelineNode[];
  edges: PipelineEdge[];
  /** Editor-only (viewport, ...). */
  ui?: Record<string, unknown>;
  [unknown: string]: unknown;
}

export type PipelineValidation = { ok: true; pipeline: PipelineSpec } | { ok: false; errors: string[] };

export const NODE_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Ids a careless `object[id]` would turn into prototype access. */
const RESERVED_IDS = new Set(['constructor', 'prototype']);

const NODE_ID_RULE = `a node id: a letter, then letters, digits, '_' or '-', at most ${PIPELINE_LIMITS.maxIdLength} characters`;
const nodeId = z
  .string(mustBe(NODE_ID_RULE))
  .max(PIPELINE_LIMITS.maxIdLength, mustBe(NODE_ID_RULE))
  .regex(NODE_ID_PATTERN, mustBe(NODE_ID_RULE))
  .refine((id) => !RESERVED_IDS.has(id), mustBe(`${NODE_ID_RULE}, and not 'constructor' or 'prototype'`));

const editorData = z.looseObject({}, mustBe('an object (editor-only data)'));

function resourceRef(what: 'model' | 'dataset') {
  const expected = `{ sample: ID } for a bundled ${what} or { name, sha256 } for your own file`;
  const hash = mustBe("the file's SHA-256 as 64 hexadecimal digits");
  const name = mustBe(`a file name of 1 to ${PIPELINE_LIMITS.maxNameLength} characters`);
  return z
    .looseObject(
      {
        sample: sampleId(`sample ${what}`).optional(),
        name: z.string(name).min(1, name).max(PIPELINE_LIMITS.maxNameLength, name).optional(),
        sha256: z.string(hash).regex(/^[0-9a-fA-F]{64}$/, hash).transform((digits) => digits.toLowerCase()).optional(),
      },
      mustBe(expected),
    )
    .superRefine((ref, ctx) => {
      const isSample = ref.sample !== undefined;
      const isFile = ref.name !== undefined || ref.sha256 !== undefined;
      if (isSample && isFile) ctx.addIssue({ code: 'custom', message: `must be ${expected}, not both` });
      else if (!isSample && (ref.name === undefined || ref.sha256 === undefined)) {
        ctx.addIssue({ code: 'custom', message: `must be ${expected}; ${isFile ? `'${ref.name === undefined ? 'name' : 'sha256'}' is missing` : 'got neither'}` });
      }
    });
}

const nodeSchema = z
  .looseObject(
    {
      id: nodeId,
      type: z.enum(NODE_TYPES as [NodeType, ...NodeType[]], mustBe(`a block type, one of ${NODE_TYPES.map((type) => `'${type}'`).join(', ')}`)),
      params: z.unknown().optional(),
      ui: editorData.optional(),
    },
    mustBe('a node object { id, type, params }'),
  )
  .transform((node, ctx) => {
    // Params are checked against the node's own type, so an unknown type gives one message, not a union of all.
    const result = paramsSchema(node.type).safeParse(node.params ?? {});
    if (!result.success) {
      for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: ['params', ...issue.path] });
      return z.NEVER;
    }
    return { ...node, params: result.data } as PipelineNode;
  });

const edgeSchema = z.looseObject(
  {
    source: z.string(mustBe('the id of the node it comes from')),
    target: z.string(mustBe('the id of the node it goes to')),
  },
  mustBe('an edge object { source, target }'),
);

const documentSchema = z.looseObject(
  {
    type: z.literal(PIPELINE_TYPE, mustBe(`'${PIPELINE_TYPE}' (is this a Whittle pipeline?)`)),
    version: z.literal(PIPELINE_VERSION, mustBe(String(PIPELINE_VERSION))),
    model: resourceRef('model').optional(),
    dataset: resourceRef('dataset').optional(),
    nodes: z
      .array(nodeSchema, mustBe('a list of nodes, one of them of type \'model\''))
      .max(PIPELINE_LIMITS.maxNodes, mustBe(`a list of at most ${PIPELINE_LIMITS.maxNodes} nodes`)),
    edges: z
      .array(edgeSchema, mustBe('a list of edges { source, target }'))
      .max(PIPELINE_LIMITS.maxEdges, mustBe(`a list of at most ${PIPELINE_LIMITS.maxEdges} edges`))
      .default([]),
    ui: editorData.optional(),
  },
  mustBe(`a pipeline object { type: '${PIPELINE_TYPE}', version, nodes, edges }`),
);

function entryAt(document: PlainJson, list: 'nodes' | 'edges', index: number): PlainJsonObject | undefined {
  if (!isJsonObject(document)) return undefined;
  const entries = document[list];
  const entry = Array.isArray(entries) ? entries[index] : undefined;
  return isJsonObject(entry) ? entry : undefined;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => childPath(text, typeof key === 'number' ? key : String(key)), '');
}

/**
 * One zod issue as a sentence that names the node or edge: "node 'q': bits must be one of 2, 3, 4,
 * 8, 16; got 5", "edges[0] ('p' → 'zz'): target must be ...". Node params are named without the
 * `params.` prefix, the way the inspector shows them.
 */
function describeIssue(issue: z.core.$ZodIssue, document: PlainJson): string {
  const [list, index, ...rest] = issue.path;
  const sentence = (prefix: string, path: readonly PropertyKey[]) => (path.length > 0 ? `${prefix}${pathText(path)} ${issue.message}` : `${prefix}${issue.message}`);
  if (list === 'nodes' && typeof index === 'number') {
    const id = entryAt(document, 'nodes', index)?.id;
    const named = typeof id === 'string' && NODE_ID_PATTERN.test(id) && id.length <= PIPELINE_LIMITS.maxIdLength && rest[0] !== 'id';
    const inParams = rest[0] === 'params' && rest.length > 1;
    return named ? sentence(`node '${id}': `, inParams ? rest.slice(1) : rest) : sentence(`nodes[${index}]${rest.length > 0 ? '.' : ' '}`, rest);
  }
  if (list === 'edges' && typeof index === 'number') {
    const edge = entryAt(document, 'edges', index);
    const ends = typeof edge?.source === 'string' && typeof edge.target === 'string' ? ` ('${edge.source}' → '${edge.target}')` : '';
    return sentence(`edges[${index}]${ends}${rest.length > 0 ? ': ' : ' '}`, rest);
  }
  return issue.path.length > 0 ? sentence('', issue.path) : `the pipeline ${issue.message}`;
}

/** The nodes and edges the graph checks can read, even when other fields of them are wrong. */
function graphRefs(document: PlainJson): { nodes: GraphNodeRef[]; edges: GraphEdgeRef[] } | null {
  if (!isJsonObject(document) || !Array.isArray(document.nodes)) return null;
  const nodes = document.nodes.flatMap((node) => (isJsonObject(node) && typeof node.id === 'string' ? [{ id: node.id, type: String(node.type) }] : []));
  const edgeList = Array.isArray(document.edges) ? document.edges : [];
  const edges = edgeList.flatMap((edge) => (isJsonObject(edge) && typeof edge.source === 'string' && typeof edge.target === 'string' ? [{ source: edge.source, target: edge.target }] : []));
  return { nodes, edges };
}

/**
 * Checks that `input` is a v1 pipeline and returns a copy of it (unknown fields kept, defaults not
 * yet filled), or every problem found as a sentence a user can act on. Never throws. Use
 * restorePipeline to load a pipeline from anywhere; this is its last step and the check the
 * inspector can run on every edit.
 */
export function validatePipeline(input: unknown): PipelineValidation {
  const copied = copyPlainJson(input);
  if (!copied.ok) return copied;
  const document = copied.value;
  const errors: string[] = [];
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) errors.push(...parsed.error.issues.map((issue) => describeIssue(issue, document)));
  const refs = graphRefs(document);
  if (refs && refs.nodes.length <= PIPELINE_LIMITS.maxNodes && refs.edges.length <= PIPELINE_LIMITS.maxEdges) {
    const ordered = orderPipeline(refs.nodes, refs.edges);
    if (!ordered.ok) errors.push(...ordered.errors);
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: [...new Set(errors)] };
  return { ok: true, pipeline: parsed.data as PipelineSpec };
}

