/** Hands a Blob to the browser as a download with this file name. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started reading the Blob; the URL can go once it has had time to.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
