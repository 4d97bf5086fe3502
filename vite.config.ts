import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { withCspMetaTag } from './src/shared/csp.js';

/**
 * Writes the renderer's Content Security Policy into the built index.html as a meta tag, from the same
 * constant the shells send as a header. Build only: the dev server's inline scripts would be refused.
 */
const cspMetaTag: Plugin = {
  name: 'tonus-csp-meta',
  apply: 'build',
  transformIndexHtml: { order: 'pre', handler: withCspMetaTag },
};

/** Builds the renderer into build/renderer: one bundle for Electron's tonus:// protocol and the browser shell. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMetaTag],
  build: {
    outDir: '../build/renderer',
    emptyOutDir: true,
    // Maps stay on disk for decoding stack traces; the bundle does not point at them and no shell serves them.
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 1500,
  },
});
