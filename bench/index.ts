/*
 * `npm run bench`: every PERFORMANCE.md target, 1–8, each module in a fresh child process (so its
 * RSS, heap and JIT state are its own), then one table of every figure against its goal.
 *
 *   npx tsx bench/index.ts [--quick] [--only 2,3|rules,postgres] [--json <file>] [--markdown]
 *
 * --quick     small sizes and few passes (CI: the whole run takes under 2 minutes); never exits
 *             non-zero on a missed target, only on a crash.
 * --only      targets (numbers) or module names to run.
 * --json      also writes the results (every figure, per module status and time) to <file>.
 * --markdown  prints the final table as Markdown.
 * --timeout   seconds one module may take before it is stopped and counted as crashed
 *             (default 1800, or 600 with --quick: generous, to catch a hang, not to judge speed).
 * --module    (repeatable) runs the given module file instead of the list below; its target is 0.
 * --profile   afterwards, runs bench/profile.ts for those of targets 2, 4, 6 and 7 that ran (with
 *             --quick at its quick sizes, target 6 then included only if postgres ran);
 *             untimed, outside the table and the exit code.
 *
 * Exit code: 1 when a module crashed (threw, was killed, timed out); in a full run, 2 when a
 * judged target was not met; 0 otherwise. Each module prints its own detail as it runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCode, figuresFromJson, formatTable, resultsJson, type ModuleResult } from './lib/table';

interface ModuleSpec {
  readonly module: string;
  readonly target: number;
}

/** Every module, in target order; import time is context for target 8 (package). */
const MODULES: readonly ModuleSpec[] = [
  { module: 'rules', target: 1 },
  { module: 'pipeline', target: 2 },
  { module: 'scaling', target: 3 },
  { module: 'simulate', target: 4 },
  { module: 'metrics', target: 5 },
  { module: 'postgres', target: 6 },
  { module: 'service', target: 7 },
  { module: 'package', target: 8 },
  { module: 'import-time', target: 8 },
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const child = join(root, 'bench', 'lib', 'child.ts');

interface Args {
  readonly quick: boolean;
  readonly only: readonly string[];
  readonly json: string | undefined;
  readonly markdown: boolean;
  readonly timeoutSeconds: number;
  readonly modules: readonly string[];
  readonly profile: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const timeout = value('--timeout');
  return {
    quick,
    only: (value('--only') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0),
    json: value('--json'),
    markdown: argv.includes('--markdown'),
    timeoutSeconds: timeout === undefined ? (quick ? 600 : 1800) : Number(timeout),
    profile: argv.includes('--profile'),
    modules: argv.flatMap((a, i) => (a === '--module' && argv[i + 1] !== undefined ? [argv[i + 1] as string] : [])),
  };
}

function selected(args: Args): readonly ModuleSpec[] {
  if (args.modules.length > 0) return args.modules.map((module) => ({ module, target: 0 }));
  if (args.only.length === 0) return MODULES;
  const chosen = MODULES.filter((m) => args.only.includes(String(m.target)) || args.only.includes(m.module));
  if (chosen.length === 0) throw new Error(`--only ${args.only.join(',')} names no bench module (targets 1-8 or ${MODULES.map((m) => m.module).join(', ')})`);
  return chosen;
}

/** Runs one module in a child process; its output goes straight to ours. */
function runModule(spec: ModuleSpec, args: Args, dir: string): Promise<ModuleResult> {
  const out = join(dir, `${spec.module.replace(/[^a-z0-9-]/gi, '_')}.json`);
  const started = performance.now();
  const argv = ['--import', 'tsx', child, spec.module, '--json-out', out, ...(args.quick ? ['--quick'] : [])];
  return new Promise((done) => {
    // BENCH_QUICK as well as --quick, for a module that reads its size from the environment.
    const proc = spawn(process.execPath, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...(args.quick ? { BENCH_QUICK: '1' } : {}) } });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGINT'); // a module with a server to stop gets the chance to stop it
      setTimeout(() => proc.kill('SIGKILL'), 15_000).unref();
    }, args.timeoutSeconds * 1000);
    const finish = (result: Omit<ModuleResult, 'module' | 'target' | 'seconds'>): void => {
      clearTimeout(timer);
      done({ module: spec.module, target: spec.target, seconds: (performance.now() - started) / 1000, ...result });
    };
    proc.on('error', (error) => finish({ status: 'crashed', figures: [], error: error.message }));
    proc.on('exit', (code, signal) => {
      if (timedOut) return finish({ status: 'crashed', figures: [], error: `timed out after ${args.timeoutSeconds} s` });
      if (code !== 0) return finish({ status: 'crashed', figures: [], error: signal === null ? `exit code ${String(code)}` : `killed by ${signal}` });
      let figures;
      try {
        figures = figuresFromJson(readFileSync(out, 'utf8'));
      } catch (error) {
        return finish({ status: 'crashed', figures: [], error: `no readable result: ${error instanceof Error ? error.message : String(error)}` });
      }
      finish(figures === undefined ? { status: 'no-figures', figures: [] } : { status: 'ok', figures });
    });
  });
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const modules = selected(args);
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-'));
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const results: ModuleResult[] = [];
  try {
    for (const spec of modules) {
      console.log(`\n## bench/${spec.module}.ts (target ${spec.target})${args.quick ? ' --quick' : ''}`);
      const result = await runModule(spec, args, dir);
      if (result.status === 'no-figures') console.log('  (module did not return figures)');
      if (result.status === 'crashed') console.log(`  CRASHED: ${result.error ?? ''}`);
      console.log(`  (${spec.module}: ${result.seconds.toFixed(1)} s)`);
      results.push(result);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n## Results${args.quick ? ' (--quick: small sizes, reported, not judged)' : ''}: ${seconds.toFixed(1)} s, node ${process.version}\n`);
  console.log(formatTable(results, { markdown: args.markdown }));
  if (args.json !== undefined) {
    writeFileSync(args.json, resultsJson({ startedAt, node: process.version, quick: args.quick, seconds, modules: results }));
    console.log(`\nresults written to ${args.json}`);
  }
  if (args.profile) runProfiles(args, modules);
  return exitCode(results, args.quick);
}

/** `--profile`: bench/profile.ts after the timed modules, in its own process (profiling slows what it measures). */
function runProfiles(args: Args, modules: readonly ModuleSpec[]): void {
  const pg = modules.some((m) => m.module === 'postgres');
  const targets = [2, 4, 6, 7].filter((t) => modules.some((m) => m.target === t));
  if (targets.length === 0) return;
  const argv = ['--import', 'tsx', join(root, 'bench', 'profile.ts'), '--only', targets.join(','), ...(args.quick ? ['--quick'] : []), ...(args.quick && pg ? ['--pg'] : []), ...(args.markdown ? ['--markdown'] : [])];
  console.log('\n## Profiles of the unmet targets (bench/profile.ts; not timed, not judged)\n');
  const done = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit' });
  if (done.status !== 0) console.log(`  bench/profile.ts failed (${String(done.status ?? done.signal)}); the table above stands`);
}

process.exitCode = await main();
