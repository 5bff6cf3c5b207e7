// Hands bytes or text to the browser as a download: a Blob URL clicked as a download link. Nothing
// leaves the machine.

/** How long the Blob URL lives: the browser starts reading it a task after the click, never this late. */
const REVOKE_AFTER_MS = 60_000;

export function downloadFile(fileName: string, content: Uint8Array | string, mimeType: string): void {
  const part: BlobPart = typeof content === 'string' ? content : (content as Uint8Array<ArrayBuffer>);
  const url = URL.createObjectURL(new Blob([part], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
