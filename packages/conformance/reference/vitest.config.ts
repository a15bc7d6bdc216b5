import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The reference run tests the kit's sources, so it never runs a stale build.
    alias: { '@openparse/conformance': fileURLToPath(new URL('../src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['reference/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
