import { defineConfig } from 'vite';

/** Bundles electron/preload.ts into one CommonJS file, as sandboxed preload scripts require. */
export default defineConfig({
  build: {
    outDir: 'build/electron',
    emptyOutDir: true,
    minify: false,
    lib: { entry: 'electron/preload.ts', formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'] },
  },
});
