import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Tests wait on events with their own named deadlines (test/helpers/flow.ts); these limits only catch a test
    // that hangs. They are generous because the suite must pass on a loaded 2-core machine, where one `flow`
    // command can take tens of seconds to start.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 4,
    reporters: ['default'],
    projects: [
      // Everything, against the npm build (bin/flow.js), plus the single executables' own checks (test/binary).
      { extends: true, test: { name: 'npm', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'] } },
      // The end-to-end suite again, against the single executable (`npm run build:binary` makes it).
      { extends: true, test: { name: 'binary', include: ['test/e2e/**/*.test.ts'], env: { FLOW_TEST_BINARY: 'dist/flow-linux-x64' } } },
      // The web UI in Chromium (test/helpers/browser.ts), against the single executable with a real daemon.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], env: { FLOW_TEST_BINARY: 'dist/flow-linux-x64' } } },
    ],
  },
});
