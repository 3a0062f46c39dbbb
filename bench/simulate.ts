/*
 * Target 4 (PERFORMANCE.md): 1,000,000 events over 100,000 customers through `simulate` in
 * ≤ 10 s on one core, with peak RSS ≤ 1 GiB.
 *
 * Sizes: 10k, 100k and 1M events (1,000, 10,000 and 100,000 customers over 12 months); the 1M
 * run only in a full run, `--quick` stops at 100k and extrapolates (said in the figures' notes).
 * Each phase runs in its own process (bench/simulate-phase.ts), so its peak RSS is its own:
 *   generate  the history generated and iterated (the floor of any replay);
 *   parse     the same, each event read as `simulate` reads it (the baseline the ratio uses);
 *   simulate  `simulate` of the same history under a realistic points program.
 * Times are CPU times (user + system) of the phase's work: on a shared machine the wall clock
 * measures the neighbours. Environment: BENCH_SIMULATE_RETENTION, the days of orders kept for
 * refunds (default 45, exact for the generator, whose refunds come within 30 days; 'all' keeps
 * every order, as `simulate` does by default).
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, fmt, type BenchOptions, type TargetFigure } from './lib/report';

interface Phase {
  readonly phase: string;
  readonly customers: number;
  readonly events: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMiB: number;
  readonly transactions?: number;
}

/** One size: its three phases. */
interface Size {
  readonly customers: number;
  readonly generate: Phase;
  readonly parse: Phase;
  readonly simulate: Phase;
}

const here = dirname(fileURLToPath(import.meta.url));
const retention = process.env.BENCH_SIMULATE_RETENTION ?? '45';
const MILLION = 1_000_000;
const GOAL_CPU_S = 10;
const GOAL_RSS_MIB = 1024;

function runPhase(phase: string, customers: number): Phase {
  const args = ['--import', 'tsx', join(here, 'simulate-phase.ts'), phase, String(customers), retention === 'all' ? '' : retention];
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`simulate phase ${phase} at ${customers} customers failed (${String(child.status)}):\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Phase;
}

const cpuUsPerEvent = (p: Phase): number => (p.cpuMs * 1000) / p.events;
/** CPU seconds the phase would take for a million events at its cost per event. */
const perMillion = (p: Phase): number => (cpuUsPerEvent(p) * MILLION) / 1e6;

function measure(customers: number): Size {
  const size = { customers, generate: runPhase('generate', customers), parse: runPhase('parse', customers), simulate: runPhase('simulate', customers) };
  for (const p of [size.generate, size.parse, size.simulate]) {
    console.log(
      `  ${fmt(p.events).padStart(9)} events ${p.phase.padEnd(9)} cpu ${fmt(p.cpuMs / 1000, 2).padStart(7)} s  ${fmt(cpuUsPerEvent(p), 2).padStart(7)} cpu-µs/event  wall ${fmt(p.ms / 1000, 1).padStart(6)} s  peak RSS ${fmt(p.maxRssMiB).padStart(5)} MiB`,
    );
  }
  return size;
}

/** Whether the cost per event is flat across sizes: each step within ±25 % of the one before. */
function scaling(sizes: readonly Size[]): string {
  const steps = sizes.slice(1).map((s, i) => {
    const prev = sizes[i] as Size;
    return { from: prev.simulate.events, to: s.simulate.events, ratio: cpuUsPerEvent(s.simulate) / cpuUsPerEvent(prev.simulate) };
  });
  const flat = steps.every((s) => s.ratio <= 1.25 && s.ratio >= 0.8);
  return `${steps.map((s) => `${fmt(s.from)} -> ${fmt(s.to)} events: ${fmt(s.ratio, 2)}x per event`).join('; ')} (${flat ? 'flat' : 'not flat'})`;
}

/** Peak RSS at 100,000 customers, extrapolated linearly in customers from the two largest sizes. */
function extrapolatedRss(sizes: readonly Size[]): number {
  const [a, b] = sizes.slice(-2) as [Size, Size];
  const perCustomer = (b.simulate.maxRssMiB - a.simulate.maxRssMiB) / (b.customers - a.customers);
  return b.simulate.maxRssMiB + perCustomer * (100_000 - b.customers);
}

function figures(sizes: readonly Size[], quick: boolean): TargetFigure[] {
  const largest = sizes.at(-1) as Size;
  const atMillion = largest.simulate.events >= 0.9 * MILLION;
  const at = `at ${fmt(largest.simulate.events)} events / ${fmt(largest.customers)} customers`;
  const scaled = atMillion ? `measured ${at}, scaled to exactly 1M by cost per event` : `extrapolated from ${at} by cost per event (--quick: no 1M run)`;
  const cpu = perMillion(largest.simulate);
  const baseline = perMillion(largest.parse);
  const rss = atMillion ? largest.simulate.maxRssMiB : extrapolatedRss(sizes);
  return [
    {
      target: 4,
      name: 'simulate, CPU seconds per 1M events (100k customers, 12 months, points program)',
      value: cpu,
      unit: 'cpu-s',
      baseline: { name: 'generate + parse the same events', value: baseline, unit: 'cpu-s' },
      ratio: cpu / baseline,
      goal: `≤ ${GOAL_CPU_S} s on one core`,
      holds: cpu <= GOAL_CPU_S,
      note: `${scaled}; orders kept ${retention === 'all' ? 'for the whole run' : `${retention} days`}; generate alone ${fmt(perMillion(largest.generate), 1)} cpu-s; cost per event ${scaling(sizes)}${quick ? '; --quick figures are context' : ''}`,
    },
    {
      target: 4,
      name: 'simulate, peak RSS at 1M events / 100k customers',
      value: rss,
      unit: 'MiB',
      baseline: { name: 'generate + parse, peak RSS', value: largest.parse.maxRssMiB, unit: 'MiB' },
      goal: `≤ ${GOAL_RSS_MIB} MiB`,
      holds: rss <= GOAL_RSS_MIB,
      note: atMillion ? `measured ${at} (the phase's own process)` : `extrapolated linearly in customers from ${sizes.map((s) => `${fmt(s.simulate.maxRssMiB)} MiB at ${fmt(s.customers)}`).join(', ')} customers (--quick: no 1M run)`,
    },
  ];
}

/** The bench module: 10k and 100k events (and 1M in a full run), three phases each. */
export async function run(options: BenchOptions): Promise<TargetFigure[]> {
  const counts = options.quick ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  console.log(`target 4: simulate, 12 months, about 10 events per customer; orders kept ${retention === 'all' ? 'for the whole run' : `${retention} days`}${options.quick ? ' (--quick: 10k and 100k events)' : ''}`);
  const sizes = counts.map(measure);
  console.log(`  simulate cost per event: ${scaling(sizes)}`);
  return figures(sizes, options.quick);
}

if (process.argv[1]?.endsWith('bench/simulate.ts')) {
  for (const f of await run({ quick: process.argv.includes('--quick') || process.env.BENCH_QUICK === '1' })) console.log(describe(f));
}
