// Opening a share link: the hash of the address the studio was opened with, or one pasted later
// (`hashchange`). A link that does not decode shows why and changes nothing — the pipeline on
// screen, the open model and the autosave stay as they were, and nothing runs. A good one loads
// its pipeline through pipelineStore.load (which opens a sample model it names) and then:
// - names a sample model (or none): the studio offers to run it — a banner with Run, never a run
//   by itself;
// - names the user's own file: the studio asks for it by name and opens it only when its SHA-256
//   is the one in the link.
// Either way the hash is cleared afterwards, so a reload does not apply the link again over later
// edits.
import { sha256Hex } from '../core/pipeline/cacheKey';
import type { PipelineSpec } from '../core/pipeline/pipelineSpec';
import { decodeShareHash, isShareHash } from '../core/share/shareLink';
import { useModelStore } from '../stores/modelStore';
import { usePipelineStore } from '../stores/pipelineStore';
import { usePersistenceStore } from './persistenceStore';

/** How a hash was handled: not a share link, refused, or loaded. */
export type LinkOutcome = 'none' | 'refused' | 'loaded';

function clearHash(): void {
  if (typeof window === 'undefined' || window.location.hash === '') return;
  // replaceState: no new history entry and no hashchange event.
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
}

/** What to ask of the user once a good link's pipeline is loaded. */
function followUp(pipeline: PipelineSpec): void {
  const model = pipeline.model;
  const store = usePersistenceStore;
  if (model && typeof model.sample !== 'string') {
    const open = useModelStore.getState().model;
    const name = String(model.name);
    const sha256 = String(model.sha256);
    // Already open? (The pipeline store compares hashes; bytes are what the link names.)
    void (open ? sha256Hex(open.bytes) : Promise.resolve(null)).then((openHash) => {
      if (openHash === sha256) store.setState({ runOffer: true, modelFileRequest: null });
      else store.setState({ runOffer: false, modelFileRequest: { name, sha256, refusal: null } });
    });
    return;
  }
  store.setState({ runOffer: true, modelFileRequest: null });
}

/** Handles a location hash (with its '#'); see the module header. */
export function openShareHash(hash: string): LinkOutcome {
  if (!isShareHash(hash)) return 'none';
  const decoded = decodeShareHash(hash);
  clearHash();
  if (!decoded.ok) {
    usePersistenceStore.setState({ linkProblem: decoded.errors });
    return 'refused';
  }
  const loaded = usePipelineStore.getState().load(decoded.pipeline);
  if (!loaded) {
    usePersistenceStore.setState({ linkProblem: usePipelineStore.getState().problem?.errors ?? ['the pipeline could not be loaded'] });
    return 'refused';
  }
  usePersistenceStore.setState({ linkProblem: null });
  followUp(usePipelineStore.getState().pipeline);
  return 'loaded';
}

/** Asks for the user's model file by name: a file picker prompt is the banner's button. */
export function requestModelFile(name: string, sha256: string): void {
  usePersistenceStore.setState({ runOffer: false, modelFileRequest: { name, sha256, refusal: null } });
}

/**
 * The file the user chose for a link (or an autosave) that names their own model: opened only
 * when its SHA-256 is the one named; otherwise refused with both hashes, and nothing changes.
 */
export async function chooseRequestedModelFile(file: File): Promise<boolean> {
  const request = usePersistenceStore.getState().modelFileRequest;
  if (!request) return false;
  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch (error) {
    usePersistenceStore.setState({ modelFileRequest: { ...request, refusal: `'${file.name}' could not be read (${error instanceof Error ? error.message : String(error)})` } });
    return false;
  }
  const hash = await sha256Hex(new Uint8Array(bytes));
  if (hash !== request.sha256) {
    usePersistenceStore.setState({
      modelFileRequest: {
        ...request,
        refusal: `'${file.name}' is not the model this pipeline was made for: its SHA-256 is ${hash.slice(0, 12)}…, the pipeline names ${request.sha256.slice(0, 12)}… ('${request.name}'). Choose that exact file.`,
      },
    });
    return false;
  }
  usePersistenceStore.setState({ modelFileRequest: null, runOffer: true });
  await useModelStore.getState().openBuffers([{ name: file.name, bytes }]);
  return true;
}
