// End-to-end tests: Debian's Chromium, driven by playwright-core, against the built studio (dist/,
// made by `vite build` before this runs, or the folder named by WHITTLE_E2E_DIST) served by `vite
// preview` with the app's own headers.
// Files run one after another: each starts its own browser, and the machine has two cores.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: repoRoot,
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/support/previewServer.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    // Generous: a cold Chromium, ONNX Runtime's wasm and a 1,000-node layout on two busy cores.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
