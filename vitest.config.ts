import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (unit and integration tests, real SQLite files, real sockets) and `e2e` (the built
 * app in Debian's Chromium; needs `npm run build` first, which `npm test` does).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          // A browser on a loaded 2-core machine can take seconds to repaint; polls wait for the UI, not a clock.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
