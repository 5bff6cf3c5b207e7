// Where autosave lives: IndexedDB through idb-keyval, two keys in the default store — the document
// (autosaveDocument.ts) and, when the open model is the user's own file, that file's bytes, so a
// reload reopens it without asking (it stays on this machine, like everything in Whittle).
import { del, get, set } from 'idb-keyval';
import type { AutosaveDocument } from './autosaveDocument';

const DOCUMENT_KEY = 'whittle:autosave';
const MODEL_FILE_KEY = 'whittle:autosave-model-file';

/** Files larger than this are not kept (the reference still is: a reload then asks for the file). */
export const MAX_KEPT_MODEL_BYTES = 512 * 1024 * 1024;

export interface KeptModelFile {
  name: string;
  sha256: string;
  bytes: ArrayBuffer;
}

export function readAutosave(): Promise<unknown> {
  return get(DOCUMENT_KEY);
}

export function writeAutosave(document: AutosaveDocument): Promise<void> {
  return set(DOCUMENT_KEY, document);
}

export async function readKeptModelFile(): Promise<KeptModelFile | null> {
  const value: unknown = await get(MODEL_FILE_KEY);
  if (typeof value !== 'object' || value === null) return null;
  const file = value as Partial<KeptModelFile>;
  if (typeof file.name !== 'string' || typeof file.sha256 !== 'string' || !(file.bytes instanceof ArrayBuffer)) return null;
  return { name: file.name, sha256: file.sha256, bytes: file.bytes };
}

export function keepModelFile(file: KeptModelFile): Promise<void> {
  return set(MODEL_FILE_KEY, file);
}

export function forgetModelFile(): Promise<void> {
  return del(MODEL_FILE_KEY);
}
