import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests wait on events with their own named deadlines (test/helpers/flow.ts); these limits only catch a test
    // that hangs. They are generous because the suite must pass on a loaded 2-core machine, where one `flow`
    // command can take tens of seconds to start.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 4,
    reporters: ['default'],
  },
});
