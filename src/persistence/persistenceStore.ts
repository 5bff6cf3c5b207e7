// What the studio tells the user about share links and autosave: a link that could not be opened
// (and why), a shared pipeline that is ready to run (never run without the user's click), a
// shared pipeline waiting for the user's own model file, and whether the work is saved.
import { create } from 'zustand';

export type AutosaveStatus = 'off' | 'pending' | 'saved' | 'failed';

/** A shared pipeline names the user's own model: the studio asks for that file. */
export interface ModelFileRequest {
  name: string;
  sha256: string;
  /** Why the last file chosen was refused; null before a choice. */
  refusal: string | null;
}

export interface PersistenceState {
  /** Why the last share link could not be opened; null when none failed. */
  linkProblem: string[] | null;
  /** A shared pipeline was loaded with its sample model: offer to run it. */
  runOffer: boolean;
  modelFileRequest: ModelFileRequest | null;
  autosaveStatus: AutosaveStatus;
  /** What the start could not restore from autosave; empty when all came back. */
  autosaveNotes: string[];
  /** The last "Link copied (N characters)" style confirmation, or a share error. */
  shareMessage: { text: string; ok: boolean } | null;
  /** The link the last Share made, shown so it can be copied by hand too. */
  sharedLink: string | null;
  dismissLinkProblem(): void;
  dismissRunOffer(): void;
  dismissModelFileRequest(): void;
  dismissAutosaveNotes(): void;
  dismissShareMessage(): void;
}

export const usePersistenceStore = create<PersistenceState>()((set) => ({
  linkProblem: null,
  runOffer: false,
  modelFileRequest: null,
  autosaveStatus: 'off',
  autosaveNotes: [],
  shareMessage: null,
  sharedLink: null,
  dismissLinkProblem: () => set({ linkProblem: null }),
  dismissRunOffer: () => set({ runOffer: false }),
  dismissModelFileRequest: () => set({ modelFileRequest: null }),
  dismissAutosaveNotes: () => set({ autosaveNotes: [] }),
  dismissShareMessage: () => set({ shareMessage: null, sharedLink: null }),
}));
