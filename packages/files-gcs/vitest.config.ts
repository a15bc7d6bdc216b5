import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The client library must never probe the GCE metadata server: tests stay on loopback.
    env: { METADATA_SERVER_DETECTION: 'none' },
  },
});
