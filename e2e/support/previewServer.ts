// Global setup for the end-to-end run: serves the built app (dist/) with `vite preview` on a free
// port, using the project's vite.config.ts so the cross-origin-isolation headers are the real ones,
// hands the URL to the tests (inject('studioUrl')) and stops the server afterwards.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the preview server, with a trailing slash: http://127.0.0.1:PORT/ */
    studioUrl: string;
  }
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default async function startPreviewServer(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(join(repoRoot, 'dist', 'index.html'))) {
    throw new Error('dist/index.html is missing: build the app first (`npm run test:e2e` runs `vite build` before the tests)');
  }
  const server = await preview({
    root: repoRoot,
    configFile: join(repoRoot, 'vite.config.ts'),
    logLevel: 'warn',
    // Port 0: the operating system picks a free one, so parallel runs on one machine never collide.
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const address = server.httpServer.address();
  if (address === null || typeof address === 'string') {
    await server.close();
    throw new Error(`vite preview is not listening on a TCP port (address: ${String(address)})`);
  }
  project.provide('studioUrl', `http://127.0.0.1:${address.port}/`);
  return async () => {
    await server.close();
  };
}
