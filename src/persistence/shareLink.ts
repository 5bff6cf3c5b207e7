// Share: the current pipeline as a link (core/share/shareLink.ts) on the clipboard, and a message
// saying how long it is — or why it could not be made.
import { encodeShareHash } from '../core/share/shareLink';
import { usePipelineStore } from '../stores/pipelineStore';
import { usePersistenceStore } from './persistenceStore';

/** The studio's address with the pipeline in its hash. */
export function shareUrlFor(hash: string, location: Pick<Location, 'origin' | 'pathname' | 'search'> = window.location): string {
  return `${location.origin}${location.pathname}${location.search}${hash}`;
}

/** Copies the link; the message (and the link itself, to copy by hand) goes to the persistence store. */
export async function shareCurrentPipeline(): Promise<string | null> {
  const encoded = encodeShareHash(usePipelineStore.getState().pipeline);
  if (!encoded.ok) {
    usePersistenceStore.setState({ shareMessage: { text: `This pipeline cannot be shared as a link: ${encoded.errors.join('; ')}`, ok: false }, sharedLink: null });
    return null;
  }
  const url = shareUrlFor(encoded.hash);
  try {
    await navigator.clipboard.writeText(url);
    usePersistenceStore.setState({ shareMessage: { text: `Link copied (${url.length.toLocaleString('en-US')} characters)`, ok: true }, sharedLink: url });
  } catch {
    usePersistenceStore.setState({ shareMessage: { text: `The clipboard is not available: copy the link below (${url.length.toLocaleString('en-US')} characters)`, ok: true }, sharedLink: url });
  }
  return url;
}
