// Builds and serves test pages that exercise parts of the studio in a real browser without the
// studio's UI: `vite build` of the pages into a temporary folder (so workers, ONNX Runtime's wasm and
// kernels.wasm are bundled exactly as in the studio: asset URLs, worker format 'es'), then `vite
// preview` of that folder on a free port. http://127.0.0.1 is a secure context, which WebGPU needs.
// Separate from previewServer.ts, which serves the built studio; this needs no dist/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface TestPageServerOptions {
  /** Names the temporary folder and the errors. */
  name: string;
  /** Pages by entry name, relative to the repository root; each is served at the same path. */
  pages: Record<string, string>;
  /** Copy public/ (sample models and datasets) into the build. */
  withPublic?: boolean;
  /** Send the studio's COOP/COEP headers, so ONNX Runtime gets its threads as in the studio. */
  crossOriginIsolated?: boolean;
}

export interface TestPageServer {
  /** Origin with a trailing slash: http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export async function startTestPageServer(options: TestPageServerOptions): Promise<TestPageServer> {
  const outDir = await mkdtemp(join(tmpdir(), `whittle-${options.name}-`));
  try {
    await build({
      root: repoRoot,
      configFile: false,
      logLevel: 'warn',
      publicDir: options.withPublic ? join(repoRoot, 'public') : false,
      worker: { format: 'es' },
      build: {
        outDir,
        emptyOutDir: true,
        target: 'es2022',
        chunkSizeWarningLimit: 4096,
        // A readable bundle: a failing check's stack should point somewhere sensible.
        minify: false,
        rollupOptions: { input: Object.fromEntries(Object.entries(options.pages).map(([entry, page]) => [entry, join(repoRoot, page)])) },
      },
    });
    const server = await preview({
      root: repoRoot,
      configFile: false,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false, headers: options.crossOriginIsolated ? crossOriginIsolation : {} },
    });
    const address = server.httpServer.address();
    if (address === null || typeof address === 'string') {
      await server.close();
      throw new Error(`the ${options.name} page server is not listening on a TCP port (address: ${String(address)})`);
    }
    return {
      url: `http://127.0.0.1:${address.port}/`,
      close: async () => {
        await server.close();
        await rm(outDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}
