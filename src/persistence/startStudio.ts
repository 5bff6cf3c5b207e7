// How the studio starts: a share link in the address wins, then the work autosaved by the last
// session, then the default sample with the suggested pipeline. Called once from the app's mount
// effect (a second call — React's StrictMode mounts twice in development — returns the same
// promise). It also starts autosave, and listens for links pasted later (`hashchange`).
//
//   useEffect(() => void startStudio(), []);
//
// A bad link is refused with its message (openShareLink.ts) and the start goes on as if there were
// none, so the autosaved work opens untouched. Autosave that cannot be read or restored is ignored
// with a note; the start never fails because of it.
import { sha256Hex } from '../core/pipeline/cacheKey';
import { useModelStore } from '../stores/modelStore';
import { usePipelineStore, type OpenModelRef } from '../stores/pipelineStore';
import { useResultsStore } from '../stores/resultsStore';
import { startAutosave } from './autosave';
import { restoreAutosave, type RestoredAutosave } from './autosaveDocument';
import { readAutosave, readKeptModelFile } from './autosaveStorage';
import { openShareHash, requestModelFile } from './openShareLink';
import { usePersistenceStore } from './persistenceStore';

let started: Promise<void> | null = null;

export function startStudio(): Promise<void> {
  started ??= start();
  return started;
}

async function readRestorable(): Promise<RestoredAutosave> {
  try {
    return restoreAutosave(await readAutosave());
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { pipeline: null, model: null, run: null, notes: [`The autosaved work could not be read (${detail}), so the studio started afresh.`] };
  }
}

/** Opens the user's kept model file when it is the one named; false when it is not kept (or differs). */
async function reopenKeptFile(ref: Extract<OpenModelRef, { kind: 'file' }>): Promise<boolean> {
  const kept = await readKeptModelFile().catch(() => null);
  if (!kept || kept.sha256 !== ref.sha256 || (await sha256Hex(new Uint8Array(kept.bytes))) !== ref.sha256) return false;
  await useModelStore.getState().openBuffers([{ name: kept.name, bytes: kept.bytes }]);
  return true;
}

/** Brings the autosaved work back; returns the hash of a kept user file that was reopened. */
async function restore(saved: RestoredAutosave): Promise<string | null> {
  const pipelineStore = usePipelineStore.getState();
  // Loading the pipeline opens the sample model it names (pipelineStore.load).
  if (saved.pipeline) pipelineStore.load(saved.pipeline);
  if (saved.run) useResultsStore.getState().restoreSaved(saved.run.run);
  const named = saved.pipeline?.model;
  const fileRef: OpenModelRef | null =
    named && typeof named.sample !== 'string' ? { kind: 'file', name: String(named.name), sha256: String(named.sha256) } : saved.model?.kind === 'file' && !named ? saved.model : null;
  if (fileRef?.kind === 'file') {
    if (await reopenKeptFile(fileRef)) return fileRef.sha256;
    requestModelFile(fileRef.name, fileRef.sha256);
    return null;
  }
  if (typeof named?.sample !== 'string') await useModelStore.getState().openSample(saved.model?.kind === 'sample' ? saved.model.id : undefined);
  return null;
}

async function start(): Promise<void> {
  window.addEventListener('hashchange', () => void openShareHash(window.location.hash));
  if (openShareHash(window.location.hash) === 'loaded') {
    startAutosave({ model: null, run: null, keptFileHash: null });
    return;
  }
  const saved = await readRestorable();
  if (saved.notes.length > 0) usePersistenceStore.setState({ autosaveNotes: saved.notes });
  let keptFileHash: string | null = null;
  if (saved.pipeline || saved.model) keptFileHash = await restore(saved);
  else await useModelStore.getState().openSample();
  startAutosave({ model: saved.model, run: saved.run?.saved ?? null, keptFileHash });
}
