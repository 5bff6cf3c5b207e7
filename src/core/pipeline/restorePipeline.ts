// The one way into a pipeline, from anywhere: the canvas, a saved file, a share URL, the CLI
// (STYLE.md rule 8; Excalidraw's restore). Steps: parse text → check the version (and migrate
// older versions when there are any) → validate → fill defaults. Unknown fields are kept at every
// level, so a pipeline saved by a newer Whittle that only added fields survives a round trip here.
//
// Versions: 1 is the first and current one, so there is nothing to migrate yet. When version 2
// comes, a `migrateV1ToV2(document)` step goes between the version check and validation, and
// version 1 documents keep loading. A missing version is read as 1 (hand-written files often
// forget it), with a note saying so; a version above 1 was made by a newer Whittle and is refused,
// since reading it as v1 could silently change what it means.
import { isDeclaredParam, withBlockDefaults } from './blockParams.js';
import { PIPELINE_LIMITS } from './limits.js';
import { describeValue } from './paramKinds.js';
import { PIPELINE_TYPE, PIPELINE_VERSION, validatePipeline, type PipelineSpec } from './pipelineSpec.js';
import { copyPlainJson, isJsonObject, type PlainJson } from './plainJson.js';

export type RestoreResult =
  | {
      ok: true;
      /** Valid v1, with every block's defaults filled and unknown fields kept. */
      pipeline: PipelineSpec;
      /** Things the user may want to know that did not stop the load. */
      notes: string[];
    }
  | { ok: false; errors: string[] };

function parseText(text: string): { ok: true; value: unknown } | { ok: false; errors: string[] } {
  if (text.length > PIPELINE_LIMITS.maxTextLength) {
    return { ok: false, errors: [`the pipeline text is ${text.length.toLocaleString('en-US')} characters; at most ${PIPELINE_LIMITS.maxTextLength.toLocaleString('en-US')} are allowed`] };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, errors: [`the pipeline is not valid JSON: ${(error as Error).message}`] };
  }
}

/** Brings a document to the current version, or says why it cannot. */
function migrate(document: PlainJson, notes: string[]): { ok: true; document: PlainJson } | { ok: false; errors: string[] } {
  if (!isJsonObject(document) || document.type !== PIPELINE_TYPE) return { ok: true, document }; // validation says what is wrong
  const version = document.version;
  if (version === undefined) {
    notes.push(`the pipeline has no version; it was read as version ${PIPELINE_VERSION}`);
    return { ok: true, document: { ...document, version: PIPELINE_VERSION } };
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, errors: [`version must be a whole number from 1; got ${describeValue(version)}`] };
  }
  if (version > PIPELINE_VERSION) {
    return { ok: false, errors: [`this pipeline was made by a newer Whittle (pipeline version ${version}); this Whittle reads versions up to ${PIPELINE_VERSION} — update Whittle to open it`] };
  }
  return { ok: true, document };
}

function unknownParamNotes(pipeline: PipelineSpec): string[] {
  return pipeline.nodes.flatMap((node) =>
    Object.keys(node.params)
      .filter((name) => !isDeclaredParam(node.type, name))
      .map((name) => `node '${node.id}': '${name}' is not a ${node.type} parameter this Whittle knows; it is kept but has no effect`),
  );
}

/**
 * Loads a pipeline from JSON text or from already-parsed data. Never throws; returns the pipeline
 * ready for the planner and editor, or every problem found as a sentence a user can act on.
 */
export function restorePipeline(input: unknown): RestoreResult {
  const parsed = typeof input === 'string' ? parseText(input) : { ok: true as const, value: input };
  if (!parsed.ok) return parsed;
  const copied = copyPlainJson(parsed.value);
  if (!copied.ok) return copied;
  const notes: string[] = [];
  const migrated = migrate(copied.value, notes);
  if (!migrated.ok) return migrated;
  const validated = validatePipeline(migrated.document);
  if (!validated.ok) return validated;
  const pipeline: PipelineSpec = {
    ...validated.pipeline,
    nodes: validated.pipeline.nodes.map((node) => ({ ...node, params: withBlockDefaults(node.type, node.params) })),
  };
  return { ok: true, pipeline, notes: [...notes, ...unknownParamNotes(pipeline)] };
}
