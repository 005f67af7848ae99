import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One temp folder per run, removed at the end (see test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // The end-to-end tests start real servers on 127.0.0.1; keep files in parallel but bounded for a 2-core machine.
    maxWorkers: 2,
  },
});
