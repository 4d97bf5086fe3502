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
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
});
