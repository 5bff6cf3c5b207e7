// Vite config for the studio. The dev and preview servers send the two headers that make the page
// cross-origin isolated, which ONNX Runtime needs for SharedArrayBuffer and therefore threads.
// Everything (wasm included) is served from our own origin.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  // Pre-bundling would rewrite onnxruntime-web's import.meta.url lookups and lose its .wasm.
  optimizeDeps: {
    exclude: ['onnxruntime-web'],
    // Workers' dependencies are found only when a worker first loads, which makes the dev server
    // re-bundle and reload the page; naming them up front avoids that.
    include: ['comlink', 'long', 'protobufjs/minimal.js', 'elkjs/lib/elk.bundled.js'],
  },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 },
});
