import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Test files at once. Vitest's default for `vitest run` is cores - 1, so one file at a time on
// a 2-core machine, while many files mostly wait: on child processes (the CLI, the examples
// through tsx, npm pack and install), on a PostgreSQL server, on PGlite's start. One more file
// than cores keeps both cores busy through those waits. VITEST_MAX_WORKERS overrides it (the
// `--maxWorkers` flag does too).
const workers = Number(process.env.VITEST_MAX_WORKERS ?? availableParallelism() + 1);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    maxWorkers: Number.isInteger(workers) && workers > 0 ? workers : 2,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
