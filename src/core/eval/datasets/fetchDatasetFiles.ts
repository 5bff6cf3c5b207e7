// The browser (and worker) reader for bundled sample datasets: fetches files from our own origin,
// e.g. `fetchDatasetFileReader('/datasets/')`. Never a CDN: DESIGN.md keeps everything same-origin.

import type { ReadDatasetFile } from './sampleDatasets.js';

export function fetchDatasetFileReader(baseUrl: string, fetchImpl: typeof fetch = fetch): ReadDatasetFile {
  // Relative bases resolve against the page or worker location.
  const origin = (globalThis as { location?: { href: string } }).location?.href;
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`, origin);
  return async (fileName) => {
    const url = new URL(fileName, base);
    const response = await fetchImpl(url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${url.pathname}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}
