// Serves pages that exercise src/kernels in a real browser: a Vite dev server over the repository
// (no app config, no dist/ needed), so a test page can import the kernel modules as TypeScript and
// kernels.wasm is fetched from this origin as the bundled app would. http://127.0.0.1 is a secure
// context, which WebGPU requires. Separate from previewServer.ts, which serves the built studio.
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface KernelPageServer {
  /** Origin with a trailing slash: http://127.0.0.1:PORT/ */
  url: string;
  close(): Promise<void>;
}

export async function startKernelPageServer(): Promise<KernelPageServer> {
  const server = await createServer({
    root: repoRoot,
    configFile: false,
    logLevel: 'warn',
    // The pages import only our own modules: no dependency scan over the whole app.
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { host: '127.0.0.1', port: 0, strictPort: true, hmr: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error(`the kernel page server is not listening on a TCP port (address: ${String(address)})`);
  }
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}
