import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Starting PGlite takes seconds, more when several test files start one at once.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
