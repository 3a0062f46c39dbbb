/*
 * PERFORMANCE.md target 5: the metrics accumulators stream 10,000,000 ledger entries in constant
 * memory (peak RSS ≤ 200 MiB) at ≥ 5,000,000 entries/s.
 *
 * The entries are generated on the fly (never held): points flows of 20,000 customers over one
 * year, in time order, each a fresh object. The baseline, in the same process, reads the same
 * generated entries and sums their amounts as integers: what a stream of them costs with no
 * metrics at all. Reported: entries/s of both, their ratio, peak RSS (sampled every 250,000
 * entries, and the process's maxRSS), and the time of `result` at the end. The target is
 * judged on the accumulator without a segment breakdown (points summed per period). Then, for
 * context: the same stream with a segment breakdown (each customer's points kept per period, so
 * every add probes a hash of the customer base), and the ledger path (whole `Transaction`s with
 * Decimal amounts) on a smaller stream.
 *
 * Run alone: `npx tsx bench/metrics.ts [--quick]` (--quick: 1,000,000 entries). bench/index.ts
 * runs it in a fresh process, so the RSS is its own. Environment: BENCH_METRICS_N (entries),
 * BENCH_METRICS_CUSTOMERS.
 */
import { metricsAccumulator, type MetricsAccumulator, type PointsFlow, type PointsFlowAccount } from '../src/metrics';
import { Decimal } from '../src/money/decimal';
import type { Transaction } from '../src';
import { describe, type BenchOptions, type TargetFigure } from './lib/report';

const CUSTOMERS = Number(process.env.BENCH_METRICS_CUSTOMERS ?? 20_000);
const T0 = Date.parse('2027-01-01T05:00:00Z');
const YEAR = 365 * 86_400_000;
const TARGET_RATE = 5_000_000;
const TARGET_RSS_MIB = 200;
const MiB = 1024 * 1024;

const ids = Array.from({ length: CUSTOMERS }, (_, i) => `customer-${i}`);
// Mostly issues and redemptions, as in a real ledger.
const ACCOUNTS: readonly PointsFlowAccount[] = ['issued', 'issued', 'issued', 'redeemed', 'redeemed', 'expired', 'clawed_back', 'adjusted'];

function* flows(n: number): Generator<PointsFlow> {
  const step = YEAR / n;
  for (let i = 0; i < n; i++) {
    yield { kind: 'points', customerId: ids[(i * 7919) % CUSTOMERS] ?? 'x', at: T0 + Math.floor(i * step), account: ACCOUNTS[i & 7] ?? 'issued', amount: 1 + (i % 500) };
  }
}

let peakRss = 0;
function sampleRss(): void {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) peakRss = rss;
}

/** CPU seconds of this process since `from` (user + system, all threads: GC helpers included). */
function cpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

function baseline(n: number): { seconds: number; cpu: number; check: number } {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let sum = 0;
  let i = 0;
  for (const f of flows(n)) {
    sum += f.amount;
    if (++i % 250_000 === 0) sampleRss();
  }
  return { seconds: (performance.now() - start) / 1000, cpu: cpuSince(cpu0), check: sum };
}

function accumulate(acc: MetricsAccumulator, n: number): { seconds: number; cpu: number; resultMs: number; issued: string } {
  const state = acc.empty();
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let i = 0;
  for (const f of flows(n)) {
    acc.addFlow(state, f);
    if (++i % 250_000 === 0) sampleRss();
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSince(cpu0);
  const r0 = performance.now();
  const report = acc.result(state);
  sampleRss();
  return { seconds, cpu, resultMs: performance.now() - r0, issued: report.totals.points.issued };
}

/** Whole transactions, one earn entry each, with Decimal amounts: the path a ledger export takes. */
function* transactions(n: number): Generator<Transaction> {
  const step = YEAR / n;
  for (let i = 0; i < n; i++) {
    const at = new Date(T0 + Math.floor(i * step));
    const amount = new Decimal(1 + (i % 500));
    const cause = { eventId: `e${i}`, ruleId: 'base', programVersion: 1 };
    const lot = { id: `l${i}`, unit: 'points' as const, amount, remaining: amount, earnedAt: at, availableAt: at, expiresAt: null, account: 'available' as const, cause };
    yield { id: `t${i}`, programId: 'p', programVersion: 1, customerId: ids[(i * 7919) % CUSTOMERS] ?? 'x', at, cause: { kind: 'tick' }, entries: [{ kind: 'earn', unit: 'points', lot, repaid: new Decimal(0), ruleId: 'base' }] };
  }
}

function ledgerPath(acc: MetricsAccumulator, n: number): { perSecond: number; generateOnly: number } {
  let start = performance.now();
  let count = 0;
  for (const tx of transactions(n)) count += tx.entries.length;
  const generateOnly = count / ((performance.now() - start) / 1000);
  const state = acc.empty();
  start = performance.now();
  for (const tx of transactions(n)) acc.addTransaction(state, tx);
  return { perSecond: n / ((performance.now() - start) / 1000), generateOnly };
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Target 5's figures: throughput per CPU-second against the integer-sum baseline, and peak RSS. */
function figures(n: number, base: { seconds: number; cpu: number }, run: { seconds: number; cpu: number }, maxRssMiB: number): TargetFigure[] {
  const perCpu = n / run.cpu;
  return [
    {
      target: 5,
      name: `metrics addFlow over ${fmt(n)} entries (per CPU-second)`,
      value: perCpu,
      unit: 'entries/s',
      baseline: { name: 'generate + sum as integers', value: n / base.cpu, unit: 'entries/s' },
      ratio: run.cpu / base.cpu,
      goal: `≥ ${fmt(TARGET_RATE)} entries/s`,
      holds: perCpu >= TARGET_RATE,
      note: `wall: ${fmt(n / run.seconds)} entries/s; ratio = CPU time against the baseline's; CPU time, as the wall clock of a shared machine counts the neighbours`,
    },
    { target: 5, name: `metrics peak RSS over ${fmt(n)} entries`, value: maxRssMiB, unit: 'MiB', goal: `≤ ${TARGET_RSS_MIB} MiB`, holds: maxRssMiB <= TARGET_RSS_MIB, note: 'the process maxRSS, loader and warm-up included' },
  ];
}

/**
 * Streams generated points flows through the metrics accumulator (target 5) and returns its
 * throughput and the process's peak RSS, then prints the segmented and ledger paths for context.
 *
 * @example
 * ```ts
 * const figures = await run({ quick: true }); // npx tsx bench/metrics.ts --quick
 * ```
 */
export async function run(options: BenchOptions): Promise<TargetFigure[]> {
  const n = Number(process.env.BENCH_METRICS_N ?? (options.quick ? 1_000_000 : 10_000_000));
  console.log(`  ${fmt(n)} entries, ${fmt(CUSTOMERS)} customers, monthly periods in America/New_York`);
  const acc = metricsAccumulator({ timeZone: 'America/New_York', period: 'month', currency: 'USD' });
  // Warm-up of both loops, so neither pays for compilation in the timed pass.
  baseline(Math.min(n, 500_000));
  accumulate(acc, Math.min(n, 500_000));
  sampleRss();
  const before = process.memoryUsage().rss;
  peakRss = 0;
  const base = baseline(n);
  const main = accumulate(acc, n);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(`  baseline (generate + sum amounts as integers)     ${fmt(n / base.seconds).padStart(12)} entries/s  (${base.seconds.toFixed(2)} s wall, ${base.cpu.toFixed(2)} s CPU)`);
  console.log(`  accumulator addFlow (generate + accumulate)       ${fmt(n / main.seconds).padStart(12)} entries/s  (${main.seconds.toFixed(2)} s wall, ${main.cpu.toFixed(2)} s CPU: ${fmt(n / main.cpu)} per CPU-second)`);
  console.log(`  ratio accumulator / baseline time: ${(main.seconds / base.seconds).toFixed(2)}× wall, ${(main.cpu / base.cpu).toFixed(2)}× CPU; result() ${main.resultMs.toFixed(0)} ms; issued ${main.issued}`);
  console.log(`  RSS before the timed passes ${(before / MiB).toFixed(0)} MiB, peak sampled ${(peakRss / MiB).toFixed(0)} MiB, process maxRSS ${maxRssMiB.toFixed(0)} MiB`);
  const judged = figures(n, base, main, maxRssMiB);
  context(n, base.seconds);
  console.log('  target 5:');
  for (const f of judged) console.log(describe(f));
  return judged;
}

/** The segmented accumulator and the ledger path, printed for context (not judged). */
function context(n: number, baseSeconds: number): void {
  peakRss = 0;
  const segmented = metricsAccumulator({ timeZone: 'America/New_York', period: 'month', currency: 'USD', segment: 'region' });
  accumulate(segmented, Math.min(n, 500_000));
  const perCustomer = accumulate(segmented, n);
  console.log(`  with a segment breakdown (points kept per customer and month): ${fmt(n / perCustomer.seconds)} entries/s, ${(perCustomer.seconds / baseSeconds).toFixed(2)}× the baseline's time; result() ${perCustomer.resultMs.toFixed(0)} ms; peak sampled RSS ${(peakRss / MiB).toFixed(0)} MiB`);
  const ledgerN = Math.min(n, 300_000);
  const ledger = ledgerPath(metricsAccumulator({ timeZone: 'America/New_York', period: 'month', currency: 'USD' }), ledgerN);
  console.log(`  context: addTransaction over ${fmt(ledgerN)} Decimal earn transactions ${fmt(ledger.perSecond)} entries/s (generating them alone: ${fmt(ledger.generateOnly)}/s)`);
}

if (process.argv[1]?.endsWith('bench/metrics.ts')) await run({ quick: process.argv.includes('--quick') });
