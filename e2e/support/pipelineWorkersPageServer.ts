// Builds and serves the page that runs pipelines in the studio's workers (pipelineWorkersPage.html):
// `vite build` of the page into a temporary folder — the engine and eval workers, ONNX Runtime's
// wasm and kernels.wasm bundled exactly as in the studio — with public/ (the sample models and
// datasets), then `vite preview` of that folder on a free port with the studio's cross-origin
// isolation headers, so ONNX Runtime gets its threads as it does in the studio. The pattern is
// kernelPageServer.ts's; this page differs in needing public/ and the headers.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The page, relative to the repository root; it is served at the same path. */
export const PIPELINE_WORKERS_PAGE = 'e2e/support/pipelineWorkersPage.html';

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export interface PageServer {
  /** Origin with a trailing slash: http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}

export async function startPipelineWorkersPageServer(): Promise<PageServer> {
  const outDir = await mkdtemp(join(tmpdir(), 'whittle-pipeline-page-'));
  try {
    await build({
      root: repoRoot,
      configFile: false,
      logLevel: 'warn',
      publicDir: join(repoRoot, 'public'),
      worker: { format: 'es' },
      build: {
        outDir,
        emptyOutDir: true,
        target: 'es2022',
        chunkSizeWarningLimit: 4096,
        // A readable bundle: a failure's stack should point somewhere sensible.
        minify: false,
        rollupOptions: { input: { pipelineWorkers: join(repoRoot, PIPELINE_WORKERS_PAGE) } },
      },
    });
    const server = await preview({
      root: repoRoot,
      configFile: false,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false, headers: crossOriginIsolation },
    });
    const address = server.httpServer.address();
    if (address === null || typeof address === 'string') {
      await server.close();
      throw new Error(`the pipeline page server is not listening on a TCP port (address: ${String(address)})`);
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
