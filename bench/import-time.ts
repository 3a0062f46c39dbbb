/*
 * Import time of the built package (ESM) in Node: `import('loyalty-engine')` in a fresh `node`
 * process, against `import('zod/mini')` alone (the largest dependency, as the library loads it) in
 * the same run, the two interleaved and their order swapped each round so drift hits both alike.
 * Goal: ≤ 150 ms, reported as context beside target 8 (package).
 * Measures dist/ as published (run `npm run build` first); the timer covers only the import, not
 * Node's own start-up. Environment: BENCH_IMPORT_RUNS (processes of each, default 15; 3 with --quick).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, median, skippedFigure, type BenchOptions, type TargetFigure } from './lib/report';

const TARGET_MS = 150;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Milliseconds one fresh process spends in `await import(specifier)`, resolved from the root. */
function importMs(specifier: string): number {
  // Run from the root, so 'loyalty-engine' resolves by the package's own name through its exports.
  const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import ${specifier} failed: ${r.stderr}`);
  return Number(r.stdout);
}

const NAME = "import 'loyalty-engine' (dist, ESM, fresh process)";
const GOAL = `≤ ${TARGET_MS} ms`;

/**
 * Times `import('loyalty-engine')` in fresh processes against `import('zod/mini')`, interleaved,
 * and returns the median as a context figure of target 8.
 *
 * @example
 * ```ts
 * const figures = await run({ quick: true }); // npx tsx bench/import-time.ts --quick
 * ```
 */
export async function run(options: BenchOptions): Promise<TargetFigure[]> {
  const RUNS = Number(process.env.BENCH_IMPORT_RUNS ?? (options.quick ? 3 : 15));
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    console.log('  dist/ is missing: run `npm run build` first (import time is measured on the built package).');
    return [{ ...skippedFigure(8, NAME, GOAL, 'dist/ is missing: run `npm run build` first'), context: true }];
  }
  importMs('loyalty-engine'); // warm the disk cache for both
  importMs('zod/mini');
  const lib: number[] = [];
  const zod: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let libMs: number;
    let zodMs: number;
    if (i % 2 === 0) {
      libMs = importMs('loyalty-engine');
      zodMs = importMs('zod/mini');
    } else {
      zodMs = importMs('zod/mini');
      libMs = importMs('loyalty-engine');
    }
    lib.push(libMs);
    zod.push(zodMs);
    ratios.push(libMs / zodMs);
  }
  const libMedian = median(lib);
  console.log(`  import 'loyalty-engine' (dist, ESM)   median ${libMedian.toFixed(0).padStart(4)} ms  (min ${Math.min(...lib).toFixed(0)}, max ${Math.max(...lib).toFixed(0)}; ${RUNS} processes)`);
  console.log(`  import 'zod/mini' alone               median ${median(zod).toFixed(0).padStart(4)} ms  (min ${Math.min(...zod).toFixed(0)}, max ${Math.max(...zod).toFixed(0)})`);
  console.log(`  ratio loyalty-engine / zod/mini       median ${median(ratios).toFixed(2)} (pair by pair)`);
  const figure: TargetFigure = {
    target: 8,
    name: NAME,
    value: libMedian,
    unit: 'ms',
    baseline: { name: "import 'zod/mini' alone", value: median(zod), unit: 'ms' },
    ratio: median(ratios),
    goal: GOAL,
    holds: libMedian <= TARGET_MS,
    context: true,
    note: `median of ${RUNS} processes each, interleaved; ratio pair by pair`,
  };
  console.log(describe(figure));
  return [figure];
}

if (process.argv[1]?.endsWith('bench/import-time.ts')) await run({ quick: process.argv.includes('--quick') });
