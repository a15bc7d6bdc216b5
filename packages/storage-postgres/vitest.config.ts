import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // PGlite takes seconds to start, and longer on a busy machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
