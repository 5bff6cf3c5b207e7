// Autosave: keeps the pipeline, the open model's reference (and a user's model file itself) and
// the last finished run in IndexedDB (autosaveStorage.ts) as the user works, so a reload brings all
// of it back (startStudio.ts). Changes are written a short moment after they stop (a drag or a
// typed number is many changes), and at once when the page is hidden or closed.
import { useModelStore } from '../stores/modelStore';
import { openModelRef, usePipelineStore, type OpenModelRef } from '../stores/pipelineStore';
import { useResultsStore } from '../stores/resultsStore';
import { useRunStore } from '../stores/runStore';
import { autosaveDocument } from './autosaveDocument';
import { forgetModelFile, keepModelFile, MAX_KEPT_MODEL_BYTES, writeAutosave } from './autosaveStorage';
import { usePersistenceStore } from './persistenceStore';
import { savedRunOf, type SavedRun } from './savedRun';

/** Quiet time after the last change before writing. */
const DEBOUNCE_MS = 250;

let timer: ReturnType<typeof setTimeout> | null = null;
let writing: Promise<void> = Promise.resolve();
let model: OpenModelRef | null = null;
let run: SavedRun | null = null;
/** The hash of the user's file kept in IndexedDB, so it is written once, not on every save. */
let keptFileHash: string | null = null;

function write(): Promise<void> {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const document = autosaveDocument(usePipelineStore.getState().pipeline, model, run);
  writing = writing
    .then(() => writeAutosave(document))
    .then(
      () => usePersistenceStore.setState({ autosaveStatus: timer === null ? 'saved' : 'pending' }),
      (error: unknown) => {
        console.warn('Whittle: autosave failed', error);
        usePersistenceStore.setState({ autosaveStatus: 'failed' });
      },
    );
  return writing;
}

function schedule(): void {
  usePersistenceStore.setState({ autosaveStatus: 'pending' });
  if (timer !== null) clearTimeout(timer);
  timer = setTimeout(() => void write(), DEBOUNCE_MS);
}

async function followModel(): Promise<void> {
  const state = useModelStore.getState();
  const ref = await openModelRef(state);
  if (useModelStore.getState().model !== state.model) return; // a newer model took over
  model = ref;
  if (ref?.kind === 'file' && state.model && ref.sha256 !== keptFileHash && state.model.bytes.byteLength <= MAX_KEPT_MODEL_BYTES) {
    keptFileHash = ref.sha256;
    await keepModelFile({ name: ref.name, sha256: ref.sha256, bytes: state.model.bytes.slice().buffer }).catch((error: unknown) => console.warn('Whittle: the model file could not be kept for the next session', error));
  } else if (ref?.kind === 'sample' && keptFileHash !== null) {
    keptFileHash = null;
    await forgetModelFile().catch(() => undefined);
  }
  schedule();
}

let stop: (() => void) | null = null;

/** Starts writing changes (once; later calls do nothing). `initial` describes what start restored. */
export function startAutosave(initial: { model: OpenModelRef | null; run: SavedRun | null; keptFileHash: string | null }): void {
  if (stop) return;
  model = initial.model;
  run = initial.run;
  keptFileHash = initial.keptFileHash;
  const unsubscribers = [
    usePipelineStore.subscribe((state, previous) => {
      if (state.pipeline !== previous.pipeline) schedule();
    }),
    useModelStore.subscribe((state, previous) => {
      if (state.model !== previous.model || state.sampleCard !== previous.sampleCard) void followModel();
    }),
    useResultsStore.subscribe((state, previous) => {
      if (state.status === previous.status && state.runId === previous.runId) return;
      // A run in progress is not kept: the saved run is the last one that ended, or none.
      if (state.status === 'idle') run = null;
      else if (state.status !== 'running') run = savedRunOf(state, useRunStore.getState().ranPipeline ?? usePipelineStore.getState().pipeline);
      schedule();
    }),
  ];
  const flush = () => {
    if (timer !== null) void write();
  };
  window.addEventListener('pagehide', flush);
  const onHidden = () => document.visibilityState === 'hidden' && flush();
  document.addEventListener('visibilitychange', onHidden);
  stop = () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
    window.removeEventListener('pagehide', flush);
    document.removeEventListener('visibilitychange', onHidden);
  };
  void followModel();
}

/** Writes now whatever is pending (tests and "before you go" paths). */
export function flushAutosave(): Promise<void> {
  return timer !== null ? write() : writing;
}
