/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API (hotline up) listens on :8000; the dev server and `vite preview` pass /graphql
// (HTTP and the graphql-transport-ws WebSocket) to it so the page stays same-origin, as it
// is when the API serves web/dist itself.
const api = {
  '/graphql': { target: 'http://127.0.0.1:8000', changeOrigin: false, ws: true },
};

export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, proxy: api },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, proxy: api },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    // scripts/check-bundle-size.mjs reads it to find the initial chunks.
    manifest: true,
    target: 'es2022',
    sourcemap: false,
    // Never inline assets as data: URLs into JS/CSS; every file is a hashed asset.
    assetsInlineLimit: 0,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    pool: 'threads',
    poolOptions: { threads: { maxThreads: 2, minThreads: 1 } },
  },
});
