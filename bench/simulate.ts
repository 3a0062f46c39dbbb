/*
 * Target 4 (PERFORMANCE.md): 1,000,000 events over 100,000 customers through `simulate` in
 * ≤ 10 s on one core with peak RSS ≤ 1 GiB. Each phase runs in its own process (bench/simulate-phase.ts)
 * so its peak RSS is its own; the baselines are generating and iterating the same history, and
 * the same with each event parsed. `--quick` (or BENCH_QUICK=1) runs a tenth of it.
 * Environment: BENCH_SIMULATE_CUSTOMERS overrides the customer count.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface Phase {
  readonly phase: string;
  readonly customers: number;
  readonly events: number;
  readonly ms: number;
  readonly maxRssMiB: number;
  readonly transactions?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const customers = Number(process.env.BENCH_SIMULATE_CUSTOMERS ?? (quick ? 10_000 : 100_000));

function runPhase(phase: string): Phase {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'simulate-phase.ts'), phase, String(customers)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`phase ${phase} failed (${child.status}):\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Phase;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(): Promise<void> {
  console.log(`target 4: simulate over ${fmt(customers)} customers, 12 months${quick ? ' (--quick: a tenth)' : ''}`);
  const phases = ['generate', 'parse', 'simulate'].map(runPhase);
  const [generate, parse, sim] = phases;
  if (!generate || !parse || !sim) return;
  for (const p of phases) {
    console.log(`  ${p.phase.padEnd(9)} ${fmt(p.events).padStart(10)} events ${fmt(p.ms / 1000, 2).padStart(8)} s ${fmt((p.ms * 1000) / p.events, 2).padStart(8)} µs/event ${fmt(p.maxRssMiB).padStart(6)} MiB peak RSS`);
  }
  const perMillion = (sim.ms / sim.events) * 1e6 / 1000;
  console.log(`  simulate / generate: ${fmt(sim.ms / generate.ms, 1)}×; simulate / parse: ${fmt(sim.ms / parse.ms, 1)}×; ${fmt(sim.transactions ?? 0)} transactions`);
  console.log(`  scaled to 1,000,000 events: ${fmt(perMillion, 1)} s (target ≤ 10 s: ${perMillion <= 10 ? 'met' : 'NOT met'}); peak RSS ${fmt(sim.maxRssMiB)} MiB (target ≤ 1024 MiB at full size: ${sim.maxRssMiB <= 1024 ? 'met' : 'NOT met'}${quick ? ', measured at a tenth' : ''})`);
}

if (process.argv[1]?.endsWith('bench/simulate.ts')) await run();
