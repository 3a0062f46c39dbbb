/*
 * Target 4 (PERFORMANCE.md): 1,000,000 events over 100,000 customers through `simulate` in
 * ≤ 10 s on one core with peak RSS ≤ 1 GiB. Each phase runs in its own process (bench/simulate-phase.ts)
 * so its peak RSS is its own; the baselines are generating and iterating the same history, and
 * the same with each event parsed. `--quick` (or BENCH_QUICK=1) runs a tenth of it.
 * Environment: BENCH_SIMULATE_CUSTOMERS overrides the customer count; BENCH_SIMULATE_RETENTION
 * the days of orders kept for refunds (default 45, exact for the generator, whose refunds come
 * within 30 days; 'all' keeps every order, as `simulate` does by default); BENCH_SIMULATE_PHASES
 * a comma-separated subset of generate,parse,simulate.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Phase {
  readonly phase: string;
  readonly customers: number;
  readonly events: number;
  readonly ms: number;
  /** User + system CPU time of the phase's work (the process is single-threaded apart from GC helpers). */
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly transactions?: number;
  readonly retentionDays?: number | null;
}

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const customers = Number(process.env.BENCH_SIMULATE_CUSTOMERS ?? (quick ? 10_000 : 100_000));
const retention = process.env.BENCH_SIMULATE_RETENTION ?? '45';
const wanted = (process.env.BENCH_SIMULATE_PHASES ?? 'generate,parse,simulate').split(',');

function runPhase(phase: string): Phase {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'simulate-phase.ts'), phase, String(customers), retention === 'all' ? '' : retention], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`phase ${phase} failed (${child.status}):\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Phase;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(): Promise<void> {
  console.log(`target 4: simulate over ${fmt(customers)} customers, 12 months${quick ? ' (--quick: a tenth)' : ''}; orders kept ${retention === 'all' ? 'for the whole run' : `${retention} days`}`);
  const phases = wanted.map(runPhase);
  for (const p of phases) {
    console.log(`  ${p.phase.padEnd(9)} ${fmt(p.events).padStart(10)} events  wall ${fmt(p.ms / 1000, 2).padStart(8)} s  cpu ${fmt(p.cpuMs / 1000, 2).padStart(8)} s ${fmt((p.cpuMs * 1000) / p.events, 2).padStart(8)} cpu-µs/event ${fmt(p.maxRssMiB).padStart(6)} MiB peak RSS`);
  }
  const find = (name: string): Phase | undefined => phases.find((p) => p.phase === name);
  const [generate, parse, sim] = [find('generate'), find('parse'), find('simulate')];
  if (!sim) return;
  // CPU time, not wall time: on a shared machine the wall clock measures the neighbours.
  const perMillion = ((sim.cpuMs / sim.events) * 1e6) / 1000;
  if (generate && parse) console.log(`  cpu time, simulate / generate: ${fmt(sim.cpuMs / generate.cpuMs, 1)}×; simulate / parse: ${fmt(sim.cpuMs / parse.cpuMs, 1)}×; ${fmt(sim.transactions ?? 0)} transactions`);
  console.log(`  scaled to 1,000,000 events: ${fmt(perMillion, 1)} cpu-s (target ≤ 10 s: ${perMillion <= 10 ? 'met' : 'NOT met'}); peak RSS ${fmt(sim.maxRssMiB)} MiB (target ≤ 1024 MiB: ${sim.maxRssMiB <= 1024 ? 'met' : 'NOT met'}${customers < 100_000 ? `, at ${fmt(customers)} customers` : ''})`);
}

if (process.argv[1]?.endsWith('bench/simulate.ts')) await run();
