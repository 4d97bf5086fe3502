import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Builds the renderer into build/renderer: one bundle for Electron's tonus:// protocol and the browser shell. */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../build/renderer',
    emptyOutDir: true,
    // Maps stay on disk for decoding stack traces; the bundle does not point at them and no shell serves them.
    sourcemap: 'hidden',
    chunkSizeWarningLimit: 1500,
  },
});
