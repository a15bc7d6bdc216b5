import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Tests that start a PGlite (seconds of WASM start-up) share two cores with the files suite's
    // multi-megabyte streams and with other work: 5 s is too tight a budget on a busy machine.
    testTimeout: 30_000,
  },
});
