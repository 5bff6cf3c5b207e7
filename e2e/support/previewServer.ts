// Global setup for the end-to-end run: serves the built app (dist/) with `vite preview` on a free
// port, using the project's vite.config.ts so the cross-origin-isolation headers are the real ones,
// hands the URL to the tests (inject('studioUrl')) and stops the server afterwards.
// WHITTLE_E2E_DIST names another build folder (`vite build --outDir /tmp/mine`, then
// `WHITTLE_E2E_DIST=/tmp/mine npx vitest run --config e2e/vitest.config.ts ...`): several people
// working in one tree then never serve a dist/ that someone else is rebuilding underneath them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { studioBuildDir } from './buildDir';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the preview server, with a trailing slash: http://127.0.0.1:PORT/ */
    studioUrl: string;
  }
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default async function startPreviewServer(project: TestProject): Promise<() => Promise<void>> {
  const outDir = studioBuildDir();
  if (!existsSync(join(outDir, 'index.html'))) {
    const how = process.env.WHITTLE_E2E_DIST
      ? `build into it first (\`npx vite build --outDir ${outDir}\`), or unset WHITTLE_E2E_DIST to serve dist/`
      : 'build the app first (`npm run test:e2e` runs `vite build` before the tests)';
    throw new Error(`${join(outDir, 'index.html')} is missing: ${how}`);
  }
  const server = await preview({
    root: repoRoot,
    configFile: join(repoRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
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
