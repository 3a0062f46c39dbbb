import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Test files at once. Vitest's default for `vitest run` is cores - 1: one file at a time on a
// 2-core machine, with the second core mostly idle while files wait on child processes (the CLI,
// the examples through tsx, npm pack and install), a PostgreSQL server or PGlite's start. One
// file per core fills it. Not more: with 3 at once, in runs on a machine already busy (load
// 15-20), the real-server tests (RELIABILITY 5's 50 racing serializable redemptions, the stress
// test's floor of work in its window) and the 60 s timeouts of PGlite's start lost their margin.
// VITEST_MAX_WORKERS overrides it (so does `--maxWorkers`).
const workers = Number(process.env.VITEST_MAX_WORKERS ?? availableParallelism());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two files share the 2 cores now, and a developer's machine may be busier still: in this
    // repository's runs at load 10-20, PGlite's cold start (a beforeAll) and the 1,500-run burn
    // conservation property (5 s on a quiet machine) passed 60 s. A timeout asserts nothing
    // about the code (no test here asserts a time), so it has room: 120 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: Number.isInteger(workers) && workers > 0 ? workers : 1,
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});
