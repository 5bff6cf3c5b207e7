// Builds and serves the pages that exercise src/kernels in a real browser: `vite build` of the test
// pages into a temporary folder (so kernels.wasm and the module worker are bundled exactly as in the
// studio: asset URLs, worker format 'es'), then `vite preview` of that folder on a free port.
// http://127.0.0.1 is a secure context, which WebGPU requires. Separate from previewServer.ts, which
// serves the built studio; this needs no dist/.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Test pages, relative to the repository root; each is served at the same path. */
export const KERNEL_PAGES = { webgpuKernels: 'e2e/support/webgpuKernelsPage.html' } as const;

export interface KernelPageServer {
  /** Origin with a trailing slash: http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}

export async function startKernelPageServer(): Promise<KernelPageServer> {
  const outDir = await mkdtemp(join(tmpdir(), 'whittle-kernel-pages-'));
  try {
    await build({
      root: repoRoot,
      configFile: false,
      logLevel: 'warn',
      publicDir: false,
      worker: { format: 'es' },
      build: {
        outDir,
        emptyOutDir: true,
        // A readable bundle: a failing check's stack should point somewhere sensible.
        minify: false,
        rollupOptions: { input: Object.fromEntries(Object.entries(KERNEL_PAGES).map(([name, page]) => [name, join(repoRoot, page)])) },
      },
    });
    const server = await preview({
      root: repoRoot,
      configFile: false,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
    });
    const address = server.httpServer.address();
    if (address === null || typeof address === 'string') {
      await server.close();
      throw new Error(`the kernel page server is not listening on a TCP port (address: ${String(address)})`);
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
