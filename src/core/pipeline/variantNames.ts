// How planned variants are named. A variant id reads as the swept choices that made it:
//
//   model                                  the model node (no params)
//   p                                      block p, nothing swept on the way
//   q[bits=4]                              q's bits sweep chose 4 (DESIGN.md's results example)
//   q[bits=4,groupSize=32]                 several swept params, in the block's declaration order
//   p[sparsity=0.5]/q[bits=4]              p swept upstream: its choice comes first, then '/'
//   p[sparsity=0.5]/q                      q has no sweep but sits under a swept p
//
// Only nodes with sweeps appear before the last '/', since the path to a node is fixed by the
// pipeline and only the choices vary. Ids are unique within a plan: node ids hold none of
// `[]=,/`, and labels escape those characters (with '%', '+' and ':') as %XX; when two values of
// one sweep would still read alike, that sweep is labelled by its canonical JSON instead.
//
// File names (`--out DIR`) follow the id with filename-safe characters only:
// `q[bits=4]` → `q-bits-4.onnx`, `p[sparsity=0.5]/q[bits=4]` → `p-sparsity-0.5--q-bits-4.onnx`;
// collisions (ignoring case, as some file systems do) get `-2`, `-3`, ... in plan order.
import { canonicalJson } from './canonicalJson.js';

/** One swept param of one node: its name and the label of the chosen value. */
export interface SweptChoice {
  name: string;
  label: string;
}

/** A node's part of a variant id: the node and the choices of its sweeps. */
export interface IdSegment {
  nodeId: string;
  choices: readonly SweptChoice[];
}

const ESCAPED = /[%[\]=,/+:]/g;
const escapeLabel = (text: string) => text.replace(ESCAPED, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

function readableLabel(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'string') return escapeLabel(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'object' && item !== null ? escapeLabel(canonicalJson(item)) : readableLabel(item))).join('+');
  if (typeof value === 'object') {
    return Object.keys(value)
      .sort()
      .map((key) => {
        const item = (value as Record<string, unknown>)[key];
        return `${escapeLabel(key)}:${typeof item === 'object' && item !== null ? escapeLabel(canonicalJson(item)) : readableLabel(item)}`;
      })
      .join('+');
  }
  return escapeLabel(String(value));
}

/**
 * Labels for every value of one sweep, in order: `4`, `channel`, `conv1+conv2` (a list),
 * `width:0.5` (an object). Distinct whenever the values are.
 */
export function sweepLabels(values: readonly unknown[]): string[] {
  const labels = values.map(readableLabel);
  if (new Set(labels).size === labels.length) return labels;
  return values.map((value) => escapeLabel(canonicalJson(value)));
}

export function segmentText(segment: IdSegment): string {
  if (segment.choices.length === 0) return segment.nodeId;
  return `${segment.nodeId}[${segment.choices.map((choice) => `${choice.name}=${choice.label}`).join(',')}]`;
}

/** The id of a variant, from the segments of its path (model first, the variant's own node last). */
export function variantId(path: readonly IdSegment[]): string {
  const own = path[path.length - 1];
  if (!own) throw new Error('variantId: a variant has at least its own node');
  const upstream = path.slice(0, -1).filter((segment) => segment.choices.length > 0);
  return [...upstream, own].map(segmentText).join('/');
}

const fileSafe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_');

/** Names Windows will not create a file under, whatever the extension. */
const RESERVED_FILE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
const MAX_FILE_STEM = 120;

/** The file name a variant's id suggests, before collisions are resolved. */
export function fileStem(path: readonly IdSegment[]): string {
  const own = path[path.length - 1];
  const upstream = path.slice(0, -1).filter((segment) => segment.choices.length > 0);
  const stem = [...upstream, ...(own ? [own] : [])]
    .map((segment) => [segment.nodeId, ...segment.choices.flatMap((choice) => [choice.name, fileSafe(choice.label)])].join('-'))
    .join('--');
  const capped = stem.length > MAX_FILE_STEM ? stem.slice(0, MAX_FILE_STEM) : stem;
  return RESERVED_FILE_NAMES.test(capped) ? `${capped}_` : capped;
}

/** Assigns `STEM.onnx` names in order, adding `-2`, `-3`, ... where a name (ignoring case) is taken. */
export class FileNamer {
  private readonly taken = new Set<string>();

  name(stem: string): string {
    let candidate = `${stem}.onnx`;
    for (let suffix = 2; this.taken.has(candidate.toLowerCase()); suffix += 1) candidate = `${stem}-${suffix}.onnx`;
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}
