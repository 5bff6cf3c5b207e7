// What autosave keeps between sessions, as one versioned document (STYLE.md rule 8):
//
//   { type: 'whittle-autosave', version: 1, savedAt,
//     pipeline,                 the pipeline being edited (spec v1)
//     model,                    the open model: { kind: 'sample', id } or { kind: 'file', name, sha256 }
//     run }                     the last finished run (savedRun.ts), or null
//
// A user's model file itself is kept beside it under its own key (autosaveStorage.ts), so a reload
// reopens it without asking; it never leaves the machine.
//
// Restoring goes through the same gates as everything from outside: restorePipeline for the
// pipeline, restoreSavedRun for the run. A part that fails is dropped with a note saying why and
// the rest is kept; a document that is not ours at all (another version, garbage) is ignored with a
// note. Nothing here throws.
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import type { OpenModelRef } from '../stores/pipelineStore';
import { restoreSavedRun, type RestoredRun, type SavedRun } from './savedRun';

export const AUTOSAVE_TYPE = 'whittle-autosave';
export const AUTOSAVE_VERSION = 1;

export interface AutosaveDocument {
  type: typeof AUTOSAVE_TYPE;
  version: typeof AUTOSAVE_VERSION;
  /** ISO time of the save. */
  savedAt: string;
  pipeline: PipelineSpec;
  model: OpenModelRef | null;
  run: SavedRun | null;
}

export interface RestoredAutosave {
  /** null when there was none, or it did not restore. */
  pipeline: PipelineSpec | null;
  model: OpenModelRef | null;
  run: Extract<RestoredRun, { ok: true }> | null;
  /** What was dropped and why, for the user. */
  notes: string[];
}

const NOTHING: RestoredAutosave = { pipeline: null, model: null, run: null, notes: [] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function restoreModelRef(value: unknown): OpenModelRef | null {
  if (!isObject(value)) return null;
  if (value.kind === 'sample' && typeof value.id === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(value.id)) return { kind: 'sample', id: value.id };
  if (value.kind === 'file' && typeof value.name === 'string' && value.name.length > 0 && value.name.length <= 255 && typeof value.sha256 === 'string' && /^[0-9a-f]{64}$/.test(value.sha256)) {
    return { kind: 'file', name: value.name, sha256: value.sha256 };
  }
  return null;
}

export function autosaveDocument(pipeline: PipelineSpec, model: OpenModelRef | null, run: SavedRun | null, savedAt = new Date()): AutosaveDocument {
  return { type: AUTOSAVE_TYPE, version: AUTOSAVE_VERSION, savedAt: savedAt.toISOString(), pipeline, model, run };
}

/** What can be brought back of a stored value (undefined: nothing was stored). */
export function restoreAutosave(value: unknown): RestoredAutosave {
  if (value === undefined || value === null) return NOTHING;
  if (!isObject(value) || value.type !== AUTOSAVE_TYPE) return { ...NOTHING, notes: ['The autosaved work of an earlier session was not recognised, so the studio started afresh.'] };
  if (value.version !== AUTOSAVE_VERSION) {
    return { ...NOTHING, notes: [`The autosaved work is from another version of Whittle (autosave version ${JSON.stringify(value.version)}; this one reads ${AUTOSAVE_VERSION}), so the studio started afresh.`] };
  }
  const notes: string[] = [];
  const restored = restorePipeline(value.pipeline);
  if (!restored.ok) notes.push(`The autosaved pipeline could not be restored (${restored.errors.slice(0, 3).join('; ')}), so the studio started with the suggested one.`);
  const pipeline = restored.ok ? restored.pipeline : null;
  const model = restoreModelRef(value.model);
  if (value.model !== null && value.model !== undefined && !model) notes.push('The autosaved model reference was not readable; the default sample opens instead.');
  let run: Extract<RestoredRun, { ok: true }> | null = null;
  if (value.run !== null && value.run !== undefined) {
    const saved = restoreSavedRun(value.run);
    if (saved.ok) run = saved;
    else notes.push(`The results of the last run could not be shown again: ${saved.reason}.`);
  }
  return { pipeline, model, run, notes };
}
