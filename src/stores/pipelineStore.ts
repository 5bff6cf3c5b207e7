// The pipeline being designed: one PipelineSpec v1 document (DESIGN.md, "Contract: pipeline spec
// v1"), with defaults filled, always valid. Everything that changes it goes through an action here,
// and every document from outside (a saved file, later a share URL or the canvas) comes in through
// restorePipeline — a document that does not restore is refused with its messages and the current
// pipeline stays as it was.
//
// The spec is the single source of truth for the editor to come (issue 6): nodes, edges and
// editor-only `ui` data (positions, viewport) all live in it, so React Flow can render from it and
// zundo can undo by snapshotting `pipeline` alone.
//
// Undo/redo (zundo's `temporal`) tracks `pipeline` alone: every edit through `edit` is one step, and
// so is every load. Following the open model is not an edit: it rewrites the model ref in the
// history too, so undo never swaps the model out from under the user.
//
// The pipeline follows the open model: opening a sample names it (`{ sample }`) with the sample's
// dataset from the catalog; opening a user's file names it `{ name, sha256 }` without a dataset
// (size figures only). Loading a pipeline that names another sample opens that sample; one that
// names a user's file other than the open one keeps its ref, and the run says which file to open.
import { temporal } from 'zundo';
import { create } from 'zustand';
import { sha256Hex } from '../core/pipeline/cacheKey';
import { PIPELINE_LIMITS } from '../core/pipeline/limits';
import { PIPELINE_TYPE, PIPELINE_VERSION, type PipelineSpec, type ResourceRef } from '../core/pipeline/pipelineSpec';
import { restorePipeline } from '../core/pipeline/restorePipeline';
import { downloadText } from '../results/downloadText';
import { useModelStore, type ModelState } from './modelStore';
import { SAMPLE_MODELS } from './sampleCatalog';

/** What is open in the studio, as a pipeline names it. */
export type OpenModelRef = { kind: 'sample'; id: string } | { kind: 'file'; name: string; sha256: string };

/** A pipeline document that could not be loaded, and why. */
export interface PipelineLoadProblem {
  /** Where it came from: a file name, or 'the pipeline' when it had none. */
  source: string;
  errors: string[];
}

export interface PipelineState {
  /** Valid v1, defaults filled. */
  pipeline: PipelineSpec;
  /** The file it was loaded from; null for the suggested pipeline. */
  fileName: string | null;
  /** The last load that failed (the pipeline above is the one kept); null after a good load. */
  problem: PipelineLoadProblem | null;
  /** What the last good load noted without refusing it (a missing version, an unknown param). */
  notes: string[];
  /**
   * Loads a document (JSON text or parsed) from `source` (its file name; none for other origins);
   * false, with `problem` set and the pipeline kept, when it does not restore.
   */
  load(input: unknown, source?: string): boolean;
  /** Reads and loads a .whittle.json file. */
  loadFile(file: File): Promise<boolean>;
  /** Names the open model (and its dataset) in the pipeline; see the module header. */
  followModel(ref: OpenModelRef): void;
  dismissProblem(): void;
  /** Downloads the pipeline as NAME.whittle.json. */
  save(): void;
  /**
   * Applies a pure edit (src/editor/pipelineEdits.ts) as one undo step. The result must restore:
   * an edit that breaks the pipeline is a bug in the edit, so it throws in development and is
   * refused (pipeline kept, `problem` set) in production. An edit that returns the same pipeline
   * records nothing.
   */
  edit(change: (pipeline: PipelineSpec) => PipelineSpec): void;
}

export const PIPELINE_FILE_SUFFIX = '.whittle.json';

/** The `problem.source` of an edit refused in production (a bug, reported rather than thrown). */
export const EDIT_SOURCE = 'an edit';

/** Files that open as a pipeline rather than as a model: .whittle.json, and any .json. */
export function isPipelineFileName(name: string): boolean {
  return name.toLowerCase().endsWith('.json');
}

/** The dataset a bundled sample model was trained on, from the catalog; null for unknown ids. */
export function sampleDatasetOf(sampleId: string): string | null {
  return SAMPLE_MODELS.find((sample) => sample.id === sampleId)?.dataset ?? null;
}

/** Restores a document this module built itself; a failure is a bug here, not the user's. */
function restoreOwn(document: unknown): PipelineSpec {
  const restored = restorePipeline(document);
  if (!restored.ok) throw new Error(`internal: a pipeline built by the studio does not restore: ${restored.errors.join('; ')}`);
  return restored.pipeline;
}

/**
 * The pipeline a new session starts with: the model, then int8 per-channel weight quantization —
 * the change that is almost always safe, so the first run shows a point next to the baseline.
 */
export function suggestedPipeline(model: OpenModelRef | null = null): PipelineSpec {
  const pipeline = restoreOwn({
    type: PIPELINE_TYPE,
    version: PIPELINE_VERSION,
    nodes: [
      { id: 'model', type: 'model' },
      { id: 'q', type: 'quantize', params: { bits: 8, granularity: 'channel' } },
    ],
    edges: [{ source: 'model', target: 'q' }],
  });
  return model ? withModelRef(pipeline, model) : pipeline;
}

/** The spec's `model` field for an open model. */
export function resourceRefOf(model: OpenModelRef): ResourceRef {
  return model.kind === 'sample' ? { sample: model.id } : { name: model.name, sha256: model.sha256 };
}

/** Whether the pipeline's `model` names this open model. */
export function namesModel(ref: ResourceRef | undefined, model: OpenModelRef): boolean {
  if (!ref) return false;
  if (model.kind === 'sample') return ref.sample === model.id;
  return typeof ref.sha256 === 'string' && ref.sha256.toLowerCase() === model.sha256.toLowerCase();
}

/**
 * The pipeline with `model` as its model: unchanged when it already names it (a loaded file's
 * dataset is kept); otherwise the model ref is replaced and the dataset becomes the sample's own,
 * or none for a user's file. Everything else (nodes, edges, ui, unknown fields) is kept.
 */
export function withModelRef(pipeline: PipelineSpec, model: OpenModelRef): PipelineSpec {
  if (namesModel(pipeline.model, model)) return pipeline;
  const { dataset: _previous, ...rest } = pipeline;
  const datasetId = model.kind === 'sample' ? sampleDatasetOf(model.id) : null;
  return { ...rest, model: resourceRefOf(model), ...(datasetId ? { dataset: { sample: datasetId } } : {}) };
}

function stem(fileName: string): string {
  const lower = fileName.toLowerCase();
  for (const suffix of [PIPELINE_FILE_SUFFIX, '.json', '.onnx']) {
    if (lower.endsWith(suffix)) return fileName.slice(0, -suffix.length);
  }
  return fileName;
}

/** What Save names the file: after the file it was loaded from, else after its model. */
export function pipelineFileName(pipeline: PipelineSpec, loadedFrom: string | null): string {
  const model = pipeline.model;
  const base = loadedFrom !== null ? stem(loadedFrom) : typeof model?.sample === 'string' ? model.sample : typeof model?.name === 'string' ? stem(model.name) : 'pipeline';
  // A file name, whatever the model was called: no folders, no characters file systems refuse.
  const safe = base.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 120);
  return `${safe || 'pipeline'}${PIPELINE_FILE_SUFFIX}`;
}

/** The text Save writes: the document as it stands, indented so that diffs of saved files read. */
export function pipelineText(pipeline: PipelineSpec): string {
  return `${JSON.stringify(pipeline, null, 2)}\n`;
}

/** What the open model is, as the pipeline names it; null while none is open. */
export async function openModelRef(state: Pick<ModelState, 'model' | 'sampleCard'>): Promise<OpenModelRef | null> {
  const model = state.model;
  if (!model) return null;
  const fileName = model.summary.fileName;
  // The card is only set by openSample, after the model itself: it is what tells a sample from a user's file of the same name.
  const card = state.sampleCard;
  if (card && `${card.id}.onnx` === fileName) return { kind: 'sample', id: card.id };
  return { kind: 'file', name: fileName, sha256: await sha256Hex(model.bytes) };
}

/** The open model now, for this module's own follow-up after a load. */
let currentModel: OpenModelRef | null = null;

/** Whether undo/redo sees a change: the pipeline itself, by identity (every edit makes a new one). */
function samePipeline(past: { pipeline: PipelineSpec }, current: { pipeline: PipelineSpec }): boolean {
  return past.pipeline === current.pipeline;
}

/** How many steps undo keeps: plenty for a session, bounded so a long one does not hold every version. */
export const UNDO_LIMIT = 200;

export const usePipelineStore = create<PipelineState>()(
  temporal(
    (set, get) => ({
      pipeline: suggestedPipeline(),
      fileName: null,
      problem: null,
      notes: [],

      load(input, source) {
        const restored = restorePipeline(input);
        if (!restored.ok) {
          set({ problem: { source: source ?? 'the pipeline', errors: restored.errors } });
          return false;
        }
        let pipeline = restored.pipeline;
        const notes = [...restored.notes];
        // A pipeline without a model runs on whatever is open (as the CLI's --model fills it).
        if (!pipeline.model && currentModel) pipeline = withModelRef(pipeline, currentModel);
        set({ pipeline, fileName: source ?? null, problem: null, notes });
        const wanted = pipeline.model;
        if (typeof wanted?.sample === 'string' && !(currentModel && namesModel(wanted, currentModel))) {
          void useModelStore.getState().openSample(wanted.sample);
        }
        return true;
      },

      async loadFile(file) {
        // Refused before reading: a huge file would be read whole only to be refused by restorePipeline.
        if (file.size > PIPELINE_LIMITS.maxTextLength * 4) {
          set({ problem: { source: file.name, errors: [`the file is ${file.size.toLocaleString('en-US')} bytes; a pipeline is at most ${PIPELINE_LIMITS.maxTextLength.toLocaleString('en-US')} characters`] } });
          return false;
        }
        let text: string;
        try {
          text = await file.text();
        } catch (error) {
          set({ problem: { source: file.name, errors: [`could not be read (${error instanceof Error ? error.message : String(error)})`] } });
          return false;
        }
        return get().load(text, file.name);
      },

      followModel(ref) {
        currentModel = ref;
        const pipeline = withModelRef(get().pipeline, ref);
        if (pipeline === get().pipeline) return;
        // Not an undo step: the history follows too (see the module header).
        const history = usePipelineStore.temporal;
        const follow = (states: Partial<{ pipeline: PipelineSpec }>[]) => states.map((state) => (state.pipeline ? { ...state, pipeline: withModelRef(state.pipeline, ref) } : state));
        history.getState().pause();
        set({ pipeline });
        history.getState().resume();
        history.setState({ pastStates: follow(history.getState().pastStates), futureStates: follow(history.getState().futureStates) });
      },

      dismissProblem() {
        set({ problem: null });
      },

      save() {
        const { pipeline, fileName } = get();
        downloadText(pipelineFileName(pipeline, fileName), pipelineText(pipeline), 'application/json');
      },

      edit(change) {
        const current = get().pipeline;
        const changed = change(current);
        if (changed === current) return;
        const restored = restorePipeline(changed);
        if (!restored.ok) {
          const message = `internal: an edit left an invalid pipeline: ${restored.errors.join('; ')}`;
          if (import.meta.env.DEV) throw new Error(message);
          console.error(message);
          set({ problem: { source: EDIT_SOURCE, errors: restored.errors } });
          return;
        }
        set({ pipeline: restored.pipeline });
      },
    }),
    { partialize: (state) => ({ pipeline: state.pipeline }), equality: samePipeline, limit: UNDO_LIMIT },
  ),
);

// The pipeline follows the open model. Hashing a user's file is asynchronous, so a newer model (or
// the sample card that arrives just after a sample's model) supersedes a hash still running.
let followGeneration = 0;
useModelStore.subscribe((state, previous) => {
  if (state.model === previous.model && state.sampleCard === previous.sampleCard) return;
  const generation = ++followGeneration;
  void openModelRef(state).then((ref) => {
    if (ref && generation === followGeneration) usePipelineStore.getState().followModel(ref);
  });
});
