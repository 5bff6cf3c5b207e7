// The caps every pipeline document is held to. A pipeline arrives from places we do not control —
// a share URL someone pasted, a file from the internet, a CLI argument — so every size that work
// grows with is bounded, and going over a cap is an error that names the cap, never a hang.

export const PIPELINE_LIMITS = {
  /** Characters of pipeline JSON text (a saved file, a decoded share URL). */
  maxTextLength: 1_000_000,
  /** Nesting depth of objects and arrays, counting the document itself as depth 1. */
  maxDepth: 32,
  /** Characters in any one string (ids and names have tighter caps of their own). */
  maxStringLength: 1024,
  /** Elements in any one array — e.g. a `layers` list of a large model. */
  maxArrayLength: 1024,
  /** Keys in any one object. */
  maxObjectKeys: 256,
  /** Every value in the document together (objects, arrays, strings, numbers, ...). */
  maxValues: 100_000,
  /** Nodes in `nodes`, the model node included. */
  maxNodes: 64,
  /** Edges in `edges`. */
  maxEdges: 128,
  /** Characters in a node id. */
  maxIdLength: 48,
  /** Characters in a user model or dataset name. */
  maxNameLength: 255,
  /** Values in one swept parameter. */
  maxSweepValues: 32,
  /** Variants one pipeline may plan, the model variant included. */
  maxVariants: 256,
} as const;
