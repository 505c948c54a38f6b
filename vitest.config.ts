import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests beside the code, and integration tests in tests/ that share one
// real Temporal dev server per run (started by tests/setup/global-temporal.ts).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['{core,config,tools,workflows,approvals,bot,worker,cli,devtools}/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['tests/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/global-temporal.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: integration files share one Temporal server and run a few at a time.
          maxWorkers: 2,
        },
      },
    ],
  },
});
