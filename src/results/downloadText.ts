// Saves text as a file on the user's machine: a Blob URL clicked as a download link, the way a
// page offers a file without a server. Nothing leaves the machine.

/** How long the Blob URL lives: the browser starts reading it a task after the click, never this late. */
const REVOKE_AFTER_MS = 30_000;

export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}
